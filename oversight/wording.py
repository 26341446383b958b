"""Sentences of the digest shared by its page, its email and its PDF, with each language's punctuation."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _


def signed_percent(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}%"


def joined(values: Iterable) -> str:
    """Items of a list in a sentence: "a, b" in English, "a、b" in Chinese."""
    # Translators: the separator between the items of an inline list.
    return _(", ").join(str(v) for v in values)


def labelled(label, value) -> str:
    """ "label: value" in English, "label：value" in Chinese."""
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


def volume_note(digest: dict) -> str:
    """What follows the period's total: "submissions (previous period: 7, +114.3%)"."""
    values = {"previous": digest.get("total_previous", 0), "change": signed_percent(digest.get("change"))}
    if digest.get("change") is None:
        return _("submissions (previous period: %(previous)s)") % values
    return _("submissions (previous period: %(previous)s, %(change)s)") % values


def new_topics_line(digest: dict) -> str:
    return labelled(_("New topics"), joined(t["category"] for t in digest.get("new_topics", [])))
