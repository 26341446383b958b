"""Writes on the knowledge base: departments keep their articles; the hotline answers a question from one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import AssignmentRole, AssignmentStatus
from casework.services import assignment_create
from city.models import Department
from feedback.models import Disposition, Kind, Reply, Submission
from feedback.workflow import Action, case_transition
from knowledge.models import Article, ArticleUse
from knowledge.search import segmented
from portal.errors import DomainError, NotFound, PermissionDenied, TransitionNotAllowed

EDITABLE = ("title", "body", "keywords", "category", "department", "valid_from", "valid_until", "is_published")


class ArticleInvalid(DomainError):
    """The article's fields do not make an article (the message says which)."""


def may_edit(user, department: Department | None) -> bool:
    """Members of the owning department keep its articles; an administrator may keep any."""
    if user is None or not user.is_authenticated or department is None:
        return False
    return user.role == "administrator" or department.pk in user.department_ids()


def _check(fields: dict[str, Any]) -> None:
    if not (fields.get("title") or "").strip():
        raise ArticleInvalid(_("Give the article a title."))
    if not (fields.get("body") or "").strip():
        raise ArticleInvalid(_("Write the answer."))
    start, end = fields.get("valid_from"), fields.get("valid_until")
    if not isinstance(start, date):
        raise ArticleInvalid(_("Say from which day the article is valid."))
    if end is not None and end < start:
        raise ArticleInvalid(_("An article cannot stop being valid before it starts."))
    if fields.get("department") is None:
        raise ArticleInvalid(_("Choose the department that owns the article."))


def _index(article: Article) -> None:
    """Write the segmented text and rebuild the search vector (title and keywords weigh more than the body)."""
    Article.objects.filter(pk=article.pk).update(
        search_title=segmented(f"{article.title} {article.keywords}"),
        search_body=segmented(article.body),
    )
    Article.objects.filter(pk=article.pk).update(
        search_vector=SearchVector("search_title", weight="A", config="simple")
        + SearchVector("search_body", weight="B", config="simple")
    )


@transaction.atomic
def article_save(*, by, data: dict[str, Any], article: Article | None = None, slug: str = "") -> Article:
    """Create ``data`` as a new article, or change ``article``; only its department (or an administrator) may.

    Raises ``PermissionDenied`` for anyone else (also when moving an article to a
    department one does not belong to) and ``ArticleInvalid`` for bad fields.
    """
    fields = {name: data[name] for name in EDITABLE if name in data}
    for name in ("title", "body", "keywords"):
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    if article is not None:
        if not may_edit(by, article.department):
            raise PermissionDenied(_("Only the department that owns an article may change it."))
        merged = {name: getattr(article, name) for name in EDITABLE} | fields
    else:
        merged = {"valid_from": timezone.localdate(), "keywords": "", "is_published": True} | fields
    _check(merged)
    if not may_edit(by, merged["department"]):
        raise PermissionDenied(_("You can only keep the articles of your own departments."))
    if article is None:
        article = Article(created_by=by if getattr(by, "is_authenticated", False) else None)
        article.slug = slug or _free_slug(merged["department"])
    for name, value in merged.items():
        setattr(article, name, value)
    article.save()
    _index(article)
    article.refresh_from_db()
    return article


def _free_slug(department: Department) -> str:
    prefix = department.code.lower()
    n = Article.objects.filter(slug__startswith=f"{prefix}-").count() + 1
    while Article.objects.filter(slug=f"{prefix}-{n}").exists():
        n += 1
    return f"{prefix}-{n}"


def case_answer_from_article(
    *, submission_id: int, article_id: int, actor, note: str = "", now: datetime | None = None
) -> Submission:
    """Answer a question at intake from an article (直接答复): the article's text is the reply.

    The case goes to "replied" with the article's department as its lead, so
    the citizen rates the answer like any other and, if unsatisfied, sends it
    back to that department. Refused for anything but a question, and for an
    article that is unpublished or outside its validity (nothing is written then).
    """
    now = now or timezone.now()
    article = Article.objects.select_related("department").filter(pk=article_id).first()
    if article is None or not article.is_published:
        raise NotFound(_("That knowledge-base article does not exist."))
    if not article.is_valid_on(timezone.localdate(now)):
        raise TransitionNotAllowed(
            _("The article “%(title)s” is not valid today: it cannot be given as an answer.") % {"title": article.title}
        )

    def apply(case: Submission) -> None:
        if case.kind != Kind.CONSULTATION:
            raise TransitionNotAllowed(_("Only a question can be answered from the knowledge base."))
        assignment = assignment_create(
            submission=case, department=article.department, role=AssignmentRole.LEAD, at=now, by=actor
        )
        assignment.status = AssignmentStatus.SIGNED_FOR
        assignment.signed_for_at, assignment.signed_for_by = now, actor
        assignment.save(update_fields=["status", "signed_for_at", "signed_for_by"])
        text = article.body if not note.strip() else f"{article.body}\n\n{note.strip()}"
        Reply.objects.create(
            submission=case,
            department=article.department,
            author=actor,
            disposition=Disposition.EXPLAINED,
            text=text,
            created_at=now,
        )
        if article.category_id:  # the article says what the question was about better than a guess at intake
            case.category_id = article.category_id
        case.routed_at = case.routed_at or now
        case.replied_at = now
        ArticleUse.objects.create(article=article, submission=case, used_by=actor, used_at=now)
        Article.objects.filter(pk=article.pk).update(usage_count=F("usage_count") + 1)

    return case_transition(
        submission_id=submission_id,
        action=Action.ANSWER_DIRECTLY,
        actor=actor,
        payload={"article": article.pk, "article_slug": article.slug, "department": article.department.code},
        apply=apply,
        now=now,
    )
