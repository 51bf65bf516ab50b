"""Nomination rules (DESIGN.md section 4) as the service enforces them: every action from every state for every role,
random sequences that never reach a state the design does not allow, the emails each transition owes, and bad input
that writes nothing."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.models import AuditEvent, OutboxMessage, Role
from accounts.outbox import outbox_render
from config.errors import DomainError
from pathways.models import ContentStatus
from talent.models import LIVE_NOMINATION_STATES, Nomination, NominationRoute, NominationState
from talent.services import nominations as service
from tests.conftest import ROLES
from tests.factories import ClinicianProfileFactory, TrainingBodyAdminFactory
from tests.talent.nomination_fixtures import delivered_emails, nomination_in_state

S = NominationState

# DESIGN.md section 4, written out independently of the service's table: (state, action, who) -> new state.
# pending_nominee -> submitted (the nominee accepts) -> approved | rejected (the body's admin decides);
# withdrawn from any non-final state (the nominee declines or withdraws; the body may take back an unaccepted one).
ALLOWED = {
    (S.PENDING_NOMINEE, "accept", "clinician"): S.SUBMITTED,
    (S.PENDING_NOMINEE, "decline", "clinician"): S.WITHDRAWN,
    (S.PENDING_NOMINEE, "withdraw", "clinician"): S.WITHDRAWN,
    (S.PENDING_NOMINEE, "withdraw", "tb_admin"): S.WITHDRAWN,
    (S.SUBMITTED, "withdraw", "clinician"): S.WITHDRAWN,
    (S.SUBMITTED, "approve", "tb_admin"): S.APPROVED,
    (S.SUBMITTED, "reject", "tb_admin"): S.REJECTED,
}
# Who may ever take each action (anyone else is refused outright, whatever the state).
PARTIES = {
    "accept": {"clinician"},
    "decline": {"clinician"},
    "withdraw": {"clinician", "tb_admin"},
    "approve": {"tb_admin"},
    "reject": {"tb_admin"},
}
ALLOWED_EDGES = {(state, new) for (state, _, _), new in ALLOWED.items()}


def test_the_services_table_is_the_design():
    """The transition table the service runs on says exactly what DESIGN.md says."""
    party = {service.NOMINEE: "clinician", service.BODY_ADMIN: "tb_admin"}
    table = {
        (state, action, party[who]): transition.to
        for (state, action), transition in service.TRANSITIONS.items()
        for who in transition.by
    }
    assert table == ALLOWED


def act(user, nomination, action):
    return service.nomination_act(user=user, nomination=nomination, action=action, reason="Not this year.", note="")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", service.ACTIONS)
@pytest.mark.parametrize("state", S.values)
def test_every_action_from_every_state_for_every_role(
    request, user_for_role, clinician, tb_admin, open_opportunity, state, action, role
):
    """Only the nominee and the deciding body's admins act, and only along the design's arrows; anyone else is
    refused, and a party finding the nomination in another state is told what it now is. Nothing changes on a
    refusal."""
    nomination = nomination_in_state(
        state, profile=clinician.clinician_profile, opportunity=open_opportunity, admin=tb_admin
    )
    user = user_for_role(role) or AnonymousUser()
    audits = AuditEvent.objects.count()

    expected = ALLOWED.get((state, action, role))
    if expected is not None:
        result = act(user, nomination, action)
        assert result.state == expected
        nomination.refresh_from_db()
        assert nomination.state == expected
        assert AuditEvent.objects.count() == audits + 1
        return
    if role not in PARTIES[action] or any(
        (state, action, other) in ALLOWED and other != role for other in PARTIES[action]
    ):
        error = PermissionDenied
    else:
        error = DomainError
    with pytest.raises(error) as raised:
        act(user, nomination, action)
    if error is DomainError:
        assert raised.value.conflict
    refreshed = Nomination.objects.get(pk=nomination.pk)
    assert refreshed.state == state
    assert AuditEvent.objects.count() == audits


def test_a_conflict_names_who_decided_and_when(clinician, tb_admin, open_opportunity):
    """An admin deciding a nomination someone already decided hears who did it and when."""
    nomination = nomination_in_state(
        S.APPROVED, profile=clinician.clinician_profile, opportunity=open_opportunity, admin=tb_admin
    )
    second_admin = TrainingBodyAdminFactory(training_body=nomination.training_body)

    with pytest.raises(DomainError) as raised:
        service.nomination_reject(user=second_admin, nomination=nomination, reason="No.")

    when = timezone.localtime(nomination.decided_at)
    assert raised.value.message == (
        f"This nomination was already approved by {tb_admin.full_name} on {when:%-d %B %Y} at {when:%H:%M}."
    )
    assert raised.value.conflict


def test_an_action_the_state_does_not_allow_names_the_state_the_nomination_is_in(clinician, tb_admin, open_opportunity):
    """An admin approving a nomination the nominee has not accepted yet hears what it is waiting for."""
    nomination = nomination_in_state(
        S.PENDING_NOMINEE, profile=clinician.clinician_profile, opportunity=open_opportunity, admin=tb_admin
    )

    with pytest.raises(DomainError) as raised:
        service.nomination_approve(user=tb_admin, nomination=nomination)

    assert raised.value.message == "This nomination is now waiting for the nominee to accept."
    assert raised.value.conflict
    assert Nomination.objects.get(pk=nomination.pk).state == S.PENDING_NOMINEE


# --- Random sequences --------------------------------------------------------------------------------------------

steps = st.lists(
    st.one_of(
        st.tuples(st.just("apply"), st.sampled_from(("nominee_a", "nominee_b")), st.integers(0, 1)),
        st.tuples(st.just("nominate"), st.sampled_from(("nominee_a", "nominee_b")), st.integers(0, 1)),
        # Mostly the people who may act, so sequences get deep enough to reach decisions and full places.
        st.tuples(
            st.sampled_from(service.ACTIONS),
            st.sampled_from(("admin", "admin", "nominee_a", "nominee_b", "other_admin")),
            st.integers(0, 3),
        ),
    ),
    max_size=12,
)


@pytest.mark.django_db
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
# Sequences worth trying every time, besides the random ones: two approvals for the last place, deciding twice,
# and acting on a declined or withdrawn nomination.
@example(steps=[("apply", "nominee_a", 1), ("apply", "nominee_b", 1), ("approve", "admin", 0), ("approve", "admin", 1)])
@example(
    steps=[("apply", "nominee_a", 0), ("reject", "admin", 0), ("approve", "admin", 0), ("withdraw", "nominee_a", 0)]
)
@example(steps=[("nominate", "nominee_a", 0), ("decline", "nominee_a", 0), ("accept", "nominee_a", 0)])
@example(
    steps=[("apply", "nominee_b", 0), ("withdraw", "nominee_b", 0), ("apply", "nominee_b", 0), ("approve", "admin", 1)]
)
def test_random_sequences_never_reach_a_state_the_design_forbids(
    training_body, other_training_body, open_opportunity, second_open_opportunity, steps
):
    """Property: whatever people try, in any order, each nomination only moves along the design's arrows, a final
    state never changes, one live nomination per clinician and opportunity, never more approvals than places,
    rejections have reasons, and every change is audited."""
    savepoint = transaction.savepoint()
    try:
        second_open_opportunity.places = 1
        second_open_opportunity.save()
        opportunities = [open_opportunity, second_open_opportunity]
        people = {
            "nominee_a": ClinicianProfileFactory(training_body=training_body).user,
            "nominee_b": ClinicianProfileFactory(training_body=training_body).user,
            "admin": TrainingBodyAdminFactory(training_body=training_body),
            "other_admin": TrainingBodyAdminFactory(training_body=other_training_body),
        }
        seen: dict = {}
        changes = 0
        for step in steps:
            kind, who, index = step
            try:
                if kind == "apply":
                    service.nomination_apply(
                        user=people[who], opportunity=opportunities[index], supporting_statement="Why me."
                    )
                elif kind == "nominate":
                    service.nomination_nominate(
                        user=people["admin"],
                        profile=people[who].clinician_profile,
                        opportunity=opportunities[index],
                        supporting_statement="Why them.",
                    )
                else:
                    nominations = list(Nomination.objects.order_by("created_at", "pk"))
                    if not nominations:
                        continue
                    act(people[who], nominations[index % len(nominations)], kind)
                changes += 1
            except (DomainError, PermissionDenied):
                pass
            for nomination in Nomination.objects.all():
                before = seen.get(nomination.pk)
                if before is None:
                    first = S.SUBMITTED if nomination.route == NominationRoute.APPLICATION else S.PENDING_NOMINEE
                    assert nomination.state in {first, *{new for old, new in ALLOWED_EDGES if old == first}}
                elif before != nomination.state:
                    assert (before, nomination.state) in ALLOWED_EDGES
                seen[nomination.pk] = nomination.state
                assert (nomination.state == S.REJECTED) <= bool(nomination.decision_reason)
                assert (nomination.decided_at is not None) == (nomination.state in (S.APPROVED, S.REJECTED))
            for profile_user in (people["nominee_a"], people["nominee_b"]):
                for opportunity in opportunities:
                    live = Nomination.objects.filter(
                        profile__user=profile_user, opportunity=opportunity, state__in=LIVE_NOMINATION_STATES
                    ).count()
                    assert live <= 1
            assert Nomination.objects.filter(opportunity=second_open_opportunity, state=S.APPROVED).count() <= 1
            assert AuditEvent.objects.filter(action__startswith="nomination.").count() == changes
    finally:
        transaction.savepoint_rollback(savepoint)


# --- Notifications -------------------------------------------------------------------------------------------------


def outbox():
    return {(m.kind, m.to_email, m.idempotency_key) for m in OutboxMessage.objects.all()}


def test_applying_tells_every_admin_of_the_body(clinician, tb_admin, training_body, open_opportunity):
    """Each admin of the deciding body is owed one email linking to the review page; the clinician an
    acknowledgement."""
    second = TrainingBodyAdminFactory(training_body=training_body)
    TrainingBodyAdminFactory()  # another body's admin hears nothing

    nomination = service.nomination_apply(
        user=clinician, opportunity=open_opportunity, supporting_statement="I want to lead."
    )

    assert outbox() == {
        ("nomination_received", admin.email, f"nomination:{nomination.pk}:applied:{admin.pk}")
        for admin in (tb_admin, second)
    } | {("application_acknowledged", clinician.email, f"nomination:{nomination.pk}:applied:{clinician.pk}")}
    message = OutboxMessage.objects.get(to_email=tb_admin.email)
    assert message.context["path"] == f"/nominations/{nomination.pk}/"
    assert message.context["nominee_name"] == clinician.full_name


def test_applying_tells_no_deactivated_admin_and_no_one_who_is_no_longer_an_admin(
    clinician, tb_admin, training_body, open_opportunity
):
    """An admin whose account was deactivated, or who moved to another role but kept the body's membership, is not
    emailed about the body's nominations."""
    deactivated = TrainingBodyAdminFactory(training_body=training_body)
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    moved_on = TrainingBodyAdminFactory(training_body=training_body)
    moved_on.role = Role.HEE_STAFF
    moved_on.save(update_fields=["role"])

    service.nomination_apply(user=clinician, opportunity=open_opportunity, supporting_statement="I want to lead.")

    assert {to for kind, to, _ in outbox() if kind == "nomination_received"} == {tb_admin.email}


@pytest.mark.parametrize(
    ("state", "action", "actor", "kind", "to", "says"),
    [
        (
            S.PENDING_NOMINEE,
            "accept",
            "clinician",
            "nomination_received",
            "tb_admin",
            "{nominee} is waiting for a decision from {body} on a nomination for {title}",
        ),
        (
            S.PENDING_NOMINEE,
            "decline",
            "clinician",
            "nomination_declined",
            "tb_admin",
            "{nominee} declined the nomination for {title}",
        ),
        (
            S.PENDING_NOMINEE,
            "withdraw",
            "tb_admin",
            "nomination_withdrawn",
            "clinician",
            "{admin} of {body} withdrew their nomination of you for {title}",
        ),
        (
            S.SUBMITTED,
            "withdraw",
            "clinician",
            "nomination_withdrawn",
            "tb_admin",
            "{nominee} withdrew their nomination for {title} ({provider}). It no longer needs a decision.",
        ),
        (
            S.SUBMITTED,
            "approve",
            "tb_admin",
            "nomination_approved",
            "clinician",
            "{body} approved your nomination for {title}",
        ),
        (
            S.SUBMITTED,
            "reject",
            "tb_admin",
            "nomination_rejected",
            "clinician",
            "{body} did not approve your nomination for {title}",
        ),
    ],
)
def test_each_transition_owes_the_right_email(
    request, clinician, tb_admin, open_opportunity, state, action, actor, kind, to, says
):
    """The other party hears of each transition, once, with a link to their page for it."""
    nomination = nomination_in_state(
        state, profile=clinician.clinician_profile, opportunity=open_opportunity, admin=tb_admin
    )
    recipient = request.getfixturevalue(to)

    act(request.getfixturevalue(actor), nomination, action)

    message = OutboxMessage.objects.get()
    assert (message.kind, message.to_email) == (kind, recipient.email)
    assert message.idempotency_key.startswith(f"nomination:{nomination.pk}:")
    assert message.idempotency_key.endswith(f":{recipient.pk}")
    page = "your-nominations" if to == "clinician" else "nominations"
    assert message.context["path"] == f"/{page}/{nomination.pk}/"
    email = outbox_render(message)
    link = f"{django_settings.SITE_URL}/{page}/{nomination.pk}/"
    assert open_opportunity.title in email.subject
    assert link in email.body and f'href="{link}"' in email.alternatives[0][0]
    assert "{{" not in email.body + email.subject
    assert email.body.startswith(f"Dear {recipient.full_name},")
    assert f"<p>Dear {escape(recipient.full_name)},</p>" in email.alternatives[0][0]
    sentence = says.format(
        nominee=clinician.full_name,
        admin=tb_admin.full_name,
        body=nomination.training_body.name,
        title=open_opportunity.title,
        provider=open_opportunity.provider,
    )
    assert sentence in email.body


def test_nominating_tells_the_clinician(clinician, tb_admin, open_opportunity):
    nomination = service.nomination_nominate(
        user=tb_admin,
        profile=clinician.clinician_profile,
        opportunity=open_opportunity,
        supporting_statement="Ready for this.",
    )

    assert nomination.state == S.PENDING_NOMINEE
    assert outbox() == {("nomination_made", clinician.email, f"nomination:{nomination.pk}:nominated:{clinician.pk}")}
    email = outbox_render(OutboxMessage.objects.get())
    assert email.subject == f"{nomination.training_body.name} nominated you for {open_opportunity.title}"
    assert f"/your-nominations/{nomination.pk}/" in email.body
    assert f"{tb_admin.full_name} of {nomination.training_body.name} nominated you" in email.body


def test_a_rolled_back_transition_owes_no_email(clinician, tb_admin, open_opportunity):
    """If the transaction that approves fails afterwards, neither the approval nor its email survive."""
    nomination = nomination_in_state(
        S.SUBMITTED, profile=clinician.clinician_profile, opportunity=open_opportunity, admin=tb_admin
    )

    with pytest.raises(RuntimeError), transaction.atomic():
        service.nomination_approve(user=tb_admin, nomination=nomination)
        assert OutboxMessage.objects.count() == 1
        raise RuntimeError("the request failed after the approval")

    assert OutboxMessage.objects.count() == 0
    assert Nomination.objects.get(pk=nomination.pk).state == S.SUBMITTED


def test_emails_render_with_plain_text_html_and_a_link(clinician, tb_admin, open_opportunity, settings):
    """Every nomination email has both parts and links to the page where the recipient acts."""
    settings.SITE_URL = "https://ltt.example.nhs.uk"
    nomination = nomination_in_state(
        S.SUBMITTED, profile=clinician.clinician_profile, opportunity=open_opportunity, admin=tb_admin
    )
    service.nomination_reject(user=tb_admin, nomination=nomination, reason="Places went to ST5s & above.")

    email = outbox_render(OutboxMessage.objects.get())
    link = f"https://ltt.example.nhs.uk/your-nominations/{nomination.pk}/"
    assert email.subject == f"Your nomination for {open_opportunity.title} was not approved"
    assert link in email.body and "Places went to ST5s & above." in email.body
    html = email.alternatives[0][0]
    assert f'href="{link}"' in html and "ST5s &amp; above" in html


def test_a_rejection_records_who_rejected_it(submitted_nomination, tb_admin, training_body):
    """The rejecting admin is on the record: a colleague who tries to decide next is told who rejected it, and when."""
    service.nomination_reject(user=tb_admin, nomination=submitted_nomination, reason="Not this year.")
    colleague = TrainingBodyAdminFactory(training_body=training_body)

    rejected = Nomination.objects.get(pk=submitted_nomination.pk)
    with pytest.raises(DomainError) as raised:
        service.nomination_approve(user=colleague, nomination=submitted_nomination)

    assert rejected.decided_by == tb_admin
    when = timezone.localtime(rejected.decided_at)
    assert raised.value.message == (
        f"This nomination was already rejected by {tb_admin.full_name} on {when:%-d %B %Y} at {when:%H:%M}."
    )


def test_the_approval_note_is_kept_and_emailed_to_the_clinician(submitted_nomination, tb_admin, clinician):
    """The note an admin writes when approving stays on the nomination and is in the clinician's email, both parts."""
    note = "Well deserved: the faculty will write to you about dates."

    service.nomination_approve(user=tb_admin, nomination=submitted_nomination, note=f"  {note}\n")

    assert Nomination.objects.get(pk=submitted_nomination.pk).decision_reason == note
    [email] = delivered_emails()
    assert email.to == [clinician.email]
    assert f"Their note: {note}" in email.body
    assert f"Their note: {note}" in email.alternatives[0][0]


# --- Bad input --------------------------------------------------------------------------------------------------


def nothing_written():
    return (
        not Nomination.objects.exists()
        and not OutboxMessage.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="nomination.").exists()
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"professions": ["nurse"]}, "You are not eligible: Open only to these professions: nurse."),
        (
            {"professions": ["nurse"], "career_stages": ["consultant_gp"]},
            "You are not eligible: Open only to these professions: nurse. Open only at these career stages: "
            "Consultant or GP.",
        ),
        ({"opens_on_days": 3}, "Applications for Open leadership programme open on {opens_on}."),
        ({"closes_on_days": -1}, "Applications for Open leadership programme closed on {closes_on}."),
        ({"status": ContentStatus.DRAFT, "published_at": None}, "This opportunity is not open for applications."),
    ],
)
def test_applying_when_not_allowed_is_refused_and_writes_nothing(
    clinician, open_opportunity, tb_admin, change, message
):
    today = timezone.localdate()
    change = dict(change)
    if "opens_on_days" in change:
        open_opportunity.opens_on = today + timedelta(days=change.pop("opens_on_days"))
    if "closes_on_days" in change:
        open_opportunity.opens_on = today - timedelta(days=30)
        open_opportunity.closes_on = today + timedelta(days=change.pop("closes_on_days"))
    for field, value in change.items():
        setattr(open_opportunity, field, value)
    open_opportunity.save()

    with pytest.raises(DomainError) as raised:
        service.nomination_apply(user=clinician, opportunity=open_opportunity, supporting_statement="Please.")

    def day(value):
        return f"{value.day} {value:%B %Y}"  # 9 December 2026

    opens_on, closes_on = day(open_opportunity.opens_on), day(open_opportunity.closes_on)
    assert raised.value.message == message.format(opens_on=opens_on, closes_on=closes_on)
    assert raised.value.field == "opportunity"
    assert nothing_written()


def test_applying_twice_is_refused(clinician, tb_admin, open_opportunity):
    """The second application is refused on the opportunity field, saying where the first one is."""
    service.nomination_apply(user=clinician, opportunity=open_opportunity, supporting_statement="Please.")

    with pytest.raises(DomainError) as raised:
        service.nomination_apply(user=clinician, opportunity=open_opportunity, supporting_statement="Again.")

    assert raised.value.message == (
        "You have already applied for, or been nominated for, Open leadership programme (waiting for a decision)."
    )
    assert raised.value.field == "opportunity"
    assert Nomination.objects.count() == 1


def test_applying_twice_names_the_state_of_this_clinicians_nomination_for_this_opportunity(
    clinician, tb_admin, training_body, open_opportunity, second_open_opportunity
):
    """Newer nominations of someone else for the same opportunity, or of the same clinician for another one, are not
    the one the message talks about."""
    service.nomination_apply(user=clinician, opportunity=open_opportunity, supporting_statement="Please.")
    later = timezone.now() + timedelta(hours=1)
    nomination_in_state(
        S.APPROVED,
        profile=ClinicianProfileFactory(training_body=training_body),
        opportunity=open_opportunity,
        admin=tb_admin,
        created_at=later,
    )
    nomination_in_state(
        S.APPROVED,
        profile=clinician.clinician_profile,
        opportunity=second_open_opportunity,
        admin=tb_admin,
        created_at=later,
    )

    with pytest.raises(DomainError) as raised:
        service.nomination_apply(user=clinician, opportunity=open_opportunity, supporting_statement="Again.")

    assert raised.value.message == (
        "You have already applied for, or been nominated for, Open leadership programme (waiting for a decision)."
    )


def test_nominating_someone_with_a_live_nomination_names_them(clinician, tb_admin, open_opportunity):
    """An admin nominating a clinician who already applied is told who, and where that application is."""
    profile = clinician.clinician_profile
    service.nomination_apply(user=clinician, opportunity=open_opportunity, supporting_statement="Please.")

    with pytest.raises(DomainError) as raised:
        service.nomination_nominate(
            user=tb_admin, profile=profile, opportunity=open_opportunity, supporting_statement="Strong candidate."
        )

    assert raised.value.message == (
        f"{clinician.full_name} has already applied for, or been nominated for, Open leadership programme "
        "(waiting for a decision)."
    )
    assert raised.value.field == "opportunity"
    assert Nomination.objects.count() == 1


def test_after_a_withdrawal_the_clinician_may_apply_again(clinician, tb_admin, open_opportunity):
    first = service.nomination_apply(user=clinician, opportunity=open_opportunity, supporting_statement="Please.")
    service.nomination_withdraw(user=clinician, nomination=first)

    again = service.nomination_apply(user=clinician, opportunity=open_opportunity, supporting_statement="Now.")

    assert again.state == S.SUBMITTED


def test_without_a_training_body_a_clinician_cannot_apply(open_opportunity):
    """The lead's decision: every nomination has a deciding body, so a clinician without one is told to add it."""
    profile = ClinicianProfileFactory(training_body=None, shares_with_training_body=False)

    with pytest.raises(DomainError) as raised:
        service.nomination_apply(user=profile.user, opportunity=open_opportunity, supporting_statement="Please.")

    assert raised.value.message == "You need a training body to be nominated: add yours to your profile."
    assert nothing_written()


def test_an_empty_statement_is_refused(clinician, tb_admin, open_opportunity):
    with pytest.raises(DomainError) as raised:
        service.nomination_apply(user=clinician, opportunity=open_opportunity, supporting_statement="   ")

    assert (raised.value.field, raised.value.message) == ("supporting_statement", "Enter a supporting statement")
    assert nothing_written()


def test_acting_by_name_needs_a_reason_to_reject_keeps_no_note_unless_given_and_refuses_unknown_actions(
    submitted_nomination, tb_admin, clinician, open_opportunity
):
    """Pages and the API post the action's name: a rejection without a reason is refused, an approval without a
    note records none, and a name that is no action is refused with a message."""
    with pytest.raises(DomainError) as raised:
        service.nomination_act(user=tb_admin, nomination=submitted_nomination, action="reject")
    assert raised.value.field == "reason"

    with pytest.raises(DomainError) as raised:
        service.nomination_act(user=tb_admin, nomination=submitted_nomination, action="promote")
    assert raised.value.message == "Choose what to do with this nomination."

    approved = service.nomination_act(user=tb_admin, nomination=submitted_nomination, action="approve")
    assert (approved.state, approved.decision_reason) == (S.APPROVED, "")


def test_rejecting_needs_a_reason(submitted_nomination, tb_admin):
    with pytest.raises(DomainError) as raised:
        service.nomination_reject(user=tb_admin, nomination=submitted_nomination, reason=" ")

    assert raised.value.field == "reason"
    assert Nomination.objects.get(pk=submitted_nomination.pk).state == S.SUBMITTED
    assert not OutboxMessage.objects.exists()


def test_approving_beyond_the_places_is_refused(clinician, tb_admin, training_body, second_open_opportunity):
    """Two places: two approvals stand, the third is refused with a clear message."""
    nominations = [
        nomination_in_state(
            S.SUBMITTED,
            profile=ClinicianProfileFactory(training_body=training_body),
            opportunity=second_open_opportunity,
        )
        for _ in range(3)
    ]
    service.nomination_approve(user=tb_admin, nomination=nominations[0])
    service.nomination_approve(user=tb_admin, nomination=nominations[1])

    with pytest.raises(DomainError) as raised:
        service.nomination_approve(user=tb_admin, nomination=nominations[2])

    assert raised.value.message == (
        "All 2 places on Second open fellowship are taken, so no more nominations can be approved."
    )
    assert Nomination.objects.get(pk=nominations[2].pk).state == S.SUBMITTED


def test_places_taken_on_another_opportunity_do_not_count(
    clinician, tb_admin, training_body, open_opportunity, second_open_opportunity
):
    """Approvals for one opportunity do not use up the places of another."""
    for _ in range(second_open_opportunity.places):
        nomination_in_state(
            S.APPROVED,
            profile=ClinicianProfileFactory(training_body=training_body),
            opportunity=open_opportunity,
            admin=tb_admin,
        )
    nomination = nomination_in_state(
        S.SUBMITTED, profile=clinician.clinician_profile, opportunity=second_open_opportunity
    )

    approved = service.nomination_approve(user=tb_admin, nomination=nomination)

    assert approved.state == S.APPROVED


def test_an_admin_nominates_only_consenting_clinicians_of_their_body(
    tb_admin, private_clinician, other_clinician, open_opportunity
):
    for user in (private_clinician, other_clinician):
        with pytest.raises(DomainError) as raised:
            service.nomination_nominate(
                user=tb_admin,
                profile=user.clinician_profile,
                opportunity=open_opportunity,
                supporting_statement="Ready.",
            )
        assert raised.value.field == "clinician"
    assert nothing_written()


def test_an_admin_cannot_nominate_an_ineligible_clinician(clinician, tb_admin, open_opportunity):
    open_opportunity.professions = ["nurse"]
    open_opportunity.save()

    with pytest.raises(DomainError, match=f"{clinician.full_name} is not eligible"):
        service.nomination_nominate(
            user=tb_admin, profile=clinician.clinician_profile, opportunity=open_opportunity, supporting_statement="x"
        )


def test_the_deciding_body_stays_when_the_clinician_moves(
    clinician, tb_admin, other_training_body, submitted_nomination
):
    """The body that decides is fixed when the nomination is made."""
    profile = clinician.clinician_profile
    profile.training_body = other_training_body
    profile.save()

    approved = service.nomination_approve(user=tb_admin, nomination=submitted_nomination)

    assert approved.state == S.APPROVED
    assert approved.training_body != other_training_body


AUDITED_AS = {"accept": "accepted", "decline": "declined", "withdraw": "withdrawn", "approve": "approved"}


@pytest.mark.parametrize(("state", "action", "actor"), list(ALLOWED), ids="-".join)
def test_every_transition_is_audited_with_who_did_it_and_its_states(
    request, clinician, tb_admin, open_opportunity, state, action, actor
):
    """The audit trail says what happened (declining is told apart from withdrawing), who did it, and the states
    before and after."""
    nomination = nomination_in_state(
        state, profile=clinician.clinician_profile, opportunity=open_opportunity, admin=tb_admin
    )
    user = request.getfixturevalue(actor)

    act(user, nomination, action)

    event = AuditEvent.objects.get(action__startswith="nomination.")
    assert event.action == f"nomination.{AUDITED_AS.get(action, 'rejected')}"
    assert event.actor == user
    assert event.subject_id == str(nomination.pk)
    assert (event.detail["from"], event.detail["to"]) == (state, ALLOWED[(state, action, actor)])
    assert event.detail["opportunity"] == str(open_opportunity.pk)


# The limits are written out here, not read from the service: a test that read them would move with a changed limit.
LIMITED_TEXT = [
    pytest.param("apply", "supporting_statement", 5000, id="application statement"),
    pytest.param("nominate", "supporting_statement", 5000, id="nomination statement"),
    pytest.param("approve", "note", 2000, id="approval note"),
    pytest.param("reject", "reason", 2000, id="rejection reason"),
]


def write_limited_text(kind, text, *, clinician, tb_admin, opportunity, nomination):
    """Send `text` to the service through the input that limits it (`nomination` is the one to decide)."""
    if kind == "apply":
        return service.nomination_apply(user=clinician, opportunity=opportunity, supporting_statement=text)
    if kind == "nominate":
        return service.nomination_nominate(
            user=tb_admin, profile=clinician.clinician_profile, opportunity=opportunity, supporting_statement=text
        )
    if kind == "approve":
        return service.nomination_approve(user=tb_admin, nomination=nomination, note=text)
    return service.nomination_reject(user=tb_admin, nomination=nomination, reason=text)


def submitted_if_deciding(kind, clinician, opportunity):
    if kind in ("approve", "reject"):
        return nomination_in_state(S.SUBMITTED, profile=clinician.clinician_profile, opportunity=opportunity)
    return None


@pytest.mark.parametrize(("kind", "field", "limit"), LIMITED_TEXT)
def test_text_of_exactly_the_limit_is_kept_whole(clinician, tb_admin, open_opportunity, kind, field, limit):
    """A statement of 5,000 characters, or a note or reason of 2,000, is accepted and kept to the last character."""
    nomination = submitted_if_deciding(kind, clinician, open_opportunity)
    text = "x" * (limit - 1) + "z"

    result = write_limited_text(
        kind, text, clinician=clinician, tb_admin=tb_admin, opportunity=open_opportunity, nomination=nomination
    )

    saved = Nomination.objects.get(pk=result.pk)
    assert (saved.supporting_statement if field == "supporting_statement" else saved.decision_reason) == text


@pytest.mark.parametrize(("kind", "field", "limit"), LIMITED_TEXT)
def test_one_character_over_the_limit_is_refused_and_writes_nothing(
    clinician, tb_admin, open_opportunity, kind, field, limit
):
    """One character more is refused on the field, with the limit in words, and nothing is saved, audited or sent."""
    nomination = submitted_if_deciding(kind, clinician, open_opportunity)

    with pytest.raises(DomainError) as raised:
        write_limited_text(
            kind,
            "x" * (limit + 1),
            clinician=clinician,
            tb_admin=tb_admin,
            opportunity=open_opportunity,
            nomination=nomination,
        )

    assert raised.value.field == field
    assert f"must be {limit} characters or fewer" in raised.value.message
    if nomination is None:
        assert nothing_written()
    else:
        unchanged = Nomination.objects.get(pk=nomination.pk)
        assert (unchanged.state, unchanged.decided_by, unchanged.decision_reason) == (S.SUBMITTED, None, "")
        assert not OutboxMessage.objects.exists()
        assert not AuditEvent.objects.filter(action__startswith="nomination.").exists()


# --- Which buttons each person sees, and "declined" --------------------------------------------------------------

# For each state: the actions the nominee and an admin of the deciding body may take (everyone else: none).
BUTTONS = {
    NominationState.PENDING_NOMINEE: ({"accept", "decline", "withdraw"}, {"withdraw"}),
    NominationState.SUBMITTED: ({"withdraw"}, {"approve", "reject"}),
    NominationState.APPROVED: (set(), set()),
    NominationState.REJECTED: (set(), set()),
    NominationState.WITHDRAWN: (set(), set()),
}


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(BUTTONS))
def test_each_person_is_offered_only_the_actions_they_may_take_now(
    state, clinician, other_clinician, tb_admin, other_tb_admin, hee_staff, open_opportunity
):
    """The nominee and the deciding body's admins see the buttons the state allows them; nobody else sees any."""
    nomination = nomination_in_state(
        state, profile=clinician.clinician_profile, opportunity=open_opportunity, admin=tb_admin
    )
    nominee, admin = BUTTONS[state]

    assert set(service.allowed_actions(clinician, nomination)) == nominee
    assert set(service.allowed_actions(tb_admin, nomination)) == admin
    for outsider in (other_clinician, other_tb_admin, hee_staff, AnonymousUser()):
        assert service.allowed_actions(outsider, nomination) == []


@pytest.mark.django_db
def test_an_action_nobody_may_take_is_never_allowed(clinician, tb_admin, open_opportunity):
    """An unknown action is refused as "not allowed" for the nominee and the body alike, not an error."""
    nomination = nomination_in_state(
        NominationState.SUBMITTED, profile=clinician.clinician_profile, opportunity=open_opportunity
    )

    assert service.may_ever(clinician, nomination, "withdraw") and service.may_ever(tb_admin, nomination, "approve")
    assert not service.may_ever(clinician, nomination, "promote")
    assert not service.may_ever(tb_admin, nomination, "promote")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "accepted", "withdrawn_by_nominee", "declined"),
    [
        ("nomination", False, True, True),  # the nominee turned the nomination down before accepting it
        ("nomination", True, True, False),  # accepted, then withdrew: a withdrawal
        ("nomination", False, False, False),  # the body took its nomination back
        ("application", True, True, False),  # their own application, withdrawn
    ],
)
def test_only_a_nomination_the_nominee_turned_down_before_accepting_reads_as_declined(
    route, accepted, withdrawn_by_nominee, declined, clinician, tb_admin, open_opportunity
):
    """The clinician's list says "declined" only for a nomination they turned down; other withdrawals say so."""
    nomination = nomination_in_state(
        NominationState.WITHDRAWN,
        profile=clinician.clinician_profile,
        opportunity=open_opportunity,
        admin=tb_admin,
        route=route,
        submitted_at=timezone.now() - timedelta(days=3) if accepted else None,
        withdrawn_by=clinician if withdrawn_by_nominee else tb_admin,
    )

    assert service.was_declined(nomination) is declined


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "action", "verb"),
    [(NominationState.APPROVED, "withdraw", "approved"), (NominationState.WITHDRAWN, "approve", "withdrawn")],
)
def test_a_decision_by_an_account_since_deleted_is_told_as_by_someone_and_when(
    state, action, verb, clinician, tb_admin, open_opportunity
):
    """When whoever decided or withdrew has no account any more, the refusal still says what happened and when."""
    nomination = nomination_in_state(
        state, profile=clinician.clinician_profile, opportunity=open_opportunity, admin=tb_admin
    )
    Nomination.objects.filter(pk=nomination.pk).update(decided_by=None, withdrawn_by=None)
    nomination.refresh_from_db()
    when = timezone.localtime(nomination.decided_at or nomination.withdrawn_at)
    actor = clinician if action == "withdraw" else tb_admin

    with pytest.raises(DomainError) as raised:
        service.nomination_act(user=actor, nomination=nomination, action=action)

    assert raised.value.message == (
        f"This nomination was already {verb} by someone on {when:%-d %B %Y} at {when:%H:%M}."
    )


def test_the_service_refuses_on_its_own_whoever_calls_it(submitted_nomination, clinician, other_tb_admin):
    """Pages and the API ask first, but the service is the rule: the nominee cannot approve their own application,
    nor another body's admin touch it, when called directly."""
    for user in (clinician, other_tb_admin):
        with pytest.raises(PermissionDenied, match=r"^You cannot do this to this nomination\.$"):
            service.nomination_approve(user=user, nomination=submitted_nomination)
    submitted_nomination.refresh_from_db()
    assert submitted_nomination.state == NominationState.SUBMITTED


def test_acting_on_a_nomination_deleted_meanwhile_says_it_no_longer_exists(submitted_nomination, tb_admin):
    """The admin opened the nomination, and it was deleted (its clinician's account erased) before they approved."""
    Nomination.objects.filter(pk=submitted_nomination.pk).delete()

    with pytest.raises(DomainError, match=r"^This nomination no longer exists\.$") as refused:
        service.nomination_approve(user=tb_admin, nomination=submitted_nomination)
    assert refused.value.conflict


def test_approving_reads_the_nomination_and_its_people_in_one_query(
    submitted_nomination, tb_admin, django_assert_max_num_queries
):
    """The nomination is locked, then read once with the clinician, opportunity, body and the people who acted on
    it: the emails and the audit record name them without a query each."""
    nomination = Nomination.objects.get(pk=submitted_nomination.pk)
    with django_assert_max_num_queries(13):
        service.nomination_approve(user=tb_admin, nomination=nomination)


@pytest.mark.parametrize("state", [S.APPROVED, S.REJECTED, S.WITHDRAWN])
def test_refusing_an_action_names_who_acted_from_the_same_read_as_the_nomination(
    state, clinician, open_opportunity, tb_admin, django_assert_max_num_queries
):
    """Approving a nomination someone already decided or withdrew says who did it; their name comes with the locked
    nomination, not from a query of its own."""
    nomination = nomination_in_state(
        state, profile=clinician.clinician_profile, opportunity=open_opportunity, admin=tb_admin
    )
    fresh = Nomination.objects.get(pk=nomination.pk)

    with django_assert_max_num_queries(6), pytest.raises(DomainError, match=" by ") as refused:
        service.nomination_approve(user=tb_admin, nomination=fresh)

    actor = clinician if state == S.WITHDRAWN else tb_admin
    assert f" by {actor.full_name} on " in refused.value.message
