"""The demo city's history, planned: who writes what, when, through which channel, and what becomes of it.

Pure Python and deterministic: the same seed, days and anchor give the same
plans. Nothing here touches the database; ``demo.simulation`` plays the plans
through the portal's services.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from demo import texts

# How an office tends to work: (chance of signing for in time, of replying in time, of a satisfied citizen).
# Believable spread, so the ranking has a top and a bottom.
DEPARTMENT_HABITS = {
    "SWJ": (0.97, 0.95, 0.86),
    "JJ": (0.96, 0.93, 0.80),
    "SCJ": (0.95, 0.91, 0.78),
    "YLJ": (0.97, 0.94, 0.88),
    "CGJ": (0.90, 0.82, 0.70),
    "STHJ": (0.92, 0.80, 0.66),
    "ZJJ": (0.85, 0.70, 0.58),
    "JTJ": (0.93, 0.88, 0.74),
    "RSJ": (0.90, 0.84, 0.72),
    "JYJ": (0.95, 0.92, 0.82),
    "WJW": (0.94, 0.90, 0.76),
    "MZJ": (0.96, 0.93, 0.85),
    "ZRZY": (0.88, 0.76, 0.62),
    "YJJ": (0.97, 0.95, 0.84),
}
DEFAULT_HABIT = (0.92, 0.85, 0.74)

# Category -> the department that really handles it (the demo catalogue's defaults).
CATEGORY_DEPARTMENT = {
    "city": "CGJ",
    "environment": "STHJ",
    "housing": "ZJJ",
    "transport": "JTJ",
    "traffic": "JJ",
    "market": "SCJ",
    "labour": "RSJ",
    "education": "JYJ",
    "health": "WJW",
    "water": "SWJ",
    "civil": "MZJ",
    "greening": "YLJ",
    "planning": "ZRZY",
    "safety": "YJJ",
}
# Where a hurried dispatcher sends a case by mistake (it comes back as a return).
NEIGHBOUR = {
    "CGJ": "ZJJ",
    "ZJJ": "CGJ",
    "STHJ": "CGJ",
    "JTJ": "JJ",
    "JJ": "JTJ",
    "SCJ": "CGJ",
    "RSJ": "ZJJ",
    "JYJ": "SCJ",
    "WJW": "SCJ",
    "SWJ": "ZJJ",
    "MZJ": "RSJ",
    "YLJ": "CGJ",
    "ZRZY": "ZJJ",
    "YJJ": "ZJJ",
}

KINDS = [("complaint", 50), ("appeal", 20), ("consultation", 12), ("suggestion", 8), ("report", 5), ("praise", 5)]
CHANNELS = [("web", 62), ("api", 20), ("open311", 18)]
PRAISE_CATEGORIES = ["transport.road", "city.garbage", "greening.trees", "water.supply"]


@dataclass
class Fate:
    """What will happen to the case (each step happens only if the clock reaches it)."""

    sign_share: float  # of the sign-for window used; above 1 is late
    reply_share: float  # of the reply window used; above 1 is late
    stuck: bool = False  # never answered: climbs the whole escalation ladder
    wrong_dispatch: bool = False  # triage sends it to a neighbour office, which returns it
    try_return: bool = False  # the office tries to return a case that is its own (rejected)
    material: bool = False
    extension: bool = False
    joint: bool = False
    rating: str | None = "satisfied"  # None: the citizen never rates (closed as not rated)
    resolved: bool = True
    rated_by_phone: bool = False
    reopen: bool = False
    delay_hours: list[float] = field(default_factory=list)  # spare random numbers for the simulation


@dataclass
class CasePlan:
    index: int
    at: datetime
    language: str
    channel: str
    kind: str
    category: str | None  # None: the citizen did not choose one
    true_category: str
    district: str
    title: str
    text: str
    name: str
    phone: str
    email: str
    is_anonymous: bool
    may_publish: bool
    fate: Fate
    burst: int | None = None

    @property
    def true_department(self) -> str:
        return CATEGORY_DEPARTMENT[self.true_category.split(".")[0]]

    @property
    def client_token(self) -> str:
        return f"{TOKEN_PREFIX}{self.index:06d}"


TOKEN_PREFIX = "demo-history:"


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _moment(rng: random.Random, day_start: datetime) -> datetime:
    """A time of day citizens write at: mostly office hours and evenings, a few at night."""
    hour = rng.choices(
        range(24), weights=[1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 9, 11, 13, 13, 12, 10, 9, 10, 10, 8, 5, 2]
    )[0]
    return day_start + timedelta(hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60))


def _fate(rng: random.Random, department: str, kind: str) -> Fate:
    sign_ok, reply_ok, happy = DEPARTMENT_HABITS.get(department, DEFAULT_HABIT)
    late_sign = rng.random() > sign_ok
    late_reply = rng.random() > reply_ok
    fate = Fate(
        sign_share=rng.uniform(1.1, 1.9) if late_sign else rng.uniform(0.05, 0.8),
        reply_share=rng.uniform(1.03, 1.6) if late_reply else rng.uniform(0.15, 0.95),
        stuck=rng.random() < 0.006,
        wrong_dispatch=rng.random() < 0.35,
        try_return=rng.random() < 0.015,
        material=rng.random() < 0.05,
        extension=rng.random() < 0.03,
        joint=rng.random() < 0.25,
        rated_by_phone=rng.random() < 0.4,
        delay_hours=[rng.random() for _ in range(8)],
    )
    roll = rng.random()
    if roll < 0.22:
        fate.rating = None
    else:
        mood = rng.random()
        if kind == "praise" or mood < happy:
            fate.rating = "satisfied"
        elif mood < happy + (1 - happy) * 0.55:
            fate.rating = "basically"
        else:
            fate.rating = "unsatisfied"
        fate.resolved = fate.rating != "unsatisfied" and rng.random() < 0.93
        fate.reopen = fate.rating == "unsatisfied" and rng.random() < 0.55
    return fate


# Residents who reach the city only by phone and write again and again (repeat callers): every
# REGULAR_EVERY-th person is one of them, with no e-mail, so "my cases" (a code by SMS) shows several
# cases. Numbers as intake stores them (E.164, feedback.phones); listed in the README's demo section.
PHONE_ONLY_REGULARS = ("+8613912340001", "+8613912340002", "+8613912340003", "+8615800001234", "+8618600005678")
REGULAR_EVERY = 23


def _person(rng: random.Random, language: str, index: int) -> tuple[str, str, str, bool]:
    anonymous = rng.random() < 0.1
    if anonymous:
        return "", "", "", True
    name = rng.choice(texts.EN_NAMES) if language == "en" else rng.choice(texts.SURNAMES) + rng.choice(texts.GIVEN)
    phone = "+861" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
    email = f"resident{index:05d}@example.org" if rng.random() < 0.3 else ""
    if index % REGULAR_EVERY == 0:  # no extra draw: the rest of the history stays as it was
        return name, PHONE_ONLY_REGULARS[index // REGULAR_EVERY % len(PHONE_ONLY_REGULARS)], "", False
    return name, phone, email, False


def _words(rng: random.Random, kind: str, category: str, language: str, district: str) -> tuple[str, str]:
    place_zh, place_en = rng.choice(texts.PLACES[district])
    place = place_en if language == "en" else place_zh
    bank = texts.PRAISE if kind == "praise" else texts.WORDINGS[category]
    title, text = rng.choice(bank[language])
    detail = rng.choice(texts.DETAILS_EN if language == "en" else texts.DETAILS_ZH)
    return title.format(place=place)[:120], text.format(place=place) + detail


def day_volume(rng: random.Random, day: datetime, per_day: int) -> int:
    weekend = day.weekday() >= 5
    mean = per_day * (0.55 if weekend else 1.12)
    return max(1, round(rng.gauss(mean, mean * 0.18)))


def plan_history(*, seed: int, first_day: datetime, days: int, per_day: int, end: datetime) -> list[CasePlan]:
    """Every case of ``days`` local days from midnight ``first_day``, oldest first, none after ``end``.

    ``per_day`` is the mean number of cases on a working day. The surges of
    ``texts.BURSTS`` that fall inside the period are added.
    """
    rng = random.Random(seed)
    # Each office gets its share whatever the number of its categories, so every one can be ranked.
    by_department: dict[str, list[str]] = {}
    for code in texts.WORDINGS:
        by_department.setdefault(CATEGORY_DEPARTMENT[code.split(".")[0]], []).append(code)
    offices = sorted(by_department)
    districts = list(texts.PLACES)
    plans: list[CasePlan] = []
    for offset in range(days + 1):
        day_start = first_day + timedelta(days=offset)
        for _ in range(day_volume(rng, day_start, per_day)):
            at = _moment(rng, day_start)
            language = "en" if rng.random() < 0.14 else "zh"
            kind = _weighted(rng, KINDS)
            channel = _weighted(rng, CHANNELS)
            true_category = (
                rng.choice(PRAISE_CATEGORIES) if kind == "praise" else rng.choice(by_department[rng.choice(offices)])
            )
            district = rng.choice(districts)
            title, text = _words(rng, kind, true_category, language, district)
            name, phone, email, anonymous = _person(rng, language, len(plans))
            # Web citizens sometimes leave the category to the portal; other channels always name a service.
            category = None if channel == "web" and rng.random() < 0.12 else true_category
            plans.append(
                CasePlan(
                    index=0,
                    at=at,
                    language=language,
                    channel=channel,
                    kind=kind,
                    category=category,
                    true_category=true_category,
                    district=district,
                    title=title,
                    text=text,
                    name=name,
                    phone=phone,
                    email=email,
                    is_anonymous=anonymous,
                    may_publish=rng.random() < 0.6,
                    fate=_fate(rng, CATEGORY_DEPARTMENT[true_category.split(".")[0]], kind),
                )
            )
    plans.extend(_bursts(rng, first_day, days))
    plans.extend(_unclear(rng, first_day, days, end))
    plans = sorted((p for p in plans if p.at <= end), key=lambda p: p.at)
    for index, plan in enumerate(plans):
        plan.index = index
    return plans


def _bursts(rng: random.Random, first_day: datetime, days: int) -> list[CasePlan]:
    plans = []
    for number, (days_before, hour, district, category, reports) in enumerate(texts.BURSTS):
        if days_before > days:
            continue
        start = first_day + timedelta(days=days - days_before, hours=hour)
        moment = start
        for language, text in reports:
            moment += timedelta(minutes=rng.randint(4, 16))
            name, phone, email, anonymous = _person(rng, language, 90000 + number * 100 + len(plans))
            fate = _fate(rng, CATEGORY_DEPARTMENT[category.split(".")[0]], "complaint")
            fate.sign_share, fate.reply_share = rng.uniform(0.05, 0.3), rng.uniform(0.1, 0.5)
            plans.append(
                CasePlan(
                    index=0,
                    at=moment,
                    language=language,
                    channel=_weighted(rng, CHANNELS[:2]),
                    kind="complaint",
                    category=category,
                    true_category=category,
                    district=district,
                    title=text[:24].rstrip("，,。. ") if language == "zh" else text[:60],
                    text=text,
                    name=name,
                    phone=phone,
                    email=email,
                    is_anonymous=anonymous,
                    may_publish=rng.random() < 0.5,
                    fate=fate,
                    burst=number,
                )
            )
    return plans


def _unclear(rng: random.Random, first_day: datetime, days: int, end: datetime) -> list[CasePlan]:
    """Vague messages (one every few days, and three in the last hours) that the router leaves to triage."""
    moments = [first_day + timedelta(days=d, hours=rng.uniform(9, 20)) for d in range(1, days, 3)]
    moments += [end - timedelta(hours=rng.uniform(0.5, 6)) for _ in range(3)]
    plans = []
    for at in moments:
        language = "en" if rng.random() < 0.2 else "zh"
        title, text = rng.choice(texts.UNCLEAR[language])
        name, phone, email, anonymous = _person(rng, language, 80000 + len(plans))
        true_category = rng.choice(list(texts.WORDINGS))
        plans.append(
            CasePlan(
                index=0,
                at=at,
                language=language,
                channel="web",
                kind="consultation",
                category=None,
                true_category=true_category,
                district=rng.choice(list(texts.PLACES)),
                title=title,
                text=text,
                name=name,
                phone=phone,
                email=email,
                is_anonymous=anonymous,
                may_publish=False,
                fate=_fate(rng, CATEGORY_DEPARTMENT[true_category.split(".")[0]], "consultation"),
            )
        )
    return plans
