#!/usr/bin/env python
"""Fill Chinese translations into locale/zh_Hans/LC_MESSAGES/django.po.

    python scripts/po_fill.py translations.tsv   # lines: English<TAB>中文
    python scripts/po_fill.py --missing          # list msgids still untranslated

Entries already translated are left alone unless the TSV names them; fuzzy
flags are cleared on entries the TSV sets. Plural entries take "one|other".
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def missing(po: polib.POFile) -> list[str]:
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def main(argv: list[str]) -> int:
    po = polib.pofile(str(PO))
    if argv == ["--missing"]:
        for msgid in missing(po):
            print(msgid.replace("\n", "\\n"))
        return 0
    table: dict[str, str] = {}
    for path in argv:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if "\t" in line and not line.startswith("#"):
                en, zh = line.split("\t", 1)
                table[en.replace("\\n", "\n")] = zh.replace("\\n", "\n")
    changed = 0
    for entry in po:
        if entry.msgid in table:
            value = table[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value.split("|")[-1]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            changed += 1
    po.save()
    print(f"set {changed}; still missing {len(missing(po))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
