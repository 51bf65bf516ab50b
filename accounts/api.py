"""API for accounts: token sign-in, the person's own tokens, and the signed-in user."""

from django.contrib.auth import authenticate, get_user
from django.http import HttpRequest
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import generics, serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts import mfa, selectors, services
from accounts.emails import normalise_email
from accounts.models import User
from accounts.throttle import throttle_count, throttle_wait


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(trim_whitespace=False, write_only=True, style={"input_type": "password"})
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        write_only=True,
        help_text="Staff, and clinicians who turned on two-step sign-in: the code from the authenticator app now "
        "(or a recovery code).",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True, help_text="When the token stops working.")


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as its owner sees it: never the token itself (only its hash is kept), but its first characters."""

    id = serializers.CharField(source="token_key", read_only=True, help_text="The token's first characters.")
    made_in_web_session = serializers.SerializerMethodField(
        help_text="Made while signed in on the web: signing out of that session revokes it."
    )
    current = serializers.SerializerMethodField(help_text="The token this request was made with.")

    class Meta:
        model = AuthToken
        fields = ["id", "created", "expiry", "made_in_web_session", "current"]
        read_only_fields = fields

    def get_made_in_web_session(self, token: AuthToken) -> bool:
        return hasattr(token, "web_session")

    def get_current(self, token: AuthToken) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, AuthToken) and auth.pk == token.pk


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "hee_region"]
        read_only_fields = fields


class ObtainTokenView(APIView):
    """Exchange an email and password (and, for those who must use one, a second-factor code) for a new API token.
    The same lock-out rules as the sign-in page apply. Each request gets its own token, ending after API_TOKEN_HOURS
    (staff: API_TOKEN_HOURS_STAFF)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The same allowance of failed sign-ins as the sign-in page, per address and per client.
        address = normalise_email(serializer.validated_data["email"])
        if wait := throttle_wait(request._request, group="sign_in", address=address, count=False):
            raise Throttled(wait=wait)
        # django-axes needs the Django request to count failures against the account.
        user = authenticate(
            request._request,
            username=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            throttle_count(request._request, group="sign_in", address=address)
            return Response(
                {"non_field_errors": ["Unable to sign in with that email address and password."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        mfa.api_token_second_factor_check(user=user, otp=serializer.validated_data.get("otp"), request=request._request)
        token, secret = services.api_token_issue(
            user=user, session_key=_web_session_key(request._request, user), request=request._request
        )
        return Response(TokenSerializer({"token": secret, "expiry": token.expiry}).data)


def _web_session_key(request: HttpRequest, user: User) -> str | None:
    """The web session this request comes from, when that session is signed in as the same person."""
    signed_in = get_user(request)
    return request.session.session_key if signed_in.is_authenticated and signed_in.pk == user.pk else None


class ListApiTokensView(generics.ListAPIView):
    """Your own API tokens that still work, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks with no one signed in
            return AuthToken.objects.none()
        return selectors.api_tokens_of(self.request.user)


class RevokeApiTokenView(APIView):
    """Revoke one of your own API tokens: programs using it can no longer reach the service."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request, token_key: str):
        token = selectors.api_token_of(request.user, token_key)
        services.api_tokens_revoke(
            tokens=[token], actor=request.user, reason="revoked_by_owner", request=request._request
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ShowMyAccountView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
