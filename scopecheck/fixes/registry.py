"""Rule code -> fixer. The order is the order fixes are applied in a file."""

from __future__ import annotations

from scopecheck.fixes.base import Fixer
from scopecheck.fixes.scp201_return_to_yield import ReturnToYield
from scopecheck.fixes.scp202_unwrap_fixture import UnwrapFixtureMock
from scopecheck.fixes.scp401_mock_aws import MockAwsMigration
from scopecheck.fixes.scp404_free_port import FreePort

# SCP401 first: the later fixes then see (and keep) `mock_aws` rather than a service mock.
FIXERS: dict[str, Fixer] = {
    fixer.code: fixer for fixer in (MockAwsMigration(), UnwrapFixtureMock(), ReturnToYield(), FreePort())
}


def fixable(code: str) -> bool:
    return code in FIXERS
