"""Inbox filters, shared by the staff page and the JSON API."""

from __future__ import annotations

import django_filters
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.selectors import due_soon_cutoff, inbox_base, overdue_q, sees_all_cases, tab_q
from city.models import Category, District
from feedback.models import Kind, Status, Submission


class InboxFilter(django_filters.FilterSet):
    tab = django_filters.ChoiceFilter(
        label=_("Tab"),
        method="filter_tab",
        choices=[
            ("mine", _("Mine")),
            ("unassigned", _("No handler yet")),
            ("to_sign", _("To sign for")),
            ("in_progress", _("In progress")),
            ("waiting", _("Waiting for citizen")),
            ("co", _("Co-handling")),
            ("returned", _("Returned")),
            ("replied", _("Replied")),
            ("all", _("All")),
        ],
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("Any"))
    due = django_filters.ChoiceFilter(
        label=_("Deadline"),
        method="filter_due",
        choices=[("soon", _("Due soon")), ("overdue", _("Overdue"))],
        empty_label=_("Any"),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="code",
        method="filter_category",
        empty_label=_("Any"),
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=District.objects.all(), to_field_name="code", empty_label=_("Any")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("Any"))
    q = django_filters.CharFilter(label=_("Words"), method="filter_words")
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        method="filter_sort",
        choices=[("due", _("Due first")), ("-due", _("Due last")), ("new", _("Newest")), ("old", _("Oldest"))],
        empty_label=_("Due first"),
    )

    class Meta:
        fields = ["tab", "status", "due", "category", "district", "kind", "q", "sort"]

    def __init__(self, *args, request_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_user = request_user

    @property
    def qs(self):
        qs = super().qs
        if not self.form.cleaned_data.get("sort"):
            qs = qs.order_by(F("due_at").asc(nulls_last=True), "created_at", "id")
        return qs

    def filter_tab(self, queryset, name, value):
        if value == "co" and self.request_user is not None and sees_all_cases(self.request_user):
            return queryset.none()
        return queryset.filter(tab_q(value))

    def filter_due(self, queryset, name, value):
        now = timezone.now()
        if value == "overdue":
            return queryset.filter(overdue_q(now))
        return queryset.filter(due_at__gte=now, due_at__lte=due_soon_cutoff(now), paused_at__isnull=True)

    def filter_category(self, queryset, name, value):
        # A parent category includes its children.
        return queryset.filter(Q(category=value) | Q(category__parent=value))

    def filter_words(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(text__icontains=word) | Q(tracking_number=word))
        return queryset

    def filter_sort(self, queryset, name, value):
        order = {
            "due": [F("due_at").asc(nulls_last=True), "created_at"],
            "-due": [F("due_at").desc(nulls_last=True), "created_at"],
            "new": ["-created_at"],
            "old": ["created_at"],
        }[value]
        return queryset.order_by(*order, "id")


def inbox_for_user(user, filters: dict | None = None) -> QuerySet[Submission]:
    """The inbox rows after the user's filters (see ``casework.filters.InboxFilter``)."""
    filterset = InboxFilter(filters or {}, queryset=inbox_base(user), request_user=user)
    if not filterset.is_valid():
        return inbox_base(user).none()
    return filterset.qs
