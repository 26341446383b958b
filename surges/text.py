"""Turning a submission's text into weighted features for grouping.

Pure Python (jieba only): no Django, so the detector can replay a CSV stream.

Reports of one incident are worded very differently, so the features are the
things people keep in common when they retell an event: the names of places
and organisations (found by their suffixes), rare words and character pairs,
and a coarse topic class (smell, noise, water, ...).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

import jieba
from pypinyin import lazy_pinyin

jieba.setLogLevel(logging.WARNING)

CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
ASCII_WORD = re.compile(r"[a-z][a-z0-9']+")
CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")

# Suffixes that end a proper name of a place or an organisation.
PLACE_SUFFIXES = (
    "大道",
    "大街",
    "路",
    "街",
    "巷",
    "胡同",
    "小区",
    "花园",
    "花苑",
    "家园",
    "新村",
    "公寓",
    "宿舍",
    "大厦",
    "广场",
    "公园",
    "市场",
    "菜市场",
    "村",
    "里",
    "苑",
    "园",
    "工业园",
    "学校",
    "小学",
    "中学",
    "幼儿园",
    "医院",
    "养老院",
    "厂",
    "化工",
    "公司",
    "超市",
    "商场",
    "酒店",
    "桥",
    "站",
    "口",
)
PLACE_SUFFIX_WORDS = frozenset(PLACE_SUFFIXES)
EN_PLACE_SUFFIXES = frozenset(
    "road street avenue lane alley square park garden gardens community compound estate market plaza "
    "bridge station school hospital home factory plant village mall building".split()
)

# Coarse topic classes: what kind of trouble, in both languages. Generic city
# governance vocabulary, not tied to any one incident.
TOPICS: dict[str, tuple[str, ...]] = {
    "odour": ("异味", "臭味", "气味", "味道", "刺鼻", "熏", "臭", "smell", "odour", "odor", "stink", "fumes"),
    "noise": ("噪音", "噪声", "吵", "扰民", "音响", "音箱", "唱歌", "ktv", "广场舞", "noise", "noisy", "loud", "music"),
    "dust": ("粉尘", "扬尘", "灰尘", "积灰", "一层灰", "吃灰", "dust", "dusty"),
    "garbage": ("垃圾", "清运", "环卫", "garbage", "rubbish", "trash", "litter"),
    "sewage": ("污水", "下水道", "排水", "井盖", "外溢", "内涝", "积水", "sewage", "drain", "manhole", "flood"),
    "water": ("停水", "断水", "没水", "供水", "水压", "自来水", "水质", "water"),
    "gas": ("燃气", "停气", "煤气", "gas"),
    "power": ("停电", "断电", "电力", "power", "outage", "blackout"),
    "elevator": ("电梯", "困人", "elevator", "lift"),
    "signal": ("信号灯", "红绿灯", "路口", "traffic", "signal"),
    "road": ("坑", "路面", "坑槽", "塌陷", "pothole", "potholes"),
    "mud": ("渣土", "撒漏", "泥", "mud", "truck", "trucks"),
    "wages": ("工资", "欠薪", "拖欠", "wages", "salary", "unpaid"),
    "prepaid": ("跑路", "退费", "预付", "关门", "学费", "refund", "prepaid", "closed"),
    "care": ("养老院", "护工", "老人", "care", "elderly"),
    "fire": ("火灾", "着火", "起火", "消防", "fire", "smoke"),
    "food": ("食物中毒", "拉肚子", "腹泻", "变质", "poisoning", "diarrhoea", "diarrhea"),
    "school": ("学校", "学生", "老师", "school", "pupils", "teacher"),
    "bus": ("公交", "班次", "bus", "buses"),
}

STOP_ZH = frozenset(
    """
    我们 你们 他们 她们 自己 这个 那个 这些 那些 这样 那样 这种 那种 什么 怎么 为什么 怎么办 还是 就是 都是 已经 一直
    没有 不是 可以 能不能 可不可以 希望 请问 请求 麻烦 尽快 赶紧 相关 部门 政府 有关 处理 解决 问题 反映 投诉 举报
    建议 情况 现在 今天 昨天 昨晚 晚上 早上 白天 每天 最近 一下 一个 一次 几天 好几 时候 以后 之前 时间 不能 不要
    知道 觉得 听说 但是 而且 因为 所以 如果 然后 还有 真的 实在 根本 这里 那里 这边 那边 附近 旁边 周边 门口
    居民 住户 业主 大家 人家 市民 群众 我家 家里 孩子 老人 管管 没人 有人 到底 终于 越来越 一点 特别 非常 严重
    影响 要求 联系 电话 请城管 一周 一个月 两天 三天 小时 分钟 整个 一样 还要 需要 应该 是不是 有没有 能否
    """.split()
)
STOP_EN = frozenset(
    """
    the and for with this that there they them their have has had was were are been being from into about over
    after before since every each just very all any some our your you its it's not but can could would should
    will what when where which who why how please still now today yesterday night morning week weeks days day
    hours hour also one two three near next than then too more most many much here people residents someone
    nobody anyone nothing does did done get got make made take taken going been let like really
    """.split()
)

# Weights of feature families: names of places count most, topic least.
W_PLACE = 3.0
W_WORD = 1.0
W_BIGRAM = 0.5
W_TOPIC = 1.0


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


# Single characters that never begin a name: jieba leaves unknown names as
# single characters, which are glued back unless they are one of these.
NOT_NAME_CHARS = frozenset(
    "的了在是和与到从把被给对向我你他她它这那有个都也就又还很太让说去来上下里边旁前后门号楼栋一二三两几每"
)


def _place_names(words: list[str]) -> set[str]:
    """Names ending with a place suffix, rebuilt from jieba's pieces ("翠/湖苑/小区" -> "翠湖苑小区")."""
    names: set[str] = set()
    for i, word in enumerate(words):
        if not CJK_ONLY.match(word) or not word.endswith(PLACE_SUFFIXES):
            continue
        if word.endswith("区") and not word.endswith("小区"):
            continue  # a district, not a place within one
        name, j = word, i - 1
        if word in PLACE_SUFFIX_WORDS and j >= 0 and len(words[j]) >= 2 and CJK_ONLY.match(words[j]):
            if words[j] in STOP_ZH:
                continue
            name, j = words[j] + name, j - 1
        glued = 0
        while j >= 0 and glued < 2 and len(words[j]) == 1 and CJK_ONLY.match(words[j]):
            if words[j] in NOT_NAME_CHARS:
                break
            name, j, glued = words[j] + name, j - 1, glued + 1
        if len(name) >= 3 and name not in PLACE_SUFFIX_WORDS:
            names.add(name)
    return names


def _english_places(tokens: list[str]) -> set[str]:
    names: set[str] = set()
    for i, word in enumerate(tokens):
        if word in EN_PLACE_SUFFIXES and i and tokens[i - 1] not in STOP_EN and tokens[i - 1] not in EN_PLACE_SUFFIXES:
            names.add(tokens[i - 1] + " " + word)
    return names


# Words of administrative areas ("High-tech Zone", "Dongcheng District"): the district is known from its own
# field, and naming it does not make reports about one place.
EN_AREA_WORDS = frozenset("zone district county city province area region".split())

CAPITALIZED_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")


def _romanized_names(text: str) -> set[str]:
    """Names written in pinyin in English text ("Hupan Jiayuan"), in the form the Chinese side uses."""
    names: set[str] = set()
    for run in CAPITALIZED_RUN.findall(unicodedata.normalize("NFKC", text or "")):
        parts = [p.lower() for p in run.split()]
        parts = [p for p in parts if p not in STOP_EN and p not in EN_PLACE_SUFFIXES and p not in EN_AREA_WORDS]
        if not parts:
            continue
        names.update(p for p in parts if len(p) >= 4)
        if len(parts) >= 2:
            names.add("".join(parts))
    return names


# Bump when ``features`` changes what it returns: stored features of an older version are recomputed.
FEATURES_VERSION = 2


@lru_cache(maxsize=20000)
def features(text: str) -> dict[str, float]:
    """Feature -> family weight for one text. Deterministic; cached."""
    norm = normalize(text)
    result: dict[str, float] = {}
    words = [w for w in jieba.lcut(norm) if w.strip()]
    for place in _place_names(words):
        result["p:" + place] = W_PLACE
        result["y:" + "".join(lazy_pinyin(place))] = W_PLACE
        stem = place
        for suffix in sorted(PLACE_SUFFIXES, key=len, reverse=True):
            if place.endswith(suffix) and len(place) - len(suffix) >= 2:
                stem = place[: -len(suffix)]
                break
        if stem != place and stem not in STOP_ZH:
            result.setdefault("w:" + stem, W_WORD)
            result["y:" + "".join(lazy_pinyin(stem))] = W_PLACE
    for word in words:
        if len(word) >= 2 and CJK_ONLY.match(word) and word not in STOP_ZH:
            result.setdefault("w:" + word, W_WORD)
    for run in CJK_RUN.findall(norm):
        for i in range(len(run) - 1):
            result.setdefault("b:" + run[i : i + 2], W_BIGRAM)
    ascii_tokens = ASCII_WORD.findall(norm)
    for place in _english_places(ascii_tokens):
        result["p:" + place] = W_PLACE
    for token in ascii_tokens:
        if len(token) >= 3 and token not in STOP_EN:
            result.setdefault("w:" + token, W_WORD)
    for name in _romanized_names(text):
        result.setdefault("y:" + name, W_PLACE)
    for topic, cues in TOPICS.items():
        if any(cue in norm for cue in cues):
            result["t:" + topic] = W_TOPIC
    return result


def display_word(feature: str) -> str:
    """The human-readable part of a feature key."""
    return feature.split(":", 1)[1]
