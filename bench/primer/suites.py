"""The primer's suite list (suites.toml) and where each suite lives on disk."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python < 3.11
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
SUITES_TOML = HERE / "suites.toml"
DEFAULT_CACHE = Path("/work/primer-cache")
CACHE_ENV = "SCOPECHECK_PRIMER_CACHE"
# Where fetched git dirs are (the search tool's `fetch` puts them at <mirror>/<owner>+<repo>/repo).
MIRROR_ENV = "SCOPECHECK_PRIMER_MIRROR"
DEFAULT_MIRROR = Path("/work/.mirror")

_PYPI = re.compile(r"^pypi:(?P<dist>[A-Za-z0-9_.\-]+)==(?P<version>[A-Za-z0-9_.+\-]+)$")
_GITHUB = re.compile(r"^github:(?P<owner>[A-Za-z0-9_.\-]+)/(?P<repo>[A-Za-z0-9_.\-]+)@(?P<commit>[0-9a-f]{40})$")


@dataclass(frozen=True)
class Suite:
    name: str
    source: str
    lint: str
    moto: int
    uses_moto: bool
    style: str
    description: str

    @property
    def kind(self) -> str:
        return self.source.split(":", 1)[0]

    @property
    def pypi(self) -> tuple[str, str]:
        m = _PYPI.match(self.source)
        if not m:
            raise ValueError(f"{self.name}: not a pypi source: {self.source}")
        return m["dist"], m["version"]

    @property
    def github(self) -> tuple[str, str, str]:
        m = _GITHUB.match(self.source)
        if not m:
            raise ValueError(f"{self.name}: not a github source: {self.source}")
        return m["owner"], m["repo"], m["commit"]

    @property
    def version(self) -> str:
        if self.kind == "pypi":
            return self.pypi[1]
        return self.github[2][:10]


def load_suites(path: Path = SUITES_TOML) -> list[Suite]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    suites = []
    seen: set[str] = set()
    for entry in data.get("suite", []):
        suite = Suite(
            name=entry["name"],
            source=entry["source"],
            lint=entry["lint"],
            moto=int(entry["moto"]),
            uses_moto=bool(entry.get("uses_moto", True)),
            style=entry.get("style", ""),
            description=entry.get("description", ""),
        )
        if suite.name in seen:
            raise ValueError(f"duplicate suite name: {suite.name}")
        if not (_PYPI.match(suite.source) or _GITHUB.match(suite.source)):
            raise ValueError(f"{suite.name}: source must be pypi:<dist>==<version> or github:<o>/<r>@<sha>")
        seen.add(suite.name)
        suites.append(suite)
    return suites


def cache_root(option: str | None = None) -> Path:
    if option:
        return Path(option)
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else DEFAULT_CACHE


def mirror_root() -> Path:
    env = os.environ.get(MIRROR_ENV)
    return Path(env) if env else DEFAULT_MIRROR


def suite_dir(cache: Path, suite: Suite) -> Path:
    return cache / suite.name


def stamp_path(cache: Path, suite: Suite) -> Path:
    # Written last by fetch.py: a suite is on disk only when its stamp names its source.
    return cache / suite.name / ".primer-source"


def is_present(cache: Path, suite: Suite) -> bool:
    stamp = stamp_path(cache, suite)
    try:
        return stamp.read_text(encoding="utf-8").strip() == suite.source
    except OSError:
        return False
