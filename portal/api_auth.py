"""API tokens for systems: POST a staff username and password, get a token.

Systems then send ``Authorization: Token <key>``; browsers use their
session. An administrator revokes a token by deleting it in the admin.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny

from portal.throttling import ApiAnonRateThrottle, LoginRateThrottle


class TokenObtainView(ObtainAuthToken):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle, ApiAnonRateThrottle]

    @extend_schema(
        operation_id="auth_token_obtain",
        tags=["auth"],
        responses={200: inline_serializer("TokenObtained", fields={"token": serializers.CharField()})},
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
