"""A few API views that fail on purpose, to test the one error shape (test urlconf)."""

from __future__ import annotations

from django.http import Http404
from django.urls import include, path
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.errors import CaseChanged, NotFound, PermissionDenied, TransitionNotAllowed


class NestedSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=3)


class FormSerializer(serializers.Serializer):
    title = serializers.CharField()
    items = NestedSerializer(many=True)

    def validate(self, attrs):
        if attrs["title"] == "same":
            raise serializers.ValidationError("Title and text must differ.")
        return attrs


class ValidateView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        FormSerializer(data=request.data).is_valid(raise_exception=True)
        return Response({})


DOMAIN_ERRORS = {
    "transition": TransitionNotAllowed("Not now."),
    "changed": CaseChanged("Reload."),
    "denied": PermissionDenied("Not yours."),
    "missing": NotFound("No such case."),
}


class DomainView(APIView):
    permission_classes = [AllowAny]

    def post(self, request, kind):
        raise DOMAIN_ERRORS[kind]


class Http404View(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise Http404("hidden")


class PrivateView(APIView):
    def get(self, request):
        return Response({"ok": True})


class AdminView(APIView):
    permission_classes = [IsAdminUser]

    def get(self, request):
        return Response({"ok": True})


class CrashView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("boom")


urlpatterns = [
    path("api/test/validate/", ValidateView.as_view()),
    path("api/test/domain/<str:kind>/", DomainView.as_view()),
    path("api/test/404/", Http404View.as_view()),
    path("api/test/private/", PrivateView.as_view()),
    path("api/test/admin/", AdminView.as_view()),
    path("api/test/crash/", CrashView.as_view()),
    path("", include("portal.urls")),
]
