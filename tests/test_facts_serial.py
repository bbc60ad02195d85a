"""The facts cache format (scopecheck/facts/serial.py): real facts round-trip equal."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from scopecheck.analysis import analyse_bytes, analyse_path
from scopecheck.facts import env_writes, events, model, serial, servers
from scopecheck.rules import ALL_RULES

REPO = Path(__file__).resolve().parent.parent


def _example_sources() -> list[tuple[str, str]]:
    sources = []
    for rule in ALL_RULES:
        for kind in ("bad", "good"):
            for index, example in enumerate(getattr(rule, kind)):
                for name, text in example.files.items():
                    if name.endswith(".py"):
                        sources.append((f"{rule.code}-{kind}{index}/{name}", text))
    return sources


EXAMPLES = _example_sources()
DEMO_FILES = sorted(str(p.relative_to(REPO)) for p in (REPO / "fixtures_demo").rglob("*.py"))


def _round_trip(facts: model.FileFacts, ignored: bool = False) -> model.FileFacts:
    loaded = serial.loads(serial.dumps(facts, ignored))
    assert loaded is not None
    back, back_ignored = loaded
    assert back_ignored is ignored
    return back


@pytest.mark.parametrize(("name", "text"), EXAMPLES, ids=[name for name, _ in EXAMPLES])
def test_rule_example_facts_round_trip(tmp_path: Path, name: str, text: str) -> None:
    path = str(tmp_path / name.split("/")[-1])
    facts = analyse_bytes(path, text.encode("utf-8")).facts
    back = _round_trip(facts)
    assert back == facts


@pytest.mark.parametrize("relative", DEMO_FILES)
def test_fixtures_demo_facts_round_trip(relative: str) -> None:
    facts = analyse_path(str(REPO / relative)).facts
    assert _round_trip(facts) == facts


def test_the_examples_exercise_every_kind_of_fact() -> None:
    """The round trip above is only as good as the facts it sees: every facts class occurs."""
    seen: set[type] = set()

    def walk(value: object) -> None:
        if dataclasses.is_dataclass(value):
            seen.add(type(value))
            for field_ in dataclasses.fields(value):
                walk(getattr(value, field_.name))
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for name, text in EXAMPLES:
        walk(analyse_bytes("/x/" + name.split("/")[-1], text.encode("utf-8")).facts)
    assert seen == set(serial.fact_classes())


def test_fact_classes_are_every_dataclass_of_the_facts_modules() -> None:
    declared = {
        v
        for module in (model, events, env_writes, servers)
        for v in vars(module).values()
        if isinstance(v, type)
        and dataclasses.is_dataclass(v)
        and v.__module__ == module.__name__
        and not v.__name__.startswith("_")
    }
    assert set(serial.fact_classes()) == declared
    assert serial.fact_classes()[0] is model.FileFacts


def test_an_ignored_file_and_a_parse_error_round_trip(tmp_path: Path) -> None:
    ignored = analyse_bytes(str(tmp_path / "test_x.py"), b"# scopecheck: ignore-file\nimport boto3\n")
    assert ignored.ignored
    assert _round_trip(ignored.facts, True) == ignored.facts
    broken = analyse_bytes(str(tmp_path / "test_y.py"), b"def f(:\n")
    assert broken.facts.parse_error is not None
    assert _round_trip(broken.facts) == broken.facts


def test_loaded_empty_lists_are_shared_read_only_and_list_like(tmp_path: Path) -> None:
    facts = analyse_bytes(str(tmp_path / "test_z.py"), b"def test_a():\n    pass\n").facts
    back = _round_trip(facts)
    fn = back.functions[0]
    assert fn.clients == [] and fn.clients is serial.EMPTY and back.classes is serial.EMPTY
    assert "clients" not in vars(fn)  # left out of the entry: the class attribute stands in
    assert fn.clients + [1] == [1] and [1] + fn.clients == [1]
    with pytest.raises(TypeError, match="read-only"):
        fn.clients.append(1)  # type: ignore[attr-defined]
    assert facts.functions[0].clients == [] and type(facts.functions[0].clients) is list  # the original is untouched


def test_anything_but_an_entry_of_this_schema_is_a_miss(tmp_path: Path) -> None:
    facts = analyse_bytes(str(tmp_path / "test_w.py"), b"x = 1\n").facts
    assert serial.loads(b"not a pickle") is None
    assert serial.loads(pickle.dumps(("other-schema", False, facts))) is None
    assert serial.loads(pickle.dumps((serial.schema(), False, "facts"))) is None
    assert serial.loads(pickle.dumps((serial.schema(), False, facts))) == (facts, False)
