"""A nested mock start that puts moto's default config back over the active mock's `config=`.

moto 5 (`MockAWS.__init__`/`start`, ground truth M9): every instance copies moto's
`default_user_config` when it is made and merges its own `config=` into the copy; every start,
nested or not, applies that copy with a `patch.dict`, and only the outermost stop takes it off.
A plain `@mock_aws` (made at import, from the defaults) started under `mock_aws(config=...)`
therefore resets the outer config: a `service_whitelist` no longer applies (SCP301's one hazard
on moto 5). The guard compares the config in force before and after each nested start; a
section that changed back to moto's pristine value, which the outermost start saved, was reset.
A configured inner mock that changes a section to a value of its own is no reset.
"""

from __future__ import annotations

import sys
from typing import Any

CONFIG = "moto.core.config"


def _in_force() -> dict[str, Any] | None:
    module = sys.modules.get(CONFIG)
    config = getattr(module, "default_user_config", None) if module is not None else None
    return dict(config) if isinstance(config, dict) else None


class ConfigTracker:
    def __init__(self) -> None:
        self._last: dict[str, Any] | None = None  # in force after the latest start/stop
        self._pristine: dict[str, Any] | None = None  # what the outermost start replaced

    def changed(self, action: str, before: int, after: int, mock: Any) -> list[str]:
        """After a start/stop: the config sections a nested start reset to moto's defaults."""
        previous, now = self._last, _in_force()
        self._last = now
        if action != "start" or after <= before or now is None:
            return []
        if before <= 0:
            original = getattr(getattr(mock, "_user_config_mock", None), "_original", None)
            self._pristine = dict(original) if isinstance(original, dict) else None
            return []
        if previous is None or self._pristine is None:
            return []
        return sorted(
            key
            for key, value in now.items()
            if key in previous and value != previous[key] and value == self._pristine.get(key)
        )
