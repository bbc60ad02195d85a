"""The rule registry: every rule, by code, in catalog order."""

from __future__ import annotations

from scopecheck.rules import (
    scp000_unreadable,
    scp101_client_at_import,
    scp102_client_before_mock,
    scp103_unmocked_client_fixture,
    scp104_client_via_import,
    scp201_mock_ends_before_use,
    scp202_mock_decorated_fixture,
    scp203_unbalanced_mock_start,
    scp204_unmocked_class_hook,
    scp205_mock_decorated_setup,
    scp301_nested_mock,
    scp401_removed_moto_api,
    scp402_regionless_client,
)
from scopecheck.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (
    scp000_unreadable.RULE,
    scp101_client_at_import.RULE,
    scp102_client_before_mock.RULE,
    scp103_unmocked_client_fixture.RULE,
    scp104_client_via_import.RULE,
    scp201_mock_ends_before_use.RULE,
    scp202_mock_decorated_fixture.RULE,
    scp203_unbalanced_mock_start.RULE,
    scp204_unmocked_class_hook.RULE,
    scp205_mock_decorated_setup.RULE,
    scp301_nested_mock.RULE,
    scp401_removed_moto_api.RULE,
    scp402_regionless_client.RULE,
)
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
