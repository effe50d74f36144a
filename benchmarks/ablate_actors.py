"""Leave-one-mechanism-out figures of the actor list on both dev documents (issue 13, session 4).

Switches off one mechanism of issue 13's fourth session at a time (by patching the module
attribute it lives in) and measures both gold documents with `bench_actors.measure`, so each
mechanism's effect on the document it was chosen on and on the other can be read side by side.

    python benchmarks/ablate_actors.py [CONFIG ...]   # default: all configurations
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Callable, Iterator

import bench_actors  # the script's own folder is on sys.path

from policyminer.enrich import ner, spans

NEVER = re.compile(r"(?!x)x")
_RULES = list(ner._PATTERNS)


def _without_rule(rule: str) -> Callable[[], contextlib.AbstractContextManager]:
    """A context that removes the initiative rules of one name."""

    @contextlib.contextmanager
    def cm() -> Iterator[None]:
        ner._PATTERNS[:] = [p for p in _RULES if p[0] != rule]
        try:
            yield
        finally:
            ner._PATTERNS[:] = _RULES

    return cm


def _patched(module: object, name: str, value: object) -> Callable:
    """A context that replaces one module attribute."""

    @contextlib.contextmanager
    def cm() -> Iterator[None]:
        old = getattr(module, name)
        setattr(module, name, value)
        try:
            yield
        finally:
            setattr(module, name, old)

    return cm


def _tagged_sites_only(texts: list[str], found: list[tuple]) -> list[tuple]:
    """The definition sites before session 4: only where the NER tagged the acronym."""
    return sorted({(i, s, e, n) for i, _, s, e, n in found if spans._ACRONYM_ONLY.fullmatch(n)})


CONFIGS: dict[str, Callable] = {
    "all": contextlib.nullcontext,
    "-owned guidance titles": _without_rule("owned"),
    "-kind-noun introductions": _without_rule("introduced"),
    "-compound modifiers": _patched(ner, "_modifier_only", lambda *a: False),
    "-owner cut": _patched(spans, "_without_owner", lambda name, known: name),
    "-known title": _patched(spans, "_known_title", lambda name, known: name),
    "-lower-case expansions": _patched(spans, "_LOWER_EXPANSION", NEVER),
    "-untagged definition sites": _patched(spans, "_acronym_sites", _tagged_sites_only),
    "-sentence-start neutral": _patched(spans, "_opens_sentence", lambda w, b: False),
    "-abbreviation full stops": _patched(ner, "_ABBREVIATION_END", NEVER),
    # from the brief's list, chosen on neither document
    "-predicate definitions": _without_rule("defined"),
    # chosen on Drammen's false entries (NSM 2021 held out for these)
    "-acronym plurals": _patched(spans, "_ACRONYM_PLURAL", NEVER),
    "-generic genitives": _patched(spans, "_generic_genitive", lambda text: False),
    "-everyday compounds": _patched(ner, "_EVERYDAY_COMPOUND", NEVER),
    "-communities": _patched(spans, "_COMMUNITY", NEVER),
}


def main() -> None:
    wanted = sys.argv[1:] or list(CONFIGS)
    ner.load_pipeline()
    print(f"{'':28}{'Drammen (salient, precision, initiatives, listed)':>52}{'NSM 2021':>40}")
    for name in wanted:
        with CONFIGS[name]():
            row = []
            for path, gold_file, key, _role in bench_actors.DOCUMENTS:
                gold = json.loads(gold_file.read_text(encoding="utf-8"))[key]
                r = bench_actors.measure(path, gold, 1)
                initiatives = r["per_label"].get("INITIATIVE", {}).get("recall")
                row.append(
                    (r["salient"]["recall"], r["list"]["precision"], initiatives, r["actors"])
                )
        print(f"{name:28}" + "".join(f"{cells!s:>46}" for cells in row), flush=True)


if __name__ == "__main__":
    main()
