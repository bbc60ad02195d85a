"""The inner run loads no plugin by itself (PYTEST_DISABLE_PLUGIN_AUTOLOAD): pytest-asyncio here."""

pytest_plugins = ["pytest_asyncio.plugin"]
