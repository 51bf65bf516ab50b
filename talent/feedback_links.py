"""Raters' links to their feedback form: `django.core.signing` over the rater's id, so no token is stored and a
changed character breaks the signature. Whether a link still opens the form (the round open, the answer not yet
submitted) is read from the database each time: talent.selectors.feedback.rater_for_link."""

import uuid

from django.conf import settings
from django.core import signing
from django.urls import reverse

LINK_SALT = "talent.feedback-rater-link"


def rater_link_token(*, rater_id) -> str:
    return signing.dumps({"rater": str(rater_id)}, salt=LINK_SALT)


def rater_link_url(*, rater_id) -> str:
    return settings.SITE_URL + reverse("talent:rate_colleague", kwargs={"token": rater_link_token(rater_id=rater_id)})


def rater_id_from_token(token: str) -> str | None:
    """The rater a link was made for, or None when the link was changed or never made here."""
    try:
        payload = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        return None
    try:
        return str(uuid.UUID(payload["rater"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
