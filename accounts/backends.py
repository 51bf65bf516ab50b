"""How a signed-in request finds its user."""

from django.contrib.auth.backends import ModelBackend

from accounts.selectors import user_by_pk


class AccountBackend(ModelBackend):
    """Django's ModelBackend, with the signed-in user read by `accounts.selectors.user_by_pk`: the same row and the
    same checks (an inactive account is signed out), with SQL compiled once rather than on every request. (Under
    ASGI, Django's `aget_user` still reads it through the ORM: the same user, without the saving.)

    Sessions keep the path of the backend that signed their person in, and Django honours only listed paths: people
    signed in through `django.contrib.auth.backends.ModelBackend` before this backend was named sign in once more.
    """

    def get_user(self, user_id):
        user = user_by_pk(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
