"""Suggestions, moderation, verification, one support per person, masking, grouping, answers, adoption."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from consultations import services
from consultations.models import (
    ConsultationEvent,
    ConsultationStatus,
    Notice,
    Suggestion,
    SuggestionGroup,
    SuggestionStatus,
    Support,
)
from portal.errors import DomainError, NotFound, PermissionDenied, TransitionNotAllowed
from tests.consultations.conftest import suggest, support

pytestmark = pytest.mark.django_db

BIKE_A = ("湖滨路增设非机动车道", "湖滨路早晚高峰电动车和汽车混行很危险，建议划出单独的非机动车道。")
BIKE_B = ("湖滨路应该设非机动车道", "湖滨路上下班时电动车与汽车混行，很危险，希望划一条非机动车专用道。")
LIBRARY = ("延长社区图书馆开放时间", "建议周末和晚上延长社区图书馆开放时间，方便上班族借书。")


def test_staff_of_another_office_cannot_open_a_consultation_for_it(charlie, office):
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        services.consultation_open(
            by=charlie, department=office, title="t", question="q", opens_at=now, closes_at=now + timedelta(days=1)
        )


def test_a_consultation_must_close_after_it_opens(alice, office):
    now = timezone.now()
    with pytest.raises(DomainError):
        services.consultation_open(
            by=alice, department=office, title="t", question="q", opens_at=now, closes_at=now - timedelta(hours=1)
        )


def test_public_text_is_masked_before_anything_is_shown_and_the_author_keeps_the_original(consultation):
    created = suggest(
        consultation,
        title="张三的建议",
        text="我是张三，电话13812345678，邮箱zhang@example.com，身份证110101199003071234。建议多设路灯。",
        author_name="张三",
    )
    s = created.suggestion
    for secret in ("13812345678", "zhang@example.com", "110101199003071234", "张三"):
        assert secret not in s.public_text and secret not in s.public_title
        assert secret in s.text + s.title
    assert "建议多设路灯" in s.public_text


def test_the_secret_opens_the_suggestion_and_a_wrong_one_gets_the_same_answer_as_no_suggestion(consultation):
    created = suggest(consultation)
    assert services.suggestion_get_by_secret(reference=created.suggestion.reference, secret=created.secret)
    with pytest.raises(NotFound) as wrong:
        services.suggestion_get_by_secret(reference=created.suggestion.reference, secret="guess")
    with pytest.raises(NotFound) as missing:
        services.suggestion_get_by_secret(reference="SNOPE", secret=created.secret)
    assert wrong.value.message == missing.value.message
    assert created.secret not in Suggestion.objects.get().secret_hash


def test_moderation_hides_with_a_reason_the_author_is_told_and_outsiders_cannot_moderate(
    consultation, alice, charlie, django_capture_on_commit_callbacks
):
    s = suggest(consultation, title="广告", text="便宜发票", author_email="a@example.com").suggestion
    with pytest.raises(NotFound):
        services.suggestion_moderate(suggestion_id=s.pk, by=charlie, reason="spam")
    with pytest.raises(DomainError):
        services.suggestion_moderate(suggestion_id=s.pk, by=alice, reason="not-a-reason")
    s.refresh_from_db()
    assert s.status == SuggestionStatus.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_moderate(suggestion_id=s.pk, by=alice, reason="spam", note="商业广告")
    s.refresh_from_db()
    assert (s.status, s.moderation_reason, s.moderation_note) == ("hidden", "spam", "商业广告")
    assert ConsultationEvent.objects.filter(suggestion=s, action="hide", reason="spam").count() == 1
    assert [m.to for m in mail.outbox] == [["a@example.com"]]
    with pytest.raises(TransitionNotAllowed):
        services.suggestion_moderate(suggestion_id=s.pk, by=alice, reason="spam")
    services.suggestion_restore(suggestion_id=s.pk, by=alice)
    s.refresh_from_db()
    assert s.status == SuggestionStatus.PUBLISHED


def test_one_support_per_verified_person_whatever_the_spelling_of_the_address(consultation):
    s = suggest(consultation).suggestion
    support(s, "li.si@example.com")
    with pytest.raises(TransitionNotAllowed):
        support(s, "LI.SI+again@Example.com")
    assert Support.objects.filter(suggestion=s).count() == 1


def test_two_confirmations_of_the_same_person_race_to_one_support(consultation):
    from django.db import transaction

    s = suggest(consultation).suggestion
    with transaction.atomic():
        first = services.support_request(suggestion_reference=s.reference, email="w@example.com")
        second = services.support_request(suggestion_reference=s.reference, email="w@example.com")
    services.support_confirm(token=first.verification.token, code=first.code)
    with pytest.raises(TransitionNotAllowed):
        services.support_confirm(token=second.verification.token, code=second.code)
    assert Support.objects.count() == 1


def test_a_wrong_code_counts_and_five_wrong_codes_use_the_verification_up(consultation):
    from django.db import transaction

    s = suggest(consultation).suggestion
    with transaction.atomic():
        requested = services.support_request(suggestion_reference=s.reference, email="x@example.com")
    wrong = "000000" if requested.code != "000000" else "111111"
    for _ in range(services.CODE_ATTEMPTS):
        with pytest.raises(DomainError):
            services.support_confirm(token=requested.verification.token, code=wrong)
    with pytest.raises(DomainError):
        services.support_confirm(token=requested.verification.token, code=requested.code)
    assert Support.objects.count() == 0


def test_supports_are_not_linkable_across_consultations(consultation, alice, office):
    now = timezone.now()
    other = services.consultation_open(
        by=alice, department=office, title="t", question="q", opens_at=now, closes_at=now + timedelta(days=1)
    )
    one = support(suggest(consultation).suggestion, "z@example.com")
    two = support(suggest(other, title="x", text="y").suggestion, "z@example.com")
    assert one.identity_hash != two.identity_hash


def test_many_supports_from_one_address_are_flagged_for_the_moderator(consultation):
    ideas = [suggest(consultation, title=f"t{i}", text=f"x{i}").suggestion for i in range(5)]
    made = [support(idea, f"p{i}@example.com", client_hash="samehash") for i, idea in enumerate(ideas)]
    assert [m.flags for m in made] == ["", "", "", "same_address", "same_address"]
    flagged = services.support_void(support_id=made[-1].pk, by=services_user(consultation), reason="scripted")
    assert flagged.voided_at is not None


def services_user(consultation):
    from accounts.models import User

    return User.objects.get(username="cgj_staff")


def test_support_requests_are_rate_limited_per_connection(consultation):
    from django.db import transaction

    s = suggest(consultation).suggestion
    with pytest.raises(services.RateLimited):
        for i in range(services.SUPPORT_REQUESTS_PER_CLIENT + 1):
            with transaction.atomic():
                services.support_request(suggestion_reference=s.reference, email=f"r{i}@example.com", client_hash="h")


def test_closing_proposes_groups_of_near_identical_suggestions_and_starts_a_working_time_deadline(consultation, alice):
    a, b, c = (suggest(consultation, title=t, text=x).suggestion for t, x in (BIKE_A, BIKE_B, LIBRARY))
    services.consultation_close(consultation_id=consultation.pk, by=alice)
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED
    assert consultation.answer_due_at > consultation.closed_at
    assert "working days" in consultation.answer_trace
    groups = {frozenset(g.suggestions.values_list("pk", flat=True)) for g in SuggestionGroup.objects.all()}
    assert groups == {frozenset({a.pk, b.pk}), frozenset({c.pk})}
    with pytest.raises(TransitionNotAllowed):
        suggest(consultation)


def test_answers_by_group_then_adoption_reaches_done_and_followers_hear_each_step_once(
    consultation, alice, charlie, django_capture_on_commit_callbacks
):
    a = suggest(consultation, title=BIKE_A[0], text=BIKE_A[1], author_email="a@example.com").suggestion
    suggest(consultation, title=BIKE_B[0], text=BIKE_B[1], author_email="b@example.com")
    suggest(consultation, title=LIBRARY[0], text=LIBRARY[1], author_email="c@example.com")
    support(a, "fan@example.com")
    services.consultation_close(consultation_id=consultation.pk, by=alice)
    bike = SuggestionGroup.objects.get(suggestions=a)
    library = SuggestionGroup.objects.exclude(pk=bike.pk).get()
    with pytest.raises(TransitionNotAllowed):
        services.group_answer(group_id=bike.pk, by=alice, outcome="adopted", reason="r")
    with pytest.raises(NotFound):
        services.groups_confirm(consultation_id=consultation.pk, by=charlie)
    services.groups_confirm(consultation_id=consultation.pk, by=alice)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.group_answer(group_id=bike.pk, by=alice, outcome="adopted", reason="年内施划非机动车道。")
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.com", "b@example.com", "fan@example.com"]
    with pytest.raises(TransitionNotAllowed):
        services.group_answer(group_id=bike.pk, by=alice, outcome="noted", reason="again")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED
    with django_capture_on_commit_callbacks(execute=True):
        services.group_answer(group_id=library.pk, by=alice, outcome="noted", reason="纳入明年计划研究。")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANSWERED and consultation.answered_on_time
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_progress(answer_id=answer.pk, by=alice, progress="in_progress", text="已完成设计。")
        services.answer_progress(answer_id=answer.pk, by=alice, progress="done", text="已施划完成。")
    assert len(mail.outbox) == 6  # three followers, two steps, once each
    with pytest.raises(TransitionNotAllowed):
        services.answer_progress(answer_id=answer.pk, by=alice, progress="done", text="again")
    answer.refresh_from_db()
    assert answer.progress == "done" and answer.done_at is not None
    assert Notice.objects.filter(sent_at__isnull=True).count() == 0


def test_the_office_can_split_a_proposed_group_before_confirming(consultation, alice):
    a = suggest(consultation, title=BIKE_A[0], text=BIKE_A[1]).suggestion
    b = suggest(consultation, title=BIKE_B[0], text=BIKE_B[1]).suggestion
    services.consultation_close(consultation_id=consultation.pk, by=alice)
    services.suggestion_regroup(suggestion_id=b.pk, by=alice, group_id=None)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.group_id != b.group_id
    services.groups_confirm(consultation_id=consultation.pk, by=alice)
    with pytest.raises(TransitionNotAllowed):
        services.suggestion_regroup(suggestion_id=b.pk, by=alice, group_id=a.group_id)


def test_personal_data_is_forgotten_once_the_answers_are_given_and_adopted_ideas_done(consultation, alice, settings):
    a = suggest(consultation, title=BIKE_A[0], text=BIKE_A[1], author_name="王五", author_email="w@example.com")
    support(a.suggestion, "fan@example.com")
    services.consultation_close(consultation_id=consultation.pk, by=alice)
    services.groups_confirm(consultation_id=consultation.pk, by=alice)
    answer = services.group_answer(group_id=SuggestionGroup.objects.get().pk, by=alice, outcome="adopted", reason="好")
    later = timezone.now() + timedelta(days=settings.MINSHENG["RETENTION_DAYS"] + 1)
    assert services.consultations_anonymise(now=later) == 0  # the adopted idea is not done: its people hear more
    services.answer_progress(answer_id=answer.pk, by=alice, progress="done", text="完成")
    assert services.consultations_anonymise(now=later) == 1
    assert services.consultations_anonymise(now=later) == 0
    s = Suggestion.objects.get()
    assert (s.author_name, s.author_email, Support.objects.get().email) == ("", "", "")
    assert "王" not in s.public_text and s.text == BIKE_A[1]


def test_the_demo_consultations_are_made_through_the_services_once(city):
    from consultations.demo import seed_demo_consultations
    from consultations.models import Answer, Consultation

    assert seed_demo_consultations() == 2
    assert seed_demo_consultations() == 0
    answered = Consultation.objects.get(status=ConsultationStatus.ANSWERED)
    assert answered.answered_on_time and Answer.objects.filter(consultation=answered, progress="in_progress").exists()
    assert Support.objects.count() == 6


def test_hiding_or_restoring_after_closing_keeps_every_published_suggestion_answerable(consultation, alice):
    a = suggest(consultation, title=BIKE_A[0], text=BIKE_A[1]).suggestion
    spam = suggest(consultation, title="广告", text="代开发票").suggestion
    services.consultation_close(consultation_id=consultation.pk, by=alice)
    services.groups_confirm(consultation_id=consultation.pk, by=alice)
    services.group_answer(group_id=SuggestionGroup.objects.get(suggestions=a).pk, by=alice, outcome="noted", reason="r")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED  # the advert's group is not answered
    services.suggestion_moderate(suggestion_id=spam.pk, by=alice, reason="spam")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANSWERED


def test_a_suggestion_restored_after_closing_waits_in_a_group_to_confirm_and_answer(consultation, alice):
    a = suggest(consultation, title=BIKE_A[0], text=BIKE_A[1]).suggestion
    b = suggest(consultation, title=LIBRARY[0], text=LIBRARY[1]).suggestion
    services.suggestion_moderate(suggestion_id=b.pk, by=alice, reason="off_topic")
    services.consultation_close(consultation_id=consultation.pk, by=alice)
    services.suggestion_restore(suggestion_id=b.pk, by=alice)
    services.groups_confirm(consultation_id=consultation.pk, by=alice)
    for group in SuggestionGroup.objects.filter(suggestions__in=[a, b]):
        services.group_answer(group_id=group.pk, by=alice, outcome="noted", reason="r")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANSWERED
