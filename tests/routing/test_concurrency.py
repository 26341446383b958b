"""Two people act on the same case at once: the database decides, exactly one wins."""

from __future__ import annotations

import threading

import pytest

from casework.services import assignment_sign_for
from feedback.models import CaseEvent, Status, Submission
from portal.errors import CaseChanged, TransitionNotAllowed
from tests.factories import make_case


def _race(case, users, version):
    barrier = threading.Barrier(len(users))
    outcomes: list[str] = []

    def sign(user):
        from django.db import connections

        try:
            barrier.wait()
            assignment_sign_for(submission_id=case.pk, actor=user, expected_version=version)
            outcomes.append("ok")
        except (TransitionNotAllowed, CaseChanged) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_for_from_two_threads_exactly_one_succeeds(city):
    from accounts.models import User

    staff, head = User.objects.get(username="cgj_staff"), User.objects.get(username="cgj_head")
    for version in (None, 0):
        case = make_case(status=Status.ASSIGNED)
        outcomes = _race(case, [staff, head], version)
        assert sorted(outcomes) == sorted(["ok", "CaseChanged" if version is not None else "TransitionNotAllowed"])
        assert Submission.objects.get(pk=case.pk).status == Status.IN_PROGRESS
        assert CaseEvent.objects.filter(submission=case, action="sign_for").count() == 1
