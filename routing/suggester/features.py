"""The suggester's features: jieba words (with the duty catalogue's phrases in its dictionary), Chinese character
bigrams, English words and pairs, hits on catalogue phrases (as the phrase and as its office), the kind."""

from __future__ import annotations

import functools
import logging
import re
import threading

from city import catalogue
from routing.rules import KeywordScanner

CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
WORD = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9][a-z0-9'\-]*")
EN_WORD = re.compile(r"[a-z]+")
# The suggester reads the title and the start of the text: beyond this a long
# letter adds little to where it belongs but keeps costing time (rules read it all).
MAX_TEXT_CHARS = 400
STOP_EN = frozenset(
    "the a an and or of to in on at for is are was were be been it its this that there with from by as our my we "
    "i you they he she not no but have has had do does did can could would should will so very please".split()
)

# How much one catalogue phrase counts as a training document, next to one real case (1.0).
TERM_WEIGHT = 0.3
# Share of the catalogue-only model in the blend with the model trained on history: chosen out of
# fold among these, or the default when there is too little history to measure.
PRIOR_WEIGHTS = (0.0, 0.25, 0.5, 0.75)
PRIOR_WEIGHT = 0.5

_jieba = None
_jieba_lock = threading.Lock()


def _tokenizer():
    """jieba, initialised once and lazily, silent, with the catalogue phrases as words."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for terms in catalogue.TERMS.values():
                    for term in terms:
                        if CJK_RUN.fullmatch(term):
                            tokenizer.add_word(term, freq=2000)
                _jieba = tokenizer
    return _jieba


_term_scanner: KeywordScanner | None = None
_term_offices: dict[str, list[str]] = {}


def _catalogue_scanner() -> KeywordScanner:
    global _term_scanner
    if _term_scanner is None:
        for office, terms in catalogue.TERMS.items():
            for term in terms:
                _term_offices.setdefault(term.lower(), []).append(office)
        _term_scanner = KeywordScanner(_term_offices)
    return _term_scanner


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def features(title: str, text: str, kind: str = "") -> list[str]:
    """The feature tokens of one case (order irrelevant, repeats count)."""
    return list(_features_cached(title, text, kind))


@functools.lru_cache(maxsize=4096)
def _features_cached(title: str, text: str, kind: str) -> tuple[str, ...]:
    text = text[:MAX_TEXT_CHARS]
    title_tokens = _text_tokens(title.lower())
    tokens = title_tokens + title_tokens + _text_tokens(text.lower())  # the title says the most: count it twice
    for term in _catalogue_scanner().present(f"{title}\n{text}".lower()):
        tokens.append("t:" + term)
        tokens.extend("d:" + office for office in _term_offices[term])
    if kind:
        tokens.append("k:" + kind)
    return tuple(tokens)


def _text_tokens(text: str) -> list[str]:
    """jieba words and character bigrams of the Chinese, words and word pairs of the English."""
    if not text:
        return []
    chinese = "，".join(CJK_RUN.findall(text))  # jieba sees only the Chinese: English costs it time for nothing
    tokens = ["w:" + w for w in _tokenizer().lcut(chinese, HMM=False) if len(w) > 1] if chinese else []
    for chunk in WORD.findall(text):
        if CJK_RUN.match(chunk):
            tokens.extend("c:" + chunk[i : i + 2] for i in range(len(chunk) - 1))
        elif chunk not in STOP_EN and len(chunk) > 1:
            tokens.append("e:" + _stem(chunk))
    english = [_stem(w) for w in EN_WORD.findall(text) if w not in STOP_EN]
    tokens.extend(f"b:{a}_{b}" for a, b in zip(english, english[1:], strict=False))
    return tokens


def _identity(tokens):
    return tokens
