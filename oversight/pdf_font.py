"""A CJK font embedded in the digest PDF, cut down to the characters the document uses.

reportlab embeds TrueType fonts (subset) but not the CFF outlines of the Noto
CJK fonts Debian installs (fonts-noto-cjk). So for each document this module
takes the characters it uses from the system's Noto Sans CJK SC, converts their
outlines to TrueType (fontTools' cu2qu) and registers the result: a small font
that every PDF reader shows the same. Without a CJK font file, reportlab's
built-in STSong-Light (named, not embedded) is the fallback.
"""

from __future__ import annotations

import hashlib
import io
import threading
import uuid
from functools import lru_cache
from pathlib import Path

from django.conf import settings

FALLBACK = "STSong-Light"
# (file, family inside a collection); settings.MINSHENG["PDF_CJK_FONT"] may name another file.
CANDIDATES = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
]
# Always in the subset: what footers, numbers and punctuation need whatever the data says.
BASE_CHARS = frozenset(chr(c) for c in range(0x20, 0x7F)) | frozenset("·–—…“”‘’（）：；，。、％《》")
_lock = threading.Lock()


def _source() -> tuple[str, int] | None:
    configured = settings.MINSHENG.get("PDF_CJK_FONT")
    for path, family in ([(configured, None)] if configured else []) + CANDIDATES:
        if path and Path(path).exists():
            return path, _collection_index(path, family)
    return None


@lru_cache(maxsize=8)
def _collection_index(path: str, family: str | None) -> int:
    if not path.lower().endswith(".ttc") or family is None:
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    for index, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == family:
            return index
    return 0


def font_for(text: str) -> str:
    """The name of a newly registered font that draws every character of ``text`` (embedded when possible).

    Each document gets a font object of its own: reportlab keeps per-document
    subset state on the font object, and a reused one can leave glyphs out of a
    later document. ``font_release`` forgets it once the document is built.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    source = _source()
    if source is None:
        if FALLBACK not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
        return FALLBACK
    from reportlab.pdfbase.ttfonts import TTFont

    chars = frozenset(c for c in text if c >= " ") | BASE_CHARS
    name = f"MinshengCJK-{uuid.uuid4().hex[:16]}"
    with _lock:
        data = _truetype_subset(source[0], source[1], "".join(sorted(chars)))
    pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    return name


def font_release(name: str) -> None:
    """Forget a document's font (reportlab has no public call for it; its registry is a dict)."""
    from reportlab.pdfbase import pdfmetrics

    if name != FALLBACK:
        pdfmetrics._fonts.pop(name, None)


@lru_cache(maxsize=16)
def _truetype_subset(path: str, index: int, chars: str) -> bytes:
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # the subsetter narrates every step at INFO
    font = TTFont(path, fontNumber=index)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_truetype(font)
    # reportlab files type faces by their PostScript name: every cut needs a name of its own, or a
    # later document would draw with an earlier cut's glyph numbers.
    postscript = "MinshengCJK-" + hashlib.sha1(chars.encode()).hexdigest()[:12]
    font["name"].setName(postscript, 6, 3, 1, 0x409)
    font["name"].setName(postscript, 6, 1, 0, 0)
    font["name"].setName(postscript, 4, 3, 1, 0x409)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _cff_to_truetype(font) -> None:
    """Replace CFF (cubic) outlines by TrueType (quadratic) ones, after fontTools' otf2ttf example."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\000\001\000\000"
