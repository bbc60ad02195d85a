"""Plain, picklable records of what a file contains.

Facts are what the extractor saw; rules decide what is wrong. Keeping them free of AST nodes lets
the cache store them and lets the cross-file model work without re-parsing anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from scopecheck.findings import Location

MOCK_AWS = "mock_aws"


class _NoItems(tuple[object, ...]):
    """The empty list of a fact loaded from the cache: reads like ``[]``, adds like a list."""

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


NO_ITEMS = _NoItems()


class _CompactState:
    """Pickles without its empty lists; on load they resolve to a shared, read-only empty value.

    Most of a function's lists are empty: leaving them out of the cache (and not rebuilding them)
    makes a warm run load its facts several times faster on moto's test suite. Facts are read-only
    once extracted, so nothing appends to a loaded one."""

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if not (type(v) is list and not v)}


def _empty_list_defaults(cls: type) -> type:
    """Class attributes that stand in for the list fields a cached instance left out."""
    # Set by @dataclass, which is applied first; mypy's `type` does not know it.
    for name, field_ in cls.__dataclass_fields__.items():  # type: ignore[attr-defined]
        if str(field_.type).startswith("list"):
            setattr(cls, name, NO_ITEMS)
    return cls


@dataclass
class MockActivation:
    """A point where a moto mock starts patching: a decorator, a ``with`` or a ``.start()``."""

    kind: str  # "decorator" | "with" | "start"
    loc: Location
    factory: str  # "mock_aws", or a moto<5 name such as "mock_s3"
    has_config: bool = False
    key: str | None = None  # for .start(): the object it was called on ("m", "self.mock")
    nested_in: Location | None = None  # the same function's activation still active when this one starts

    @property
    def service(self) -> str | None:
        """The single service of a moto<5 mock, None for mock_aws (all services)."""
        return None if self.factory == MOCK_AWS else self.factory[len("mock_") :]


@dataclass
class ClientCall:
    """A call that makes a boto3 client, resource or Session."""

    loc: Location
    kind: str  # "client" | "resource" | "session"
    service: str | None
    has_region: bool
    explicit_credentials: bool
    mocked_locally: bool  # inside a with-mock/after start() of the same function, or a mock decorator
    target: str | None = None  # the variable it was assigned to
    has_endpoint: bool = False  # an explicit endpoint_url: not an AWS endpoint that moto would serve
    throwaway: bool = False  # only an attribute of it is used (``Session().region_name``): nothing keeps it
    deferred: bool = False  # functools.partial(boto3.client, ...): the client is built when called


@dataclass
class MockStart:
    """A ``.start()`` on a mock object, with what the function does about stopping it."""

    loc: Location
    key: str | None
    stopped_later: bool  # a .stop() on the same object follows in the same function
    registered_stop: bool  # its stop is handed to addfinalizer/addCleanup/atexit


@dataclass
class MockReturn:
    """A ``return`` while a mock of the function's own is active, or after it stopped one."""

    loc: Location
    ends: list[MockActivation]  # the ``with`` mock blocks this return leaves: they stop here
    running: list[MockActivation]  # ``.start()``ed mocks still active: they keep running after it
    stopped_at: Location | None  # the function's last stop of a mock of its own before this return
    has_value: bool


@dataclass
class FixtureInfo:
    name: str
    scope: str  # function|class|module|package|session|unknown
    autouse: bool
    has_params: bool


@dataclass
class LateClientUse:
    """A client made with no mock active, used after a mock was activated later (SCP102)."""

    client: ClientCall
    use: Location
    activation: MockActivation


@_empty_list_defaults
@dataclass
class FunctionFacts(_CompactState):
    name: str
    qualname: str
    loc: Location  # the def line
    class_name: str | None = None
    is_classmethod: bool = False
    is_staticmethod: bool = False
    is_test: bool = False
    fixture: FixtureInfo | None = None
    fixture_decorator_loc: Location | None = None
    mock_decorators: list[MockActivation] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    usefixtures: list[str] = field(default_factory=list)
    dynamic_fixtures: list[str] = field(default_factory=list)
    dynamic_fixture_lines: list[int] = field(default_factory=list)  # where each getfixturevalue is
    dynamic_unknown: bool = False  # a request.getfixturevalue whose name is computed
    parametrize_args: list[str] = field(default_factory=list)  # direct (not indirect) parametrize names
    is_generator: bool = False
    clients: list[ClientCall] = field(default_factory=list)
    activations: list[MockActivation] = field(default_factory=list)
    nested_activations: list[MockActivation] = field(default_factory=list)
    yield_under_mock: MockActivation | None = None
    mock_returns: list[MockReturn] = field(default_factory=list)
    late_client_uses: list[LateClientUse] = field(default_factory=list)
    starts: list[MockStart] = field(default_factory=list)
    double_stops: list[Location] = field(default_factory=list)
    stop_keys: list[str] = field(default_factory=list)
    anonymous_stops: list[Location] = field(default_factory=list)  # ``mock_x().stop()``
    mock_locals: list[str] = field(default_factory=list)  # local names this function binds to a mock
    # Those of mock_locals that other code may reach: used other than by ``.start()``/``.stop()``
    # (returned, yielded, stored, passed on) or declared ``global``/``nonlocal``.
    shared_mock_locals: list[str] = field(default_factory=list)
    sets_credentials: bool = False
    sets_region: bool = False
    calls_client_attrs: list[str] = field(default_factory=list)  # X in self.X.op() / cls.X.op()
    client_attrs: list[str] = field(default_factory=list)  # X in self.X = boto3.client()
    uses_client_var: bool = False
    returned_names: list[str] = field(default_factory=list)
    writes_under_mock: bool = False  # create_*/put_*... called under its own mock, before any yield
    is_async: bool = False  # an ``async def`` (SCP206)
    # aiobotocore/aioboto3 clients it makes (SCP105): has_endpoint means moto's in-process mock
    # would not intercept them (a moto server's, LocalStack's, or an unknown endpoint_url).
    async_clients: list[ClientCall] = field(default_factory=list)

    @property
    def holds_mock(self) -> MockActivation | None:
        """The mock this fixture keeps active while the test runs, if any."""
        if self.is_generator:
            return self.yield_under_mock
        for start in self.starts:
            # A stop handed to addfinalizer/addCleanup runs after the test: the mock is held.
            if not start.stopped_later:
                return next((a for a in self.activations if a.loc == start.loc), None)
        return None


@_empty_list_defaults
@dataclass
class ClassFacts(_CompactState):
    name: str
    loc: Location
    mock_decorators: list[MockActivation] = field(default_factory=list)
    usefixtures: list[str] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)
    is_test_class: bool = False
    parametrize_args: list[str] = field(default_factory=list)


@dataclass
class ImportRef:
    """A module-level import, kept to resolve first-party modules (SCP104)."""

    module: str  # dotted, without leading dots
    level: int  # relative import level
    names: list[str]
    loc: Location


@dataclass
class LegacyApiUse:
    loc: Location
    names: list[str]
    is_import: bool


@_empty_list_defaults
@dataclass
class FileFacts(_CompactState):
    path: str
    is_test_module: bool = False
    is_conftest: bool = False
    parse_error: tuple[Location, str] | None = None
    imports_moto: bool = False
    legacy_uses: list[LegacyApiUse] = field(default_factory=list)
    import_time_clients: list[ClientCall] = field(default_factory=list)
    module_starts: list[MockStart] = field(default_factory=list)
    module_stop_keys: list[str] = field(default_factory=list)
    module_anonymous_stops: list[Location] = field(default_factory=list)  # ``mock_x().stop()``
    functions: list[FunctionFacts] = field(default_factory=list)
    classes: list[ClassFacts] = field(default_factory=list)
    module_usefixtures: list[str] = field(default_factory=list)
    pytest_plugins: list[str] = field(default_factory=list)
    imports: list[ImportRef] = field(default_factory=list)
    sets_region: bool = False  # anywhere in the file: module level or any function
    sets_region_at_import: bool = False  # module-level code writes AWS_DEFAULT_REGION
    sets_credentials_at_import: bool = False  # module-level code writes AWS credentials
    main_guard_lines: list[tuple[int, int]] = field(default_factory=list)
    all_clients: list[ClientCall] = field(default_factory=list)
    # Line ranges of try/except-ImportError branches that fall back to or from mock_aws (SCP401).
    import_shims: list[tuple[int, int]] = field(default_factory=list)
    # Line ranges of try bodies whose handler catches ImportError (SCP401: the failure is handled).
    import_guards: list[tuple[int, int]] = field(default_factory=list)
    # Line ranges of try bodies that handle NoRegionError (SCP402: the code copes with no region).
    region_guards: list[tuple[int, int]] = field(default_factory=list)
    # Module-level def/class name -> the module globals it may read (SCP104: what an importer of
    # only some names reaches); filled only for non-test modules that build a client at import.
    global_reads: dict[str, list[str]] = field(default_factory=dict)
    patches_aiobotocore: bool = False  # patches aiobotocore's internals to run under moto in process (SCP105)
    moto_server: bool = False  # mentions ThreadedMotoServer / moto.server: async clients may talk to it (SCP402)
