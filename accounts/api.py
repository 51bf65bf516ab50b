"""API for accounts: token sign-in and the signed-in user."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts import mfa
from accounts.models import User


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


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "hee_region"]
        read_only_fields = fields


class ObtainTokenView(APIView):
    """Exchange an email and password (and, for those who must use one, a second-factor code) for an API token. The
    same lock-out rules as the sign-in page apply."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # django-axes needs the Django request to count failures against the account.
        user = authenticate(
            request._request,
            username=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            return Response(
                {"non_field_errors": ["Unable to sign in with that email address and password."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        mfa.api_token_second_factor_check(user=user, otp=serializer.validated_data.get("otp"), request=request._request)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class ShowMyAccountView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
