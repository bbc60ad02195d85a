"""scopecheck: a linter for moto + boto3 + pytest test suites."""

__version__ = "0.1.0"
