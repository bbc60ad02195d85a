"""Where something happened in the suite's own code: the first frame outside the installed
packages, the standard library and scopecheck itself, plus the import chain when module code
was running (a client built while a test module imports the application)."""

from __future__ import annotations

import os
import site
import sys
import sysconfig
from dataclasses import dataclass
from types import FrameType

# realpath: frames are compared by their real file names, also when scopecheck is reached by a link.
_SCOPECHECK_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


@dataclass(frozen=True)
class Site:
    path: str  # absolute file name
    line: int
    function: str  # code name; "<module>" for module-level code

    @property
    def at_module_level(self) -> bool:
        return self.function == "<module>"

    def short(self, root: str | None = None) -> str:
        return f"{relative(self.path, root)}:{self.line}"


@dataclass(frozen=True)
class Origin:
    """The first user frame, and the module-level user frames below it, outermost first."""

    site: Site
    chain: tuple[Site, ...]  # empty unless module code (an import) was running

    @property
    def at_import(self) -> bool:
        return bool(self.chain)


def _library_prefixes() -> tuple[str, ...]:
    paths = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            paths.add(os.path.realpath(sysconfig.get_paths()[key]))
        except (KeyError, OSError):
            pass
    try:
        paths.update(os.path.realpath(p) for p in site.getsitepackages())
    except AttributeError:  # virtualenv's old site.py
        pass
    paths.add(os.path.realpath(sys.base_prefix) + os.sep + "lib")
    return tuple(sorted(p.rstrip(os.sep) + os.sep for p in paths if p))


_PREFIXES = _library_prefixes()
_user_cache: dict[str, bool] = {}


def is_user_file(filename: str) -> bool:
    known = _user_cache.get(filename)
    if known is not None:
        return known
    user = True
    if not filename or filename.startswith("<"):
        user = False
    else:
        real = os.path.realpath(filename)
        if (
            "site-packages" in real.split(os.sep)
            or "dist-packages" in real.split(os.sep)
            or real.startswith(_PREFIXES)
            or real.startswith(_SCOPECHECK_DIR + os.sep)
        ):
            user = False
    _user_cache[filename] = user
    return user


def origin(frame: FrameType | None, limit: int = 200) -> Origin | None:
    """The suite's frame nearest to `frame` (walking outwards), and its import chain."""
    first: Site | None = None
    chain: list[Site] = []
    depth = 0
    while frame is not None and depth < limit:
        code = frame.f_code
        if is_user_file(code.co_filename):
            here = Site(code.co_filename, frame.f_lineno, code.co_name)
            if first is None:
                first = here
            if code.co_name == "<module>":
                chain.append(here)
        frame = frame.f_back
        depth += 1
    if first is None:
        return None
    return Origin(first, tuple(reversed(chain)))


def caller_origin(skip: int = 1) -> Origin | None:
    try:
        frame: FrameType | None = sys._getframe(skip + 1)
    except ValueError:
        return None
    return origin(frame)


def relative(path: str, root: str | None) -> str:
    if root:
        try:
            rel = os.path.relpath(path, root)
        except ValueError:  # another drive on Windows
            return path
        if not rel.startswith(".."):
            return rel.replace(os.sep, "/")
    return path


def is_test_file(path: str) -> bool:
    """A test module or conftest.py, by pytest's default naming."""
    name = os.path.basename(path)
    return name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py")
