"""SCP401 fix, first half: decide every edit on the original tree (see scp401_mock_aws)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, Scope

from scopecheck.facts.names import BOTO2_SUFFIX, MOVED_IN_MOTO5, is_removed_mock_name
from scopecheck.findings import Finding
from scopecheck.fixes.base import (
    FixContext,
    Safety,
    Verdict,
    decide,
    no_fix,
    range_key,
    start_key,
)
from scopecheck.fixes.scp401_lookup import NameLookup

CODE = "SCP401"
MOCK_AWS = "mock_aws"
# moto 4 mocks that ran a service without docker; moto 5 spells them as mock_aws config.
SIMPLE = {"mock_batch_simple": "batch", "mock_lambda_simple": "lambda"}
XRAY_CLIENT = "mock_xray_client"
_SERVICE_MODULE = re.compile(r"moto\.[A-Za-z0-9_]+$")


def _legacy(name: str) -> bool:
    """A removed service mock, by the same test the rule uses (``mock_random`` and friends
    still exist in moto 5 and are never renamed). boto2's ``mock_*_deprecated`` are not: mock_aws
    does not mock boto2, so renaming them would only hide that those tests need boto3."""
    return is_removed_mock_name(name) and not name.endswith(BOTO2_SUFFIX)


def _simple_call(func: cst.BaseExpression, service: str) -> cst.Call:
    config = cst.parse_expression(f'{{"{service}": {{"use_docker": False}}}}')
    return cst.Call(
        func=func,
        args=[
            cst.Arg(
                config,
                keyword=cst.Name("config"),
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
                ),
            )
        ],
    )


GLOBAL = "<module>"  # the key of module-level bindings in Planner.aws_names


@dataclass
class Plan:
    """Edits decided before the tree is rewritten, keyed by the original nodes."""

    aliases: dict[cst.ImportAlias, str | None] = field(default_factory=dict)  # new name, None = drop
    module_to_moto: set[cst.ImportFrom] = field(default_factory=set)
    # statement -> names for extra ``from <module> import ...`` lines after it
    extra: dict[cst.ImportFrom, list[tuple[str, list[tuple[str, str | None]]]]] = field(default_factory=dict)
    names: dict[cst.CSTNode, cst.BaseExpression] = field(default_factory=dict)  # replacement expressions
    calls: dict[cst.Call, cst.BaseExpression] = field(default_factory=dict)
    legacy: set[cst.CSTNode] = field(default_factory=set)  # expressions that were a service mock
    # an aliased mock (``mock_sqs as b``) -> every use of it, when they are all known
    alias_uses: dict[cst.ImportAlias, list[cst.CSTNode]] = field(default_factory=dict)

    def merge(self, other: Plan) -> None:
        self.aliases.update(other.aliases)
        self.module_to_moto |= other.module_to_moto
        for key, value in other.extra.items():
            self.extra.setdefault(key, []).extend(value)
        self.names.update(other.names)
        self.calls.update(other.calls)
        self.legacy |= other.legacy
        self.alias_uses.update(other.alias_uses)


class Planner(NameLookup):
    """Decides the edits of each finding's fix, keeping those of the fixes that apply."""

    def __init__(self, wrapper: MetadataWrapper, ctx: FixContext, data: bytes) -> None:
        super().__init__(wrapper, data)
        self.ctx = ctx
        self.plan = Plan()
        self.edits = Plan()  # one finding's edits, merged into plan when its fix is applied
        # scope (GLOBAL for the module) -> local names bound to moto's mock_aws, with the position
        # of the import that binds each
        self.aws_names: dict[object, list[tuple[str, tuple[int, int]]]] = {}

    # -- names of moto's mock_aws already bound ------------------------------------------------
    def _existing_aws(self, scope: object, before: tuple[int, int], top: bool) -> str | None:
        """A name bound to moto's mock_aws by an earlier top-level import of the same scope."""
        if not top:
            return None
        for name, pos in self.aws_names.get(scope, []):
            if pos <= before:
                return name
        return None

    def _scan_existing(self) -> None:
        for node in self.positions:
            if not isinstance(node, cst.ImportFrom) or node.relative or node not in self.top_level:
                continue
            if get_full_name_for_node(node.module) != "moto" if node.module else True:
                continue
            if isinstance(node.names, cst.ImportStar):
                continue
            for alias in node.names:
                if get_full_name_for_node(alias.name) == MOCK_AWS:
                    self.aws_names.setdefault(GLOBAL, []).append((alias.evaluated_alias or MOCK_AWS, self.pos(node)))

    # -- imports -----------------------------------------------------------------------------
    def import_from(self, node: cst.ImportFrom) -> tuple[Safety | None, str]:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return None, "relative or star import"
        module = get_full_name_for_node(node.module) or ""
        service = module != "moto"
        if service and not _SERVICE_MODULE.match(module):
            return None, f"names from {module} are not moto<5 mocks"
        if any((get_full_name_for_node(a.name) or "").endswith(BOTO2_SUFFIX) for a in node.names):
            return None, "boto2 mocks have no moto 5 equivalent: the tests need boto3"
        top = node in self.top_level
        # Module-level imports whose names are bound nowhere else need no scope analysis.
        quick = top and self.quick
        scope: Scope | None = None if quick else self.scopes.get(node)
        if not quick and scope is None:
            return None, "no scope"
        safety = Safety.SAFE if self.ctx.moto_major >= 5 else Safety.UNSAFE
        aliases: dict[cst.ImportAlias, str | None] = {}
        names: dict[cst.CSTNode, cst.BaseExpression] = {}
        legacy: set[cst.CSTNode] = set()
        moved: dict[str, list[tuple[str, str | None]]] = {}  # new module -> names moved there
        new_names: list[tuple[str, str | None]] = []  # for a service module: what moves to moto
        local_aws = self._existing_aws(GLOBAL if top else scope, self.pos(node), top)
        changed = False
        for alias in node.names:
            name = get_full_name_for_node(alias.name) or ""
            dest = MOVED_IN_MOTO5.get((module, name))
            if dest is not None:
                # moto 5 has it in *dest* only (moto 4.2.14 there too): the import moves, uses stay.
                moved.setdefault(dest, []).append((name, alias.evaluated_alias))
                aliases[alias] = None
                changed = True
                continue
            if name == XRAY_CLIENT:
                continue
            if not _legacy(name):
                continue
            bound = alias.evaluated_alias or name
            target = local_aws or MOCK_AWS
            uses, certain = self.uses(node, bound, f"{module}.{name}", target, scope)
            if not certain:
                safety = Safety.UNSAFE  # bound elsewhere too (try/except ImportError...) or shadowed
            changed = True
            if name in SIMPLE or alias.evaluated_alias is None:
                if local_aws is None:
                    aliases[alias] = MOCK_AWS
                    new_names.append((MOCK_AWS, None))
                    local_aws = MOCK_AWS
                    if top:
                        self.aws_names.setdefault(GLOBAL, []).insert(0, (MOCK_AWS, self.pos(node)))
                else:
                    aliases[alias] = None
                for use in uses:
                    legacy.add(use)
                    if name in SIMPLE:
                        replacement = self._simple_use(use, target, SIMPLE[name])
                        if replacement is None:
                            safety = Safety.UNSAFE
                            names[use] = cst.Name(target)
                        else:
                            names.update(replacement)
                    elif target != bound:
                        names[use] = cst.Name(target)
            else:
                aliases[alias] = MOCK_AWS
                new_names.append((MOCK_AWS, alias.evaluated_alias))
                legacy.update(uses)
                if certain and not service:
                    self.edits.alias_uses[alias] = list(uses)
        if not changed:
            return None, "nothing to rewrite here"
        plan = self.edits
        if service:
            remaining = [a for a in node.names if a not in aliases]
            if remaining:
                line = self.line_of.get(node)
                if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
                    return None, "import shares its line with other statements"
                for alias in aliases:
                    aliases[alias] = None
                kept = [n for n in new_names]
                if kept:
                    moved_extra = plan.extra.setdefault(node, [])
                    moved_extra.append(("moto", kept))
            else:
                plan.module_to_moto.add(node)
        if moved:
            line = self.line_of.get(node)
            if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
                return None, "import shares its line with other statements"
            plan.extra.setdefault(node, []).extend(moved.items())
        plan.aliases.update(aliases)
        plan.names.update(names)
        plan.legacy.update(legacy)
        return safety, ""

    def _simple_use(self, use: cst.CSTNode, local: str, service: str) -> dict[cst.CSTNode, cst.BaseExpression] | None:
        parent = self.parents.get(use)
        if isinstance(parent, cst.Decorator):
            return {use: _simple_call(cst.Name(local), service)}
        if isinstance(parent, cst.Call) and parent.func is use and not parent.args:
            self.edits.calls[parent] = _simple_call(cst.Name(local), service)
            return {}
        return None

    # -- attributes --------------------------------------------------------------------------
    def attribute(self, node: cst.Attribute) -> tuple[Safety | None, str]:
        name = node.attr.value
        if not _legacy(name) or name == XRAY_CLIENT:
            return None, "not a moto<5 mock"
        owner = self.qualified(node.value)
        if owner == {"moto"}:
            base = node.value
        elif (
            len(owner) == 1
            and _SERVICE_MODULE.match(next(iter(owner)))
            and isinstance(node.value, cst.Attribute)
            and self.qualified(node.value.value) == {"moto"}
        ):
            base = node.value.value
        else:
            return None, "cannot tell which module the attribute belongs to"
        safety = Safety.SAFE if self.ctx.moto_major >= 5 else Safety.UNSAFE
        new_attr = cst.Attribute(value=base, attr=cst.Name(MOCK_AWS), dot=node.dot)
        names: dict[cst.CSTNode, cst.BaseExpression] = {}
        if name in SIMPLE:
            replacement = self._simple_attr(node, new_attr, SIMPLE[name])
            if replacement is None:
                return None, f"{name} used other than as a decorator or call"
            names.update(replacement)
        else:
            names[node] = new_attr
        self.edits.names.update(names)
        self.edits.legacy.add(node)
        return safety, ""

    def _simple_attr(
        self, node: cst.Attribute, new_attr: cst.Attribute, service: str
    ) -> dict[cst.CSTNode, cst.BaseExpression] | None:
        parent = self.parents.get(node)
        if isinstance(parent, cst.Decorator):
            return {node: _simple_call(new_attr, service)}
        if isinstance(parent, cst.Call) and parent.func is node and not parent.args:
            self.edits.calls[parent] = _simple_call(new_attr, service)
            return {}
        return None

    def run(self, findings: Sequence[Finding]) -> list[Verdict]:
        if self.shims:
            # The file keeps working on moto 4 and 5 through a try/except ImportError; renaming
            # its other moto<5 names to mock_aws would break it on moto 4.
            return [no_fix(f, "the file keeps a moto 4/5 compatibility shim") for f in findings]
        self._scan_existing()
        imports: dict[tuple[int, int], cst.ImportFrom] = {}
        attributes: dict[tuple[int, int], list[cst.Attribute]] = {}
        for node, code_range in self.positions.items():
            if isinstance(node, cst.ImportFrom):
                imports[range_key(code_range)] = node
            elif isinstance(node, cst.Attribute):
                attributes.setdefault(range_key(code_range), []).append(node)
        verdicts: list[Verdict] = []
        for finding in sorted(findings, key=lambda f: (f.line, f.column)):
            self.edits = Plan()
            key = start_key(finding)
            if key in imports:
                safety, reason = self.import_from(imports[key])
            else:
                # ``moto.s3.mock_s3`` and ``moto.s3`` start at the same place: take the longest.
                candidates = [a for a in attributes.get(key, []) if _legacy(a.attr.value)]
                if not candidates:
                    verdicts.append(no_fix(finding, "no import or attribute at the finding"))
                    continue
                node = max(candidates, key=lambda a: self.positions[a].end.column)
                safety, reason = self.attribute(node)
            if safety is None:
                verdicts.append(no_fix(finding, reason))
                continue
            verdict = decide(finding, safety, self.ctx)
            verdicts.append(verdict)
            if verdict.applied:
                self.plan.merge(self.edits)
        return verdicts
