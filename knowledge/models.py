"""The knowledge base (知识库): articles a department keeps so the hotline can answer questions on the spot."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Article(models.Model):
    """One answer to a recurring question, owned by the department responsible for it.

    ``search_title`` and ``search_body`` hold the jieba-segmented text (words
    separated by spaces) from which ``search_vector`` is built with the
    'simple' configuration; both are written by ``knowledge.services`` only.
    """

    slug = models.SlugField(_("code"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("answer"))
    keywords = models.CharField(
        _("keywords"),
        max_length=300,
        blank=True,
        help_text=_("Other words callers use for this question, separated by spaces (English words welcome)."),
    )
    category = models.ForeignKey(
        "city.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("category"),
    )
    department = models.ForeignKey(
        "city.Department", on_delete=models.PROTECT, related_name="articles", verbose_name=_("owning department")
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    usage_count = models.PositiveIntegerField(_("times used"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_title = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["department__sort_order", "title"]
        indexes = [
            GinIndex(fields=["search_vector"], name="article_search_vector"),
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="article_title_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="article_validity_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()


class ArticleUse(models.Model):
    """A case answered from an article (直接答复): usage counts and the reopenings it led to come from here."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="uses")
    submission = models.OneToOneField("feedback.Submission", on_delete=models.CASCADE, related_name="article_use")
    used_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("article use")
        verbose_name_plural = _("article uses")
        ordering = ["-used_at"]
