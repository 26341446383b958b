"""The city: districts, departments, the category tree, priorities and the working calendar."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    """A row with a Chinese and an English name; ``name`` follows the request language."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh

    def __str__(self) -> str:
        return self.name


class District(BilingualName):
    class Meta(BilingualName.Meta):
        db_table = "routing_district"  # the table it had before the app split
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Department(BilingualName):
    """An office that acts offline. Departments form a tree."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    is_active = models.BooleanField(_("active"), default=True)
    duties = models.TextField(
        _("duty catalogue"), blank=True, help_text=_("What this office is responsible for (派单目录), one per line.")
    )
    works_by_email = models.BooleanField(
        _("works by email"), default=False, help_text=_("The office has no accounts and receives cases by email.")
    )
    contact_email = models.EmailField(_("contact email"), blank=True)

    class Meta(BilingualName.Meta):
        db_table = "routing_department"  # the table it had before the app split
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Category(BilingualName):
    """A node of the category tree (事项分类)."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    default_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default department"),
    )
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=400, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta(BilingualName.Meta):
        db_table = "routing_category"  # the table it had before the app split
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")
    COMPLEX = "complex", _("Complex")


class CalendarSource(models.TextChoices):
    OFFICIAL = "official", _("Official calendar (chinese-calendar)")
    ADMINISTRATOR = "administrator", _("Entered by an administrator")


class CalendarDay(models.Model):
    """One exceptional date: a holiday, or a weekend day that is a working day (调休).

    A year with at least one row counts as published; any other year is
    computed from weekends and fixed-date holidays and marked provisional.
    """

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"), help_text=_("Ticked: a working weekend day. Else a holiday."))
    name = models.CharField(_("name"), max_length=60, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=CalendarSource.choices, default=CalendarSource.ADMINISTRATOR
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        db_table = "routing_calendarday"  # the table it had before the app split
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'working' if self.is_working else 'holiday'} {self.name}"
