"""Fill unfinished translations of a Qt .ts catalogue from other catalogues (e.g. after a merge).

    python scripts/ts_fill.py TARGET.ts OTHER.ts [OTHER.ts ...]

A message matches on (context, source, comment). Only messages that are empty or marked
"unfinished" in TARGET are filled; finished translations are never overwritten. Run
`python -m desktop.ui.i18n update` afterwards to normalise the file.
"""

from __future__ import annotations

import copy
import sys
import xml.etree.ElementTree as ET


def _key(ctx: str, m: ET.Element) -> tuple[str, str, str]:
    return (ctx, m.findtext("source") or "", m.findtext("comment") or "")


def _finished(tr: ET.Element | None) -> bool:
    if tr is None or tr.get("type") in ("unfinished", "obsolete", "vanished"):
        return False
    forms = tr.findall("numerusform")
    return all((f.text or "").strip() for f in forms) if forms else bool((tr.text or "").strip())


def known(paths: list[str]) -> dict[tuple[str, str, str], ET.Element]:
    out: dict[tuple[str, str, str], ET.Element] = {}
    for p in paths:
        for ctx in ET.parse(p).getroot().findall("context"):
            name = ctx.findtext("name") or ""
            for m in ctx.findall("message"):
                tr = m.find("translation")
                if _finished(tr):
                    out.setdefault(_key(name, m), tr)
    return out


def fill(target: str, sources: list[str]) -> int:
    have = known(sources)
    tree = ET.parse(target)
    n = 0
    for ctx in tree.getroot().findall("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.findall("message"):
            tr = m.find("translation")
            if _finished(tr):
                continue
            src = have.get(_key(name, m))
            if src is None:
                continue
            if tr is not None:
                m.remove(tr)
            m.append(copy.deepcopy(src))
            n += 1
    tree.write(target, encoding="utf-8", xml_declaration=True)
    return n


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    print(f"filled {fill(argv[0], argv[1:])} message(s) in {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
