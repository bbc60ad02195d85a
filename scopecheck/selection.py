"""Which rule codes are on: ruff-style select/ignore by code or prefix.

A rule that is off by default (SCP301 on moto >= 5) is not turned on by the bare ``SCP`` prefix,
which is the default selection and what flake8 users write to enable the plugin; ``ALL`` or any
more specific prefix (``SCP3``, ``SCP301``) selects it.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"^(ALL|SCP\d{0,3})$")


def known_codes() -> list[str]:
    from scopecheck.rules import RULES_BY_CODE

    return list(RULES_BY_CODE)


def validate_codes(codes: list[str]) -> list[str]:
    """Upper-cased codes; each must be ALL or a prefix of a known code."""
    result: list[str] = []
    known = known_codes()
    for raw in codes:
        code = raw.strip().upper()
        if not code:
            continue
        if not _CODE.match(code) or (code != "ALL" and not any(k.startswith(code) for k in known)):
            raise ValueError(f"unknown rule code or prefix {raw.strip()!r} (see --list-rules)")
        result.append(code)
    return result


PLUGIN_PREFIX = "SCP"


def _match_len(code: str, prefixes: list[str], *, skip_plugin_prefix: bool = False) -> int:
    best = -1
    for prefix in prefixes:
        if prefix == "ALL":
            best = max(best, 0)
        elif skip_plugin_prefix and prefix == PLUGIN_PREFIX:
            continue
        elif code.startswith(prefix):
            best = max(best, len(prefix))
    return best


def is_enabled(code: str, select: list[str], ignore: list[str], *, opt_in: bool = False) -> bool:
    """The most specific matching prefix wins; on a tie, ignore wins. An *opt_in* rule is not
    selected by the bare ``SCP`` prefix."""
    selected = _match_len(code, select, skip_plugin_prefix=opt_in)
    if selected < 0:
        return False
    return selected > _match_len(code, ignore)


def split_codes(values: tuple[str, ...] | list[str]) -> list[str]:
    """Accept ``--select A,B --select C``."""
    return [part for value in values for part in value.split(",") if part.strip()]
