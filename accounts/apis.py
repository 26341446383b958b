"""API tokens for systems: POST a staff username and password, get a token.

A user who has an authenticator also sends its current code as ``otp_code``;
without it, or with a wrong one, there is no token (400 in the ApiError
shape), and wrong codes count towards the same per-user lockout as at the
sign-in page (403 ``second_factor_locked`` once locked). Systems then send
``Authorization: Token <key>``; browsers use their session. An
administrator revokes a token by deleting it in the admin.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny

from accounts import services as accounts
from accounts.services import Verdict
from portal.errors import PermissionDenied
from portal.throttling import ApiAnonRateThrottle, LoginRateThrottle


class SecondFactorLocked(PermissionDenied):
    """Too many wrong codes for this user: the second factor is locked for a while."""


class TokenRequestSerializer(AuthTokenSerializer):
    otp_code = serializers.CharField(
        label=gettext_lazy("Authenticator code"),
        required=False,
        allow_blank=True,
        max_length=10,
        write_only=True,
        help_text="The current code of the user's authenticator app; required for users who have one.",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        if not accounts.second_factor_required(user):
            return attrs
        code = attrs.get("otp_code") or ""
        if not code:
            raise serializers.ValidationError(
                {"otp_code": [_("This account uses an authenticator: send its current code in otp_code.")]}
            )
        verdict, _device = accounts.second_factor_verify(user=user, code=code)
        if verdict is Verdict.LOCKED:
            raise SecondFactorLocked(
                _("Too many wrong codes: sign-in with this account is locked for a while. Please try again later.")
            )
        if verdict is not Verdict.VERIFIED:
            raise serializers.ValidationError({"otp_code": [_("The code is wrong or has expired.")]})
        return attrs


class TokenObtainView(ObtainAuthToken):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle, ApiAnonRateThrottle]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        operation_id="auth_token_obtain",
        tags=["auth"],
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenObtained", fields={"token": serializers.CharField()})},
    )
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except Exception:
            LoginRateThrottle.count_failure(request, self)  # only failed sign-ins use up the address's budget
            raise
