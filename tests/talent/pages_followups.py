"""Permission-matrix rows for follow-ups of nudges and career conversations, pages and API (see
tests/test_permissions.py).

`follow_up` is `training_body`'s (`tb_admin`) item for `clinician`; `conversation` was recorded with `clinician` by
`tb_admin`. The other body's admin and the other clinician must not learn either exists (404). HEE staff and
editors may use none of these (403): HEE staff never read the free text.
"""

from accounts.permissions import Permission
from tests.permissions import API, Page

FOLLOW_UP = {"follow_up_id": "follow_up.pk"}
CONVERSATION = {"conversation_id": "conversation.pk"}
CLINICIAN = {"profile_id": "clinician.clinician_profile.pk"}
EITHER_PARTY = (Permission.HAVE_CAREER_CONVERSATIONS, Permission.RECORD_CAREER_CONVERSATIONS)

PAGES: list = [
    # Follow-ups: the admins of the item's body only.
    Page("talent:list_follow_ups", permission=Permission.FOLLOW_UP_NUDGES),
    Page("talent:show_follow_up", {"other_tb_admin": 404}, permission=Permission.FOLLOW_UP_NUDGES, kwargs=FOLLOW_UP),
    # Closing without saying how shows the form again with its error.
    Page(
        "talent:show_follow_up",
        {"other_tb_admin": 404},
        permission=Permission.FOLLOW_UP_NUDGES,
        method="post",
        kwargs=FOLLOW_UP,
    ),
    # Career conversations: admins record them from a clinician's record and read them back.
    Page(
        "talent:record_conversation",
        {"other_tb_admin": 404},
        permission=Permission.RECORD_CAREER_CONVERSATIONS,
        kwargs=CLINICIAN,
    ),
    Page(
        "talent:record_conversation",
        {"other_tb_admin": 404},
        permission=Permission.RECORD_CAREER_CONVERSATIONS,
        method="post",
        kwargs=CLINICIAN,
    ),
    Page(
        "talent:show_conversation",
        {"other_tb_admin": 404},
        permission=Permission.RECORD_CAREER_CONVERSATIONS,
        kwargs=CONVERSATION,
    ),
    Page("talent:list_conversation_requests", permission=Permission.RECORD_CAREER_CONVERSATIONS),
    # The clinician's side.
    Page("talent:list_my_conversations", permission=Permission.HAVE_CAREER_CONVERSATIONS),
    Page(
        "talent:show_my_conversation",
        {"other_clinician": 404},
        permission=Permission.HAVE_CAREER_CONVERSATIONS,
        kwargs=CONVERSATION,
    ),
    # Answering without choosing shows the form again with its error.
    Page(
        "talent:show_my_conversation",
        {"other_clinician": 404},
        permission=Permission.HAVE_CAREER_CONVERSATIONS,
        method="post",
        kwargs=CONVERSATION,
    ),
    Page("talent:request_conversation", permission=Permission.HAVE_CAREER_CONVERSATIONS),
    # A request needs no message: it is sent, and the clinician goes back to their conversations.
    Page("talent:request_conversation", {"*": 302}, permission=Permission.HAVE_CAREER_CONVERSATIONS, method="post"),
    # API: anonymous callers 401, roles without the permission 403, another body's items 404.
    Page("talent_api:list_follow_ups", API, permission=Permission.FOLLOW_UP_NUDGES),
    Page(
        "talent_api:show_follow_up",
        {**API, "other_tb_admin": 404},
        permission=Permission.FOLLOW_UP_NUDGES,
        kwargs=FOLLOW_UP,
    ),
    Page(
        "talent_api:close_follow_up",
        {**API, "tb_admin": 400, "other_tb_admin": 404},
        permission=Permission.FOLLOW_UP_NUDGES,
        method="post",
        kwargs=FOLLOW_UP,
    ),
    Page("talent_api:list_conversations", API, permission=EITHER_PARTY),
    # Only admins record; an empty conversation is refused (400) for them.
    Page(
        "talent_api:list_conversations",
        {**API, "*": 400, "clinician": 403, "other_clinician": 403},
        permission=EITHER_PARTY,
        method="post",
    ),
    Page(
        "talent_api:show_conversation",
        {**API, "other_clinician": 404, "other_tb_admin": 404},
        permission=EITHER_PARTY,
        kwargs=CONVERSATION,
    ),
    Page(
        "talent_api:respond_to_conversation",
        {**API, "clinician": 400, "other_clinician": 404, "tb_admin": 403, "other_tb_admin": 404},
        permission=EITHER_PARTY,
        method="post",
        kwargs=CONVERSATION,
    ),
    Page("talent_api:list_conversation_requests", API, permission=EITHER_PARTY),
    Page(
        "talent_api:list_conversation_requests",
        {**API, "clinician": 201, "other_clinician": 201, "tb_admin": 403, "other_tb_admin": 403},
        permission=EITHER_PARTY,
        method="post",
    ),
]
