"""Where AWS_DEFAULT_REGION is set for a file's code, as pytest would run it (SCP402, SCP101, SCP104).

A region-less client of a regional service raises NoRegionError under moto unless something in
the run sets the region first: a fixture or xunit hook it runs under, module-level code, a base
class's hook, a helper that sets it. This module answers that question for one file's clients.
"""

from __future__ import annotations

import os

from scopecheck.facts.model import ClientCall, FileFacts, FunctionFacts
from scopecheck.model.fixtures import FixtureDef
from scopecheck.model.suite import Suite

# Services whose client is built without a region: botocore resolves a global endpoint for them
# (``partitionEndpoint`` in its endpoints.json). Measured by creating every service's client with
# no region on botocore 1.37.38, 1.42.97 and 1.44.8 (the same 21 each time); every other service
# raises NoRegionError, route53domains and globalaccelerator included. tests/test_regionless pins it.
GLOBAL_SERVICES = frozenset(
    {
        "account",
        "billingconductor",
        "budgets",
        "ce",
        "chime",
        "cloudfront",
        "codecatalyst",
        "health",
        "iam",
        "importexport",
        "networkmanager",
        "notificationscontacts",
        "organizations",
        "route53",
        "s3",
        "savingsplans",
        "shield",
        "sts",
        "support",
        "taxsettings",
        "waf",
    }
)
_XUNIT_MODULE_HOOKS = frozenset({"setup_module", "setUpModule", "setup_function", "setup"})
_XUNIT_CLASS_HOOKS = frozenset({"setup_method", "setup_class", "setUp", "setUpClass", "setup", "asyncSetUp"})
_KNOWN_BASES = frozenset({"", "object", "TestCase", "unittest.TestCase", "IsolatedAsyncioTestCase"})


def needs_region(client: ClientCall, facts: FileFacts) -> bool:
    """A client of a regional service made with no region, outside a ``try: ... except
    NoRegionError:``: building it raises NoRegionError unless something sets AWS_DEFAULT_REGION."""
    return (
        client.kind != "session"
        and not client.has_region
        and bool(client.service)
        and client.service not in GLOBAL_SERVICES
        and not any(first <= client.loc.line <= last for first, last in facts.region_guards)
    )


def _where(suite: Suite, path: str, line: int) -> str:
    rel = os.path.relpath(path, suite.root)
    return f"{os.path.basename(path) if rel.startswith('..') else rel}:{line}"


class RegionCoverage:
    """Where AWS_DEFAULT_REGION is set for one file's code, as pytest would run it."""

    def __init__(self, suite: Suite, facts: FileFacts) -> None:
        self.suite = suite
        self.facts = facts
        self.layers = suite.layers_for(facts.path, None)
        files = [layer.file for layer in self.layers]
        self.at_import = any(f.sets_region_at_import for f in files)
        # A plain helper that writes it may be called from anywhere: unknown, so not reported.
        self.by_helper = any(
            fn.sets_region and fn.fixture is None and not fn.is_test and fn.name not in _XUNIT_CLASS_HOOKS
            for f in files
            for fn in f.functions
        )
        self.module_hook = any(
            fn.sets_region and fn.class_name is None and fn.name in _XUNIT_MODULE_HOOKS for fn in facts.functions
        )
        self.runs = {id(run.fn): run for run in suite.runs_in(facts, any_class=True)}

    def _class_covered(self, class_name: str | None) -> bool:
        """A setup hook of the class (or of a base class in this module) sets it, or a base class
        comes from elsewhere (unknown)."""
        classes = {c.name: c for c in self.facts.classes}
        todo, seen = [class_name], set()
        while todo:
            name = todo.pop()
            if name is None or name in seen:
                continue
            seen.add(name)
            if any(
                fn.sets_region and fn.class_name == name and fn.name in _XUNIT_CLASS_HOOKS
                for fn in self.facts.functions
            ):
                return True
            cls = classes.get(name)
            if cls is None:
                return True
            for base in cls.bases:
                if base in classes:
                    todo.append(base)
                elif base not in _KNOWN_BASES and not base.endswith(".TestCase"):
                    return True
        return False

    def _setters(self, class_name: str | None) -> list[FixtureDef]:
        return [fdef for fdef in self.suite.visible_fixtures(self.facts, class_name) if fdef.fn.sets_region]

    def anywhere(self) -> bool:
        """Something in the file's reach sets the region: a fixture, a hook, module-level code."""
        if self.at_import or self.by_helper or self.module_hook:
            return True
        classes = {fn.class_name for fn in self.facts.functions if fn.class_name}
        return bool(self._setters(None)) or any(self._setters(c) or self._class_covered(c) for c in classes)

    def gap(self, client: ClientCall, fn: FunctionFacts | None) -> str | None:
        """None when the region is set where *client* is made (or it never runs under moto: a real
        AWS test takes the region from the developer's config), else why it is not."""
        if fn is None:
            return None if self.at_import else "at import"
        if self.at_import or self.by_helper or self.module_hook or fn.sets_region:
            return None
        if fn.class_name is not None and self._class_covered(fn.class_name):
            return None
        if fn.is_test:
            run = self.runs.get(id(fn))
            if run is None or not (run.runs_under_mock or client.mocked_locally):
                return None
            if any(f.fn.sets_region for f in run.setup_order):
                return None
            unused = self._setters(fn.class_name)
            if unused:
                f = unused[0]
                return f"fixture '{f.name}' ({_where(self.suite, f.file.path, f.fn.loc.line)}) sets it but is not used"
            return ""
        if fn.fixture is not None:
            users = self.suite.runs_using(fn, during_call=False)
            mocked = [run for run in users if run.runs_under_mock] if not client.mocked_locally else users
            if users and not mocked:
                return None
            if mocked:
                return None if all(any(f.fn.sets_region for f in run.setup_order) for run in mocked) else ""
            # Used by no scanned test: covered when its own dependencies or autouse fixtures set it.
            deps = self.suite.fixture_setup_order(self.facts, fn)
            return None if any(f.fn.sets_region for f in deps) or self._setters(fn.class_name) else ""
        # A helper: who calls it, and under which fixtures, is unknown.
        return None if self.anywhere() else ""
