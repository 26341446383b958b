"""REST API of consultations (OpenAPI via drf-spectacular).

Public (``AllowAny``): the lists and pages, sending a suggestion, reading one's
own suggestion with its secret in ``X-Suggestion-Secret``, asking for and
confirming a support. Staff (authenticated, scoped to their office): opening,
closing, moderating, voiding supports, confirming groups, answering and
progress. Errors have the project's one shape; a refused request changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from city.models import Category, Department, District
from consultations import selectors, services
from consultations.models import Answer, Consultation, ModerationReason, Outcome, Progress, Suggestion, SuggestionGroup
from feedback.ratelimit import client_key
from portal.errors import NotFound

SECRET_HEADER = "HTTP_X_SUGGESTION_SECRET"


class ConsultationSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    districts = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    topics = serializers.SlugRelatedField(source="categories", slug_field="code", many=True, read_only=True)
    answered_on_time = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "title",
            "question",
            "background",
            "department",
            "districts",
            "topics",
            "opens_at",
            "closes_at",
            "status",
            "closed_at",
            "answer_due_at",
            "answered_at",
            "answered_on_time",
        ]


class ConsultationOpenSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    question = serializers.CharField(max_length=2000)
    background = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.filter(is_active=True))
    districts = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=District.objects.all(), required=False
    )
    topics = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Category.objects.all(), required=False)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()


class SuggestionPublicSerializer(serializers.Serializer):
    reference = serializers.CharField()
    title = serializers.CharField(source="public_title")
    text = serializers.CharField(source="public_text")
    supports = serializers.IntegerField(source="support_count")
    created_at = serializers.DateTimeField()


class SuggestionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    text = serializers.CharField(max_length=5000)
    author_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    author_email = serializers.EmailField(required=False, allow_blank=True, default="")


class SuggestionCreatedSerializer(serializers.Serializer):
    reference = serializers.CharField()
    secret = serializers.CharField(help_text="Shown once. Send it in X-Suggestion-Secret to read the suggestion.")


class SuggestionPrivateSerializer(serializers.Serializer):
    reference = serializers.CharField()
    consultation = serializers.IntegerField(source="consultation_id")
    title = serializers.CharField()
    text = serializers.CharField()
    public_title = serializers.CharField()
    public_text = serializers.CharField()
    status = serializers.CharField()
    moderation_reason = serializers.CharField()
    moderation_note = serializers.CharField()
    answer_outcome = serializers.CharField(allow_null=True)
    answer_reason = serializers.CharField(allow_null=True)
    progress = serializers.CharField(allow_null=True)


class ThemeSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()
    supports = serializers.IntegerField()
    outcome = serializers.CharField(allow_null=True)
    progress = serializers.CharField(allow_null=True)


class SupportRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()


class SupportTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it back with the e-mailed code to /supports/confirm/.")


class SupportConfirmSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64)
    code = serializers.RegexField(r"^\d{6}$")


class SupportCountedSerializer(serializers.Serializer):
    suggestion = serializers.CharField()
    supports = serializers.IntegerField()


class ModerateSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ModerationReason.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reason = serializers.CharField(max_length=5000)


class AnswerOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Answer
        fields = ["id", "group", "outcome", "reason", "progress", "answered_at", "done_at"]


class ProgressSerializer(serializers.Serializer):
    progress = serializers.ChoiceField(choices=[c for c in Progress.choices if c[0] != Progress.PLANNED])
    text = serializers.CharField(max_length=5000)


class GroupSerializer(serializers.ModelSerializer):
    suggestions = serializers.SlugRelatedField(slug_field="reference", many=True, read_only=True)

    class Meta:
        model = SuggestionGroup
        fields = ["id", "label", "confirmed_at", "suggestions"]


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ConsultationListApi(generics.ListAPIView):
    """Public list of open consultations (``?state=closed`` for the closed and answered ones); staff open one."""

    serializer_class = ConsultationSerializer
    filter_backends: list = []

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    def get_queryset(self):
        state = self.request.query_params.get("state", "open")
        if state not in ("open", "closed"):
            raise ValidationError({"state": ["Use open or closed."]})
        return selectors.consultations_public(state=state).prefetch_related("districts", "categories")

    @extend_schema(parameters=[OpenApiParameter("state", str, enum=["open", "closed"], required=False)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ConsultationOpenSerializer, responses={201: ConsultationSerializer})
    def post(self, request):
        data = _valid(ConsultationOpenSerializer, request.data)
        consultation = services.consultation_open(
            by=request.user,
            department=data["department"],
            title=data["title"],
            question=data["question"],
            background=data["background"],
            districts=data.get("districts", []),
            categories=data.get("topics", []),
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
        )
        return Response(ConsultationSerializer(consultation).data, status=status.HTTP_201_CREATED)


class ConsultationDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ConsultationSerializer)
    def get(self, request, pk: int):
        return Response(ConsultationSerializer(selectors.consultation_get_public(pk=pk)).data)


class ConsultationThemesApi(APIView):
    """The consultation's themes: similar suggestions grouped, with counts, supports and the answer."""

    permission_classes = [AllowAny]

    @extend_schema(responses=ThemeSerializer(many=True))
    def get(self, request, pk: int):
        consultation = selectors.consultation_get_public(pk=pk)
        themes = [
            {
                "label": t["label"],
                "count": t["count"],
                "supports": t["supports"],
                "outcome": t["answer"].outcome if t["answer"] else None,
                "progress": (t["answer"].progress or None) if t["answer"] else None,
            }
            for t in selectors.consultation_themes(consultation=consultation)
        ]
        return Response(ThemeSerializer(themes, many=True).data)


class SuggestionListApi(APIView):
    """Published suggestions (masked), most supported first; anyone may send one while the consultation is open."""

    permission_classes = [AllowAny]

    @extend_schema(responses=SuggestionPublicSerializer(many=True))
    def get(self, request, pk: int):
        consultation = selectors.consultation_get_public(pk=pk)
        return Response(
            SuggestionPublicSerializer(selectors.suggestions_public(consultation=consultation), many=True).data
        )

    @extend_schema(request=SuggestionCreateSerializer, responses={201: SuggestionCreatedSerializer})
    def post(self, request, pk: int):
        data = _valid(SuggestionCreateSerializer, request.data)
        consultation = selectors.consultation_get_public(pk=pk)
        created = services.suggestion_create(
            consultation_id=consultation.pk,
            language=get_language() or settings.LANGUAGE_CODE,
            client_hash=client_key(request),
            **data,
        )
        body = {"reference": created.suggestion.reference, "secret": created.secret}
        return Response(body, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})


class SuggestionPrivateApi(APIView):
    """The author's view of their suggestion (moderation reason, answer), with the secret in ``X-Suggestion-Secret``."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("X-Suggestion-Secret", str, OpenApiParameter.HEADER, required=True)],
        responses=SuggestionPrivateSerializer,
    )
    def get(self, request, reference: str):
        suggestion = services.suggestion_get_by_secret(reference=reference, secret=request.META.get(SECRET_HEADER, ""))
        answer = Answer.objects.filter(group_id=suggestion.group_id).first() if suggestion.group_id else None
        suggestion.answer_outcome = answer.outcome if answer else None
        suggestion.answer_reason = answer.reason if answer else None
        suggestion.progress = (answer.progress or None) if answer else None
        response = Response(SuggestionPrivateSerializer(suggestion).data)
        response["Cache-Control"] = "no-store"
        return response


class SupportRequestApi(APIView):
    """Ask to support a suggestion: a code goes to the e-mail address; confirm it to count the support."""

    permission_classes = [AllowAny]

    @extend_schema(request=SupportRequestSerializer, responses={202: SupportTokenSerializer})
    def post(self, request, reference: str):
        data = _valid(SupportRequestSerializer, request.data)
        requested = services.support_request(
            suggestion_reference=reference, email=data["email"], client_hash=client_key(request)
        )
        return Response({"token": requested.verification.token}, status=status.HTTP_202_ACCEPTED)


class SupportConfirmApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=SupportConfirmSerializer, responses={201: SupportCountedSerializer})
    def post(self, request):
        data = _valid(SupportConfirmSerializer, request.data)
        support = services.support_confirm(token=data["token"], code=data["code"])
        count = support.suggestion.supports.filter(voided_at__isnull=True).count()
        return Response({"suggestion": support.suggestion.reference, "supports": count}, status=status.HTTP_201_CREATED)


# --- the office -------------------------------------------------------------------------------------------------


def _staff_scope(request, consultation_id: int | None) -> None:
    """Outsiders get the same 404 as for a missing object, before their input is looked at."""
    if consultation_id is None:
        raise NotFound(_("Not found."))
    selectors.consultation_get_for_staff(user=request.user, pk=consultation_id)


class ConsultationCloseApi(APIView):
    @extend_schema(request=None, responses=ConsultationSerializer)
    def post(self, request, pk: int):
        return Response(ConsultationSerializer(services.consultation_close(consultation_id=pk, by=request.user)).data)


class GroupListApi(APIView):
    """The proposed or confirmed groups of a closed consultation (office staff)."""

    @extend_schema(responses=GroupSerializer(many=True))
    def get(self, request, pk: int):
        consultation = selectors.consultation_get_for_staff(user=request.user, pk=pk)
        groups = SuggestionGroup.objects.filter(consultation=consultation).prefetch_related("suggestions")
        return Response(GroupSerializer(groups, many=True).data)


class GroupConfirmApi(APIView):
    @extend_schema(request=None, responses=GroupSerializer(many=True))
    def post(self, request, pk: int):
        services.groups_confirm(consultation_id=pk, by=request.user)
        groups = SuggestionGroup.objects.filter(consultation_id=pk).prefetch_related("suggestions")
        return Response(GroupSerializer(groups, many=True).data)


class SuggestionModerateApi(APIView):
    @extend_schema(request=ModerateSerializer, responses=SuggestionPublicSerializer)
    def post(self, request, reference: str):
        found = Suggestion.objects.filter(reference=reference).values_list("pk", "consultation_id").first()
        _staff_scope(request, found[1] if found else None)
        data = _valid(ModerateSerializer, request.data)
        suggestion = services.suggestion_moderate(suggestion_id=found[0], by=request.user, **data)
        suggestion.support_count = suggestion.supports.filter(voided_at__isnull=True).count()
        return Response(SuggestionPublicSerializer(suggestion).data)


class GroupAnswerApi(APIView):
    @extend_schema(request=AnswerSerializer, responses={201: AnswerOutSerializer})
    def post(self, request, pk: int):
        _staff_scope(request, SuggestionGroup.objects.filter(pk=pk).values_list("consultation_id", flat=True).first())
        data = _valid(AnswerSerializer, request.data)
        answer = services.group_answer(group_id=pk, by=request.user, **data)
        return Response(AnswerOutSerializer(answer).data, status=status.HTTP_201_CREATED)


class AnswerProgressApi(APIView):
    @extend_schema(request=ProgressSerializer, responses={201: AnswerOutSerializer})
    def post(self, request, pk: int):
        _staff_scope(request, Answer.objects.filter(pk=pk).values_list("consultation_id", flat=True).first())
        data = _valid(ProgressSerializer, request.data)
        update = services.answer_progress(answer_id=pk, by=request.user, **data)
        return Response(AnswerOutSerializer(update.answer).data, status=status.HTTP_201_CREATED)
