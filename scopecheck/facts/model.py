"""Plain, picklable records of what a file contains.

Facts are what the extractor saw; rules decide what is wrong. Keeping them free of AST nodes lets
the cache store them and lets the cross-file model work without re-parsing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scopecheck.facts.env_writes import EnvFacts
from scopecheck.facts.servers import ServerFacts
from scopecheck.findings import Location

if TYPE_CHECKING:  # events.py builds on this module's records
    from scopecheck.facts.events import FlowEvent

MOCK_AWS = "mock_aws"


@dataclass
class MockActivation:
    """A point where a moto mock starts patching: a decorator, a ``with`` or a ``.start()``."""

    kind: str  # "decorator" | "with" | "start"
    loc: Location
    factory: str  # "mock_aws", or a moto<5 name such as "mock_s3"
    has_config: bool = False
    key: str | None = None  # for .start(): the object it was called on ("m", "self.mock")

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
    """A module-level ``.start()`` on a mock object (``key`` None for ``mock_aws().start()``)."""

    loc: Location
    key: str | None


@dataclass
class FixtureInfo:
    name: str
    scope: str  # function|class|module|package|session|unknown
    autouse: bool


@dataclass
class FunctionFacts:
    name: str
    loc: Location  # the def line
    class_name: str | None = None
    is_classmethod: bool = False
    is_staticmethod: bool = False
    is_test: bool = False
    fixture: FixtureInfo | None = None
    mock_decorators: list[MockActivation] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    usefixtures: list[str] = field(default_factory=list)
    dynamic_fixtures: list[str] = field(default_factory=list)
    dynamic_fixture_lines: list[int] = field(default_factory=list)  # where each getfixturevalue is
    dynamic_unknown: bool = False  # a request.getfixturevalue whose name is computed
    parametrize_args: list[str] = field(default_factory=list)  # direct (not indirect) parametrize names
    is_generator: bool = False
    clients: list[ClientCall] = field(default_factory=list)
    activations: list[MockActivation] = field(default_factory=list)  # its with-blocks and starts
    # Its class's mock decorator wraps it (a plain method of a decorated class): runs under that mock.
    under_class_mock: bool = False
    # What the body does with its own mocks and clients, in source order (facts/events.py).
    events: list[FlowEvent] = field(default_factory=list)
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
    returned_names: list[str] = field(default_factory=list)
    is_async: bool = False  # an ``async def`` (SCP206)
    # aiobotocore/aioboto3 clients it makes (SCP105): has_endpoint means moto's in-process mock
    # would not intercept them (a moto server's, LocalStack's, or an unknown endpoint_url).
    async_clients: list[ClientCall] = field(default_factory=list)

    @property
    def qualname(self) -> str:
        """``Class.method`` (nested classes dotted), or the function's name at module level."""
        return f"{self.class_name}.{self.name}" if self.class_name else self.name


@dataclass
class ClassFacts:
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


@dataclass
class FileFacts:
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
    env: EnvFacts | None = None  # os.environ writes and watched settings (SCP303, SCP403); None: none
    server: ServerFacts | None = None  # ThreadedMotoServer uses and endpoint_url values (SCP403, SCP404)
    patches_aiobotocore: bool = False  # patches aiobotocore's internals to run under moto in process (SCP105)
    moto_server: bool = False  # mentions ThreadedMotoServer / moto.server: async clients may talk to it (SCP402)
