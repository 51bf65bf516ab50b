"""How a signed-in request finds its user."""

from django.contrib.auth.backends import ModelBackend

from accounts.selectors import user_by_pk


class AccountBackend(ModelBackend):
    """Django's ModelBackend, with the signed-in user read by `accounts.selectors.user_by_pk`: the same row and the
    same checks (an inactive account is signed out), with SQL compiled once rather than on every request."""

    def get_user(self, user_id):
        user = user_by_pk(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
