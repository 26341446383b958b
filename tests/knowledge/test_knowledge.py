"""The knowledge base: Chinese search that ranks the answering article first, validity, ownership, answering."""

from __future__ import annotations

import csv
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.knowledge.conftest import answered_question

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("结婚证丢了怎么补？", "mzj-marriage-cert"),
        ("公交车最后一班几点", "jtj-bus-last"),
        ("房贷还完了还要去办什么手续吗", "zrzy-mortgage-release"),
        ("电动车上牌要带啥", "jj-ebike-plate"),
        ("How do I get rid of an old mattress?", "cgj-bulky-waste"),
        ("Is the tap water safe to drink?", "swj-tap-water"),
    ],
)
def test_search_puts_the_answering_article_first(kb_city, question, slug):
    from knowledge.selectors import articles_search

    found = [article.slug for article, _hit in articles_search(question)]
    assert found[0] == slug, found


def test_search_falls_back_to_similar_titles_when_no_word_matches(kb_city):
    from knowledge.search import search_ids

    # "末班" alone is not one of jieba's words for these titles; trigrams of the title still find it.
    hits = search_ids("地铁末班", limit=3)
    assert hits and hits[0].how in {"words", "similar"}
    assert search_ids("", limit=3) == []


def test_expired_article_is_hidden_from_operators_and_flagged_to_its_department(kb_city):
    from accounts.models import User
    from knowledge.demo import EXPIRED
    from knowledge.models import Article
    from knowledge.selectors import articles_search, expired_for

    expired = Article.objects.get(slug=next(iter(EXPIRED)))
    assert expired.is_expired
    assert expired.pk not in {a.pk for a, _h in articles_search(expired.title, limit=10)}
    owner = User.objects.get(username="ylj_staff")
    assert list(expired_for(owner)) == [expired]
    assert list(expired_for(User.objects.get(username="cgj_staff"))) == []
    # The owner's navigation carries the flag, and the list says it is hidden from operators.
    from django.test import Client

    client = Client()
    client.force_login(owner)
    page = client.get(reverse("knowledge:list")).content.decode()
    assert 'data-count="expired-articles"' in page and expired.title in page


def test_only_the_owning_department_keeps_an_article_and_bad_input_changes_nothing(kb_city):
    from accounts.models import User
    from city.models import Department
    from knowledge.models import Article
    from knowledge.services import ArticleInvalid, article_save
    from portal.errors import PermissionDenied

    article = Article.objects.get(slug="swj-tiered-price")
    before = (article.title, article.body, article.valid_until)
    outsider = User.objects.get(username="cgj_staff")
    with pytest.raises(PermissionDenied):
        article_save(by=outsider, data={"title": "改了"}, article=article)
    owner = User.objects.get(username="swj_staff")
    with pytest.raises(ArticleInvalid):
        article_save(by=owner, data={"valid_until": article.valid_from - timedelta(days=1)}, article=article)
    with pytest.raises(PermissionDenied):  # nor give it to another department
        article_save(by=owner, data={"department": Department.objects.get(code="CGJ")}, article=article)
    article.refresh_from_db()
    assert (article.title, article.body, article.valid_until) == before
    changed = article_save(by=owner, data={"keywords": article.keywords + " invoice"}, article=article)
    assert "invoice" in changed.search_title.split()


def test_article_pages_create_edit_and_refuse(kb_city):
    from django.test import Client

    from accounts.models import User
    from city.models import Department
    from knowledge.models import Article

    owner, outsider = User.objects.get(username="swj_staff"), User.objects.get(username="cgj_staff")
    client = Client()
    client.force_login(owner)
    today = timezone.localdate()
    data = {
        "title": "二次供水水箱清洗",
        "body": "高层住宅二次供水水箱每半年清洗消毒一次，由物业负责并公示检测报告。",
        "keywords": "水箱 清洗 二次供水",
        "department": Department.objects.get(code="SWJ").pk,
        "valid_from": today.isoformat(),
        "is_published": "on",
    }
    bad = client.post(reverse("knowledge:new"), {**data, "valid_until": (today - timedelta(days=3)).isoformat()})
    assert bad.status_code == 400 and not Article.objects.filter(title=data["title"]).exists()
    assert "有效" in bad.content.decode()  # the message is in the user's language (Chinese by default)
    assert client.post(reverse("knowledge:new"), data).status_code == 302
    article = Article.objects.get(title=data["title"])
    assert article.department.code == "SWJ" and article.created_by == owner
    assert client.get(reverse("knowledge:edit", args=[article.pk])).status_code == 200
    client.force_login(outsider)
    assert client.get(reverse("knowledge:edit", args=[article.pk])).status_code == 404
    # A department can only file articles under its own name.
    assert client.post(reverse("knowledge:new"), data).status_code == 400


def test_answer_directly_closes_the_question_at_intake_and_the_citizen_can_rate_and_reopen(kb_city, operator):
    from feedback.models import CaseEvent, Status
    from feedback.services import case_reopen, rating_submit
    from feedback.workflow import Action
    from knowledge.models import Article
    from knowledge.selectors import articles_with_reopenings

    logged = answered_question(operator)
    case = logged.submission
    article = Article.objects.get(slug="mzj-marriage-cert")
    assert case.status == Status.REPLIED and case.channel == "phone"
    assert case.lead_department == article.department
    reply = case.replies.get()
    assert reply.text.startswith(article.body) and reply.author == operator
    event = CaseEvent.objects.get(submission=case, action=Action.ANSWER_DIRECTLY)
    assert event.actor == operator and event.payload["article"] == article.pk
    article.refresh_from_db()
    assert article.usage_count == 1
    assert list(articles_with_reopenings()) == []

    rating_submit(submission_id=case.pk, satisfaction="unsatisfied", is_resolved=False)
    case = case_reopen(submission_id=case.pk, reason="照这个办了，登记处说还要户籍证明，文章没写。")
    assert case.status == Status.IN_PROGRESS and case.lead_department == article.department
    assert [a.pk for a in articles_with_reopenings()] == [article.pk]
    # The department sees the case again in its inbox.
    from accounts.models import User
    from casework.selectors import inbox_base

    assert case.pk in set(inbox_base(User.objects.get(username="mzj_staff")).values_list("pk", flat=True))


def test_answering_from_an_expired_article_is_refused_and_changes_nothing(kb_city, operator):
    from feedback.models import Submission
    from hotline.models import Call
    from knowledge.demo import EXPIRED
    from portal.errors import DomainError

    before = (Submission.objects.count(), Call.objects.count())
    with pytest.raises(DomainError) as refused:
        answered_question(operator, slug=next(iter(EXPIRED)))
    assert "不在有效期" in refused.value.message or "not valid" in refused.value.message
    assert (Submission.objects.count(), Call.objects.count()) == before


def test_answered_directly_counts_in_the_kpis(kb_city, operator):
    from city.models import Department
    from oversight.kpis.facts import collect_facts

    answered_question(operator)
    now = timezone.now()
    facts = collect_facts(now - timedelta(hours=1), now + timedelta(hours=1))
    mzj = Department.objects.get(code="MZJ").pk
    assert facts[(mzj, None)]["answered_directly"] == 1


def test_reopenings_page_is_for_supervisors(kb_city, operator):
    from django.test import Client

    from accounts.models import User
    from feedback.services import case_reopen, rating_submit

    case = answered_question(operator).submission
    rating_submit(submission_id=case.pk, satisfaction="unsatisfied", is_resolved=False)
    case_reopen(submission_id=case.pk, reason="没解决")
    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    page = client.get(reverse("knowledge:reopened"))
    assert page.status_code == 200 and "结婚证遗失补领" in page.content.decode()
    client.force_login(User.objects.get(username="mzj_staff"))
    assert client.get(reverse("knowledge:reopened")).status_code == 403


def test_kb_bench_prints_the_top3_figure(kb_city, tmp_path):
    path = tmp_path / "dev.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "lang", "kind", "district", "title", "text", "department", "ambiguous"])
        writer.writerow(["R0089", "zh", "consultation", "", "结婚证丢了", "结婚证丢了咋补办？", "MZJ", "0"])
        writer.writerow(["R0294", "zh", "consultation", "", "人才购房", "人才购房补贴买的房办证有限制吗", "ZRZY", "0"])
        writer.writerow(["R0001", "zh", "report", "", "小卡片", "地铁口发小卡片", "CGJ", "0"])
    out = StringIO()
    call_command("kb_bench", str(path), stdout=out)
    text = out.getvalue()
    assert "consultation rows: 2" in text
    assert "all: relevant in top 3 1/2 (50%); of answerable 1/1" in text
