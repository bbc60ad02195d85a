"""Setup order: which fixtures pytest sets up for a node, and in which order (pytest 9's
``getfixtureclosure``). The initial names are the autouse fixtures (outermost layer first), then
what the node requests; the closure is walked depth first, following override chains, and
sorted by scope; each fixture's dependencies are set up before it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from scopecheck.model.fixtures import FixtureDef, Layer

SCOPE_RANK = {"session": 0, "package": 1, "module": 2, "class": 3, "function": 4, "unknown": 4}

# Fixtures of pytest itself and of common plugins that never start moto nor write AWS credentials:
# requesting one does not make a run unknown. Any other name the model cannot see might.
HARMLESS_FIXTURES = frozenset(
    {
        "request", "pytestconfig", "monkeypatch", "tmp_path", "tmp_path_factory", "tmpdir",
        "tmpdir_factory", "capsys", "capsysbinary", "capfd", "capfdbinary", "capteesys", "caplog",
        "cache", "doctest_namespace", "record_property", "record_xml_attribute",
        "record_testsuite_property", "recwarn", "testdir", "pytester", "subtests", "mocker",
        "class_mocker", "module_mocker", "package_mocker", "session_mocker", "freezer", "faker",
        "benchmark", "event_loop", "anyio_backend", "httpx_mock", "requests_mock", "respx_mock",
        "snapshot", "worker_id", "testrun_uid", "datadir", "shared_datadir", "original_datadir",
    }
)  # fmt: skip


@dataclass
class Resolved:
    """A setup order and what could not be resolved on the way."""

    order: list[FixtureDef]
    unknown: list[str]


def definitions(name: str, layers: list[Layer]) -> list[FixtureDef]:
    """Every definition of *name* the layers see, innermost (the one in use) first."""
    return [layer.fixtures[name] for layer in layers if name in layer.fixtures]


class SetupResolver:
    """Setup orders for lists of visible layers (memoised: many tests share one request)."""

    def __init__(self) -> None:
        self._memo: dict[tuple[int, tuple[str, ...], bool, tuple[str, ...]], Resolved] = {}

    def resolve(
        self,
        layers: list[Layer],
        requested: list[str],
        *,
        include_autouse: bool = True,
        ignore: tuple[str, ...] = (),
    ) -> Resolved:
        """The setup order, and what the model could not resolve on the way. *layers* must be a
        memoised list (the key is its identity); names in *ignore* are parametrize arguments."""
        key = (id(layers), tuple(requested), include_autouse, ignore)
        if key not in self._memo:
            self._memo[key] = self._resolve(layers, requested, include_autouse, set(ignore))
        return self._memo[key]

    def _resolve(self, layers: list[Layer], requested: list[str], include_autouse: bool, ignore: set[str]) -> Resolved:
        initial: list[str] = []
        unknown: list[str] = [u for layer in layers for u in layer.unknown]
        if include_autouse:
            for layer in reversed(layers):  # outermost first, as pytest orders autouse fixtures
                initial += [f.name for f in layer.autouse]
        initial += requested
        closure = _closure(list(dict.fromkeys(initial)), layers, ignore, unknown)
        closure.sort(key=lambda n: SCOPE_RANK.get(definitions(n, layers)[0].scope, 4))
        unknown += [
            f"fixture '{n}' has a scope computed at run time"
            for n in closure
            if definitions(n, layers)[0].scope == "unknown"
        ]
        order: list[FixtureDef] = []
        seen: set[tuple[str, int]] = set()
        for start in closure:
            enter(start, layers, seen, order, ignore)
        return Resolved(order, unknown)


def _closure(initial: list[str], layers: list[Layer], ignore: set[str], unknown: list[str]) -> list[str]:
    """pytest's ``traverse_fixture_closure``: names in depth-first order, following override
    chains (a fixture requesting its own name gets the next definition outwards)."""
    closure: list[str] = []
    index: dict[str, int] = {}  # name -> definition in use while walking its dependencies
    # An explicit stack: a chain of any length is walked (recursion once cut long ones short).
    stack: list[Iterator[str]] = [iter(initial)]
    undo: list[tuple[str, int] | None] = [None]
    while stack:
        name = next(stack[-1], None)
        if name is None:
            stack.pop()
            restore = undo.pop()
            if restore is not None:
                index[restore[0]] = restore[1]
            continue
        current = index.get(name)
        if name in ignore or current == 0:
            continue  # a parametrize argument, or this name is done at its innermost definition
        defs = definitions(name, layers)
        if current is None:
            index[name] = current = 0
            if not defs:
                if name not in HARMLESS_FIXTURES:
                    unknown.append(f"fixture '{name}' is not defined in the files seen")
                continue
            closure.append(name)
        if current >= len(defs):
            continue
        index[name] = current + 1
        stack.append(iter(defs[current].deps))
        undo.append((name, current))
    return closure


def enter(
    name: str,
    layers: list[Layer],
    seen: set[tuple[str, int]],
    order: list[FixtureDef],
    ignore: set[str] | tuple[str, ...] = (),
) -> None:
    """Set *name* up as pytest's getfixturevalue does: dependencies depth first, then itself,
    appending to *order*; *seen* holds what is already set up. A name in *ignore* is a
    parametrize argument: its value is the parameter, no fixture."""
    frames: list[tuple[FixtureDef, str, int, Iterator[str]]] = []

    def push(dep: str, index: int) -> None:
        if (dep, index) in seen or dep in ignore:
            return
        defs = definitions(dep, layers)
        if index >= len(defs):
            return
        seen.add((dep, index))
        frames.append((defs[index], dep, index, iter(defs[index].deps)))

    push(name, 0)
    while frames:
        fdef, current, index, deps = frames[-1]
        dep = next(deps, None)
        if dep is None:
            frames.pop()
            order.append(fdef)
        else:
            push(dep, index + 1 if dep == current else 0)
