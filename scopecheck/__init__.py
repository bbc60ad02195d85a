"""scopecheck: a linter for moto + boto3 + pytest test suites."""

__version__ = "0.1.0"
# Where scopecheck lives; the same address as [project.urls] Repository in pyproject.toml (a test
# keeps the two equal). SARIF's informationUri and every rule's docs URL derive from it.
REPOSITORY_URL = "https://github.com/scopecheck/scopecheck"
