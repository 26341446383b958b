from __future__ import annotations

import pytest


@pytest.fixture
def kb_city(city):
    """The demo city with its knowledge base, written through ``article_save`` (so every article is indexed)."""
    from knowledge.demo import seed_articles

    seed_articles()


@pytest.fixture
def operator(city):
    from accounts.models import User

    return User.objects.get(username="operator")


def answered_question(operator, slug: str = "mzj-marriage-cert", number: str = "13911112222"):
    """A question the operator answered from an article, through the console's services."""
    from hotline.services import call_log, call_start
    from knowledge.models import Article

    _e164, token = call_start(operator=operator, number=number)
    return call_log(
        operator=operator,
        call_token=token,
        data={"kind": "consultation", "title": "结婚证丢了", "text": "结婚证搬家弄丢了，怎么补领？"},
        outcome="answered",
        article_id=Article.objects.get(slug=slug).pk,
    )
