"""Knowledge-base pages: each department keeps its articles; supervisors see which answers were sent back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge import selectors, services
from knowledge.forms import ArticleForm
from knowledge.models import Article
from portal.errors import DomainError


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "knowledge/list.html",
        {
            "articles": selectors.articles_of(user),
            "expired": selectors.expired_for(user),
            "today": timezone.localdate(),
            "may_add": user.role == "administrator" or bool(user.department_ids()),
        },
    )


def _save(request: HttpRequest, article: Article | None) -> HttpResponse:
    form = ArticleForm(request.POST or None, instance=article, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.article_save(by=request.user, data=form.cleaned_data, article=article)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The article “%(title)s” is saved.") % {"title": saved.title})
            return redirect("knowledge:list")
    status = 400 if request.method == "POST" else 200
    return render(request, "knowledge/edit.html", {"form": form, "article": article}, status=status)


@login_required
def article_new(request: HttpRequest) -> HttpResponse:
    if not (request.user.role == "administrator" or request.user.department_ids()):
        raise PermissionDenied
    return _save(request, None)


@login_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = Article.objects.select_related("department").filter(pk=pk).first()
    if article is None or not services.may_edit(request.user, article.department):
        raise Http404
    return _save(request, article)


@login_required
def reopened(request: HttpRequest) -> HttpResponse:
    if not request.user.is_supervisor:
        raise PermissionDenied
    return render(request, "knowledge/reopened.html", {"articles": selectors.articles_with_reopenings()[:200]})
