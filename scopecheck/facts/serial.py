"""How a file's facts are stored in the cache: the one place that writes and reads them.

The format is a pickle (protocol 5) of ``(schema, ignored, facts)``:

* ``facts`` is the ``FileFacts`` record. Each facts object is written as pickle writes a
  dataclass (its class, then its fields by name, rebuilt in C on load), with one difference:
  a list field that is empty is left out, and reads ``EMPTY`` once loaded: a class attribute
  (set here, for every list field of every facts class) holding one shared, read-only empty
  sequence. Most of a function's lists are empty; tens of thousands of fresh empty lists on a
  warm run cost the cyclic garbage collector more than the loading itself (prowler's tests,
  facts cached, findings not: 4.3 to 4.7 s this way, 5.5 to 7.6 s with real empty lists, on a
  loaded machine). Instances made by the extractor always carry their own lists.
  ``EMPTY`` compares equal to ``[]``, adds like a list (``EMPTY + [x]`` is ``[x]``), and refuses
  ``append``/``extend``/``insert`` with a clear error: facts are read-only once extracted.
  A loaded record equals the extracted one field for field.
* ``schema`` is a digest of every facts dataclass reachable from ``FileFacts``: its name and
  its fields' names and annotations (read as text). An entry written by another shape of the
  facts (a field added or removed in ``facts/model.py``) is not read; the codec itself is
  generic over the fields, so such a change needs no code here.
* ``ignored``: the file says ``# scopecheck: ignore-file``.

The source text is never stored: it is read again only for files with findings. Worker
processes (``parallel.py``) send their facts back in this format too.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import pickle
import re
import sys
import typing
from collections.abc import Iterable
from typing import Any, NoReturn

from scopecheck.facts import events
from scopecheck.facts.model import FileFacts

PROTOCOL = 5
_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_SCHEMA: str | None = None


class EmptyList(tuple[object, ...]):
    """The read-only empty list of a fact loaded from the cache (see the module's docstring)."""

    __slots__ = ()

    # A list, not a tuple, on purpose (like ``[] + other``): hence the override.
    def __add__(self, other: Iterable[object]) -> list[object]:  # type: ignore[override]
        return list(other)

    def __radd__(self, other: Iterable[object]) -> list[object]:
        return list(other)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (list, tuple)) and len(other) == 0

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = tuple.__hash__

    def _read_only(self, *args: object) -> NoReturn:
        raise TypeError("facts loaded from the cache are read-only; build a new list instead")

    append = extend = insert = _read_only

    def __reduce__(self) -> str:
        return "EMPTY"  # pickled by name: every load shares the one instance


EMPTY = EmptyList()


def fact_classes(root: type = FileFacts) -> list[type]:
    """The facts dataclasses reachable from *root* through field annotations, *root* first."""
    found: list[type] = []
    todo = [root]
    while todo:
        cls = todo.pop(0)
        if cls in found:
            continue
        found.append(cls)
        # Names imported only for type checking (the flow events) live in facts/events.py.
        namespace = {**vars(events), **vars(sys.modules[cls.__module__])}
        for field_ in dataclasses.fields(cls):
            annotation = field_.type if isinstance(field_.type, str) else repr(field_.type)
            for name in _NAME.findall(annotation):
                value = namespace.get(name)
                # A type alias such as FlowEvent = Union[...] stands for each of its members.
                for candidate in typing.get_args(value) or (value,):
                    if isinstance(candidate, type) and dataclasses.is_dataclass(candidate) and candidate not in found:
                        todo.append(candidate)
    return found


def schema() -> str:
    """A digest of the facts' shape: class names, field names and annotations."""
    global _SCHEMA
    if _SCHEMA is None:
        digest = hashlib.blake2b(digest_size=8)
        for cls in fact_classes():
            digest.update(cls.__name__.encode())
            for field_ in dataclasses.fields(cls):
                digest.update(f":{field_.name}={field_.type}".encode())
            digest.update(b";")
        _SCHEMA = digest.hexdigest()
    return _SCHEMA


_LIST_FIELDS: dict[type, frozenset[str]] = {}


def _compact(obj: Any) -> tuple[Any, ...]:
    """How pickle writes a facts object: as it writes any dataclass (``__newobj__`` is the NEWOBJ
    opcode, ``cls.__new__`` in C on load), without its empty list fields: on load, those read
    the class attribute ``EMPTY`` that ``_dispatch`` set for each list field. Private attributes
    (``_flow``: what facts/interpret.py made of the events) are derived and left out too."""
    lists = _LIST_FIELDS[type(obj)]
    state = {k: v for k, v in obj.__dict__.items() if not (k[0] == "_" or (k in lists and type(v) is list and not v))}
    return (copyreg.__newobj__, (type(obj),), state)  # type: ignore[attr-defined]  # exists, untyped


_DISPATCH: dict[type, Any] | None = None


def _dispatch() -> dict[type, Any]:
    global _DISPATCH
    if _DISPATCH is None:
        for cls in fact_classes():
            names = [f.name for f in dataclasses.fields(cls) if str(f.type).startswith(("list", "List"))]
            for name in names:
                # A class attribute: what an instance without the field in its __dict__ reads.
                # Instances built by the dataclass __init__ always have their own.
                setattr(cls, name, EMPTY)
            _LIST_FIELDS[cls] = frozenset(names)
        _DISPATCH = {**copyreg.dispatch_table, **{cls: _compact for cls in fact_classes()}}
    return _DISPATCH


def dumps(facts: FileFacts, ignored: bool = False) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=PROTOCOL)
    pickler.dispatch_table = _dispatch()
    pickler.dump((schema(), ignored, facts))
    return buffer.getvalue()


def loads(data: bytes) -> tuple[FileFacts, bool] | None:
    """(facts, ignored), or None for anything that is not an entry of this schema."""
    _dispatch()  # the EMPTY class attributes that stand in for the fields left out
    try:
        value: Any = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a corrupt or foreign entry is a miss
        return None
    if not (isinstance(value, tuple) and len(value) == 3 and value[0] == schema()):
        return None
    _, ignored, facts = value
    if not isinstance(facts, FileFacts) or not isinstance(ignored, bool):
        return None
    return facts, ignored
