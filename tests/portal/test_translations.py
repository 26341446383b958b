from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]


def test_every_message_has_a_chinese_translation():
    po = polib.pofile(str(ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert untranslated == []
