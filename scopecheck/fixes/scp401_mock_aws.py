"""SCP401 fix: the moto<5 per-service mocks become ``mock_aws``.

* ``from moto import mock_s3, mock_sqs`` -> ``from moto import mock_aws`` (names deduplicated;
  dropped when ``mock_aws`` is already imported before); every use of the old names is renamed.
* ``from moto import mock_s3 as s3mock`` -> ``from moto import mock_aws as s3mock`` (uses unchanged).
* ``from moto.s3 import mock_s3`` -> ``from moto import mock_aws``; other names of that import stay.
* ``moto.mock_s3`` / ``moto.s3.mock_s3`` (with ``import moto``) -> ``moto.mock_aws``.
* ``mock_batch_simple`` / ``mock_lambda_simple`` -> ``mock_aws(config={"batch"|"lambda":
  {"use_docker": False}})``, moto 5's spelling of the same thing.
* ``from moto import mock_xray_client`` -> ``from moto.xray import mock_xray_client`` (it moved).
* Then, on each decorated function/class and ``with`` statement, service mocks that now all read
  ``mock_aws`` collapse into one (moto 5 mocks every service at once).

Unsafe (only with ``--unsafe-fixes``): when moto < 5 is targeted (``mock_aws`` does not exist
there), when a renamed name may be shadowed or bound twice, or when a ``*_simple`` mock is used
other than as a decorator or call. Not fixed: relative or deeper imports
(``moto.moto_api._internal.mock_random`` is no mock), ``import moto.s3 as x; x.mock_s3``.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.metadata import MetadataWrapper

from scopecheck.findings import Finding
from scopecheck.fixes.base import FixContext, FixOutcome
from scopecheck.fixes.scp401_plan import CODE, Planner
from scopecheck.fixes.scp401_rewrite import Rewrite


class MockAwsMigration:
    code = CODE
    description = "moto<5 service mock replaced with `mock_aws`"

    def fix(self, data: bytes, findings: Sequence[Finding], ctx: FixContext) -> FixOutcome:
        wrapper = MetadataWrapper(cst.parse_module(data), unsafe_skip_copy=True)
        planner = Planner(wrapper, ctx, data)
        verdicts = planner.run(findings)
        plan = planner.plan
        if not (plan.aliases or plan.names or plan.calls or plan.module_to_moto or plan.extra):
            return FixOutcome(data, verdicts)
        new = wrapper.module.visit(Rewrite(planner))
        return FixOutcome(new.bytes, verdicts)
