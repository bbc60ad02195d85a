"""One resolved configuration per run: what the command line, the flake8 plugin and ``--fix`` lint
with, and the key of the run cache.

``[tool.scopecheck]`` settings, command-line overrides, the project root (and what its test
configuration sets) and the installed moto are resolved here, once, into a frozen ``RunConfig``.
Every field is something that can change a run's findings, so the run-cache key is a hash over
all of them (``dataclasses.fields``): a new field is in the key without anyone remembering to
add it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass

from scopecheck import __version__
from scopecheck.config import Settings, ini_sets_default_region, project_root, root_is_guessed
from scopecheck.findings import Severity


@dataclass(frozen=True)
class RunConfig:
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]  # (glob, codes), in config order
    base_dir: str  # where the config's relative globs are anchored
    exclude: tuple[str, ...]
    extend_exclude: tuple[str, ...]
    respect_gitignore: bool
    config_path: str | None
    fail_on: Severity
    moto_major: int
    root: str  # the project root: import resolution, paths in messages
    root_guessed: bool  # no marker file (pyproject.toml, .git, ...) was found above the start
    ini_sets_region: bool  # the test configuration sets AWS_DEFAULT_REGION (SCP402)
    cwd: str  # relative paths on the command line and in reports are relative to it
    cache_dir: str | None  # None: no cache
    version: str
    code_fingerprint: str  # scopecheck's own code, rules included

    @property
    def settings(self) -> Settings:
        """The discovery settings (excludes, .gitignore) as ``discover`` reads them."""
        return Settings(
            select=list(self.select),
            ignore=list(self.ignore),
            per_file_ignores={glob: list(codes) for glob, codes in self.per_file_ignores},
            exclude=list(self.exclude),
            extend_exclude=list(self.extend_exclude),
            fail_on=self.fail_on,
            target_moto_version=self.moto_major,
            respect_gitignore=self.respect_gitignore,
            config_path=self.config_path,
            base_dir=self.base_dir,
        )

    def key(self) -> str:
        """A stable hash of every field (same across processes and runs, unlike ``hash``)."""
        plain = {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}
        text = json.dumps(plain, sort_keys=True, ensure_ascii=False)
        return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()

    def without_cache(self) -> RunConfig:
        return dataclasses.replace(self, cache_dir=None)


def _plain(value: object) -> object:
    if isinstance(value, Severity):
        return value.label
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def resolve(
    settings: Settings,
    start: str,
    *,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    target_moto: int | None = None,
    fail_on: Severity | None = None,
    cache: bool = False,
    cache_dir: str | None = None,
    root: str | None = None,
) -> RunConfig:
    """The configuration of a run that starts at *start* (the first path, or stdin's file name).

    *select* replaces the config's ``select``; *extend_select* and *ignore* add to the config's.
    *cache*: use a cache, in *cache_dir* or the default one of the project. *root* overrides the
    project root found from *start*."""
    from scopecheck.cache import code_fingerprint, default_cache_dir
    from scopecheck.moto_version import target_moto_major

    chosen = list(select) if select is not None else list(settings.select)
    resolved_root = os.path.abspath(root) if root else project_root(start)
    return RunConfig(
        select=tuple(chosen + settings.extend_select + list(extend_select)),
        ignore=tuple(settings.ignore + list(ignore)),
        per_file_ignores=tuple((glob, tuple(codes)) for glob, codes in settings.per_file_ignores.items()),
        base_dir=settings.base_dir,
        exclude=tuple(settings.exclude),
        extend_exclude=tuple(settings.extend_exclude),
        respect_gitignore=settings.respect_gitignore,
        config_path=settings.config_path,
        fail_on=fail_on if fail_on is not None else settings.fail_on,
        moto_major=target_moto_major(target_moto if target_moto is not None else settings.target_moto_version),
        root=resolved_root,
        root_guessed=not root and root_is_guessed(start),
        ini_sets_region=ini_sets_default_region(resolved_root),
        cwd=os.getcwd(),
        cache_dir=(cache_dir or default_cache_dir(start)) if cache else None,
        version=__version__,
        code_fingerprint=code_fingerprint(),
    )
