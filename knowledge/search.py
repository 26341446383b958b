"""Chinese (and English) full-text search over the articles.

Text is cut into words with jieba's search mode (words and their shorter
parts), English words are lower-cased and lightly stemmed, and filler words
of a question (请问, 怎么, how, can…) are dropped. The words, joined by spaces,
become a 'simple' tsvector (title and keywords weight A, body weight B) with
a GIN index. A query matches any of its words; each match counts its
inverse document frequency over the published articles, times the weight of
the field it was found in, so a rare word in a title beats a common word in
a body. Without any word match, trigram similarity of the titles (pg_trgm) is
the fallback.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from dataclasses import dataclass

from django.db import connection

log = logging.getLogger(__name__)

_jieba = None
_lock = threading.Lock()

CJK = re.compile(r"[\u3400-\u9fff]+")
LATIN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
# Words every question is made of; they say nothing about its subject.
STOP_ZH = frozenset(
    """请问 问 问一下 一下 您好 你好 我 我们 我家 你 他 她 他们 的 了 吗 呢 吧 啊 是 不是 在 有 没有
    和 与 或 还 也 都 就
    怎么 怎么办 怎样 如何 什么 哪里 哪儿 哪个 哪些 哪家 多少 多久 几 几点 是否 能 能不能 可以 可不可以 会 会不会 要 需要
    想 去 到 给 把 被 让 对 从 这 那 这个 那个 这种 一个 现在 听说 一般 最近 今年 已经 还是 或者 但是 如果 因为 所以 请
    帮 帮忙 谢谢 一些 有没有 该 应该 为什么 这样 情况 问题 相关 规定 多长时间 时候 之后 以后 之前 以前 刚 才 又 再 能否
    办理 办 咋 咨询 清河 清河市 市里 市""".split()
)
STOP_EN = frozenset(
    """a an the i me my we our you your he she it its they them their is are was were be been am do does did
    can could will would should shall may might must to of in on at for from by with about as into after
    before and or but if not no yes so than then there here this that these those what which who whom how
    when where why any some all there's i'm im have has had get got just also still only very much many
    please hi hello thanks thank qinghe city want need know tell anyone someone""".split()
)


def _tokenizer():
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                _jieba = tokenizer
    return _jieba


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def words(text: str) -> list[str]:
    """The searchable words of ``text``: jieba search-mode words of its Chinese, stemmed English words."""
    text = (text or "").lower()
    out: list[str] = []
    for run in CJK.findall(text):
        for word in _tokenizer().cut_for_search(run):
            if word not in STOP_ZH:
                out.append(word)
    for word in LATIN.findall(CJK.sub(" ", text)):
        if word not in STOP_EN and (len(word) > 1 or word.isdigit()):
            out.append(_stem(word))
    return out


def segmented(text: str) -> str:
    """``words(text)`` joined by spaces: the form stored for ``to_tsvector('simple', …)``."""
    return " ".join(words(text))


# The weights of a hit in the title/keywords (A) and in the body (B); C and D are unused.
RANK_WEIGHTS = "{0, 0, 0.45, 1.0}"


@dataclass(frozen=True)
class Hit:
    article_id: int
    score: float
    how: str  # "words" | "similar"


def _lexeme(word: str) -> str:
    """A tsquery operand for one word: quoted, so punctuation and operators stay literal."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def search_ids(query: str, *, limit: int = 3, valid_on=None, department_ids: list[int] | None = None) -> list[Hit]:
    """The best ``limit`` published articles for ``query``, best first (two queries; GIN-indexed)."""
    terms = list(dict.fromkeys(words(query)))[:24]
    filters = ["a.is_published"]
    params: list = []
    if valid_on is not None:
        filters.append("a.valid_from <= %s AND (a.valid_until IS NULL OR a.valid_until >= %s)")
        params += [valid_on, valid_on]
    if department_ids is not None:
        filters.append("a.department_id = ANY(%s)")
        params.append(list(department_ids))
    where = " AND ".join(filters)
    hits: list[Hit] = []
    if terms:
        lexemes = [_lexeme(t) for t in terms]
        with connection.cursor() as cursor:
            # Document frequencies over the searchable articles, one column per word.
            columns = ", ".join("count(*) FILTER (WHERE a.search_vector @@ %s::tsquery)" for _ in lexemes)  # noqa: S608 - only placeholders are interpolated
            cursor.execute(f"SELECT count(*), {columns} FROM knowledge_article a WHERE {where}", [*lexemes, *params])
            total, *frequencies = cursor.fetchone()
            scored = [
                (lexeme, math.log(1 + (total - df + 0.5) / (df + 0.5)))
                for lexeme, df in zip(lexemes, frequencies, strict=True)
                if df
            ]
            if scored:
                score = " + ".join("%s * ts_rank(%s::float4[], a.search_vector, %s::tsquery)" for _ in scored)
                any_term = " | ".join(lexeme for lexeme, _idf in scored)
                score_params: list = []
                for lexeme, idf in scored:
                    score_params += [idf, RANK_WEIGHTS, lexeme]
                cursor.execute(
                    f"SELECT a.id, {score} AS score FROM knowledge_article a "  # noqa: S608 - placeholders only
                    f"WHERE {where} AND a.search_vector @@ %s::tsquery ORDER BY score DESC, a.usage_count DESC, a.id "
                    "LIMIT %s",
                    [*score_params, *params, any_term, limit],
                )
                hits = [Hit(pk, float(score), "words") for pk, score in cursor.fetchall()]
    if hits or not query.strip():
        return hits
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.id, similarity(a.title, %s) AS score FROM knowledge_article a "  # noqa: S608 - placeholders only
            f"WHERE {where} AND a.title %% %s ORDER BY score DESC, a.id LIMIT %s",
            [query[:120], *params, query[:120], limit],
        )
        return [Hit(pk, float(score), "similar") for pk, score in cursor.fetchall()]
