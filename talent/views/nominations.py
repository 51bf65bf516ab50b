"""Nomination pages: a clinician applies, accepts, declines or withdraws and follows the outcome; a training-body
admin works through the body's queue, reviews a nominee, approves or rejects with a reason, and nominates.

Reads go through talent.selectors (scoped: 404 outside scope); every change through talent.services.nominations.
"""

import contextlib
import uuid

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView

from accounts.audit import audit_record
from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from config.errors import DomainError
from pathways.presenters import next_steps_of
from pathways.selectors import eligibility_for, opportunities_visible_to
from talent import selectors
from talent.forms.nominations import (
    ApplyForm,
    ChooseClinicianForm,
    DecisionForm,
    NominateForm,
    OutcomeForm,
    QueueFilterForm,
)
from talent.models import ClinicianProfile, Dimension, NominationState
from talent.services import nominations as service
from talent.views.mixins import ClinicianMixin, ClinicianProfileRequiredMixin

NOMINATIONS_PER_PAGE = 25
# The review page's form for what became of an approved nomination posts this action.
OUTCOME = "outcome"
# The decision form posts DECIDE to reach the confirmation step, which posts the decision itself (approve or reject)
# or CHANGE to go back to the form as it was typed.
DECIDE = "decide"
CHANGE = "change"
# A select of every clinician is only sensible up to a point; beyond it the admin starts from a clinician's record.
NOMINATE_CHOICES_LIMIT = 1000

ACTION_DONE = {
    service.ACCEPT: "You accepted the nomination. Your training body will now decide.",
    service.DECLINE: "You declined the nomination.",
    service.WITHDRAW: "The nomination was withdrawn.",
    service.APPROVE: "Nomination approved. The clinician has been told.",
    service.REJECT: "Nomination not approved. The clinician has been told the reason.",
}


# --- The clinician's pages ------------------------------------------------------------------------------------------


class ListMyNominationsView(ClinicianMixin, TemplateView):
    """All the clinician's nominations and their outcomes, newest first."""

    permission_required = Permission.FOLLOW_OWN_NOMINATIONS
    template_name = "talent/nominations/my_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            nominations=list(selectors.own_nominations(self.request.user)), for_nominee=True, **kwargs
        )


class ShowMyNominationView(ClinicianMixin, TemplateView):
    """One of the clinician's nominations, with accept, decline or withdraw when they apply."""

    permission_required = Permission.FOLLOW_OWN_NOMINATIONS
    template_name = "talent/nominations/my_detail.html"

    def prepare(self, **kwargs) -> None:
        self.nomination = selectors.nomination_for(self.request.user, kwargs["nomination_id"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            nomination=self.nomination,
            actions=service.allowed_actions(self.request.user, self.nomination),
            next_steps=next_steps_of(self.nomination.opportunity),
            for_nominee=True,  # the clinician's own page: statuses speak to them as the nominee
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        action = request.POST.get("action")
        if action not in (service.ACCEPT, service.DECLINE, service.WITHDRAW):
            raise BadRequest("No such action on a nomination.")
        try:
            service.nomination_act(user=request.user, nomination=self.nomination, action=action)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, ACTION_DONE[action])
        return redirect("talent:show_my_nomination", nomination_id=self.nomination.pk)


class ApplyForOpportunityView(ClinicianProfileRequiredMixin, TemplateView):
    """Apply for an opportunity: eligibility, the window and a training body are checked before the form shows."""

    permission_required = Permission.APPLY_FOR_OPPORTUNITY
    template_name = "talent/nominations/apply.html"

    def prepare(self, **kwargs) -> None:
        self.opportunity = opportunities_visible_to(self.request.user).filter(slug=kwargs["slug"]).first()
        if self.opportunity is None:
            raise Http404("No such opportunity.")

    def get_context_data(self, **kwargs):
        opportunity = self.opportunity
        kwargs.setdefault("form", ApplyForm())
        return super().get_context_data(
            opportunity=opportunity,
            profile=self.profile,
            eligibility=eligibility_for(opportunity=opportunity, profile=self.profile, today=timezone.localdate()),
            existing=selectors.live_nomination_of(self.request.user, opportunity),
            no_training_body_message=service.NO_TRAINING_BODY,
            not_confirmed_message=service.TRAINING_BODY_NOT_CONFIRMED,
            for_nominee=True,
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = ApplyForm(request.POST)
        if form.is_valid():
            try:
                nomination = service.nomination_apply(
                    user=request.user,
                    opportunity=self.opportunity,
                    supporting_statement=form.cleaned_data["supporting_statement"],
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    f"Application sent to {nomination.training_body.name}. We will email you when they decide.",
                )
                return redirect("talent:show_my_nomination", nomination_id=nomination.pk)
        return self.render_to_response(self.get_context_data(form=form))


# --- The training-body admin's pages --------------------------------------------------------------------------------


class ListNominationsView(PermissionRequiredMixin, TemplateView):
    """The nominations the admin's bodies decide, filtered by status and opportunity, longest waiting first."""

    permission_required = Permission.DECIDE_NOMINATION
    template_name = "talent/nominations/queue.html"

    def get_context_data(self, **kwargs):
        request, user = self.request, self.request.user
        opportunities = list(selectors.queue_opportunities(user))
        # Defaults per parameter, not only for a bare URL: the pagination links carry just `page`, and page 2 of
        # the default queue must still be the nominations waiting for a decision ("?state=" shows every state).
        data = request.GET.copy()
        data.setdefault("state", "submitted")
        data.setdefault("sort", "longest_waiting")
        form = QueueFilterForm(data, opportunities=opportunities)
        values = form.cleaned_data if form.is_valid() else {}
        if form.errors:
            messages.info(request, "We did not recognise a filter you chose, so we cleared the filters.")
        by_id = {str(opportunity.pk): opportunity for opportunity in opportunities}
        queue = selectors.nomination_queue(
            user,
            state=values.get("state") or None,
            opportunity=by_id.get(values.get("opportunity") or ""),
            sort=values.get("sort") or "longest_waiting",
        )
        page = Paginator(queue, NOMINATIONS_PER_PAGE).get_page(request.GET.get("page"))
        today = timezone.localdate()
        rows = [{"nomination": n, "days_waiting": selectors.days_waiting(n, today)} for n in page]
        return super().get_context_data(filter_form=form, page=page, rows=rows, **kwargs)


class ReviewNominationView(PermissionRequiredMixin, TemplateView):
    """One nomination for the deciding admin: the nominee's evidence (application and consented summary) first, then
    one decision form, checked on a confirmation page before it applies. Each view is written to the audit trail
    (who looked at whose profile, when)."""

    permission_required = Permission.DECIDE_NOMINATION
    template_name = "talent/nominations/review.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.has_permission():
            self.nomination = selectors.nomination_for(request.user, kwargs["nomination_id"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        audit_record(
            actor=request.user,
            action="nomination.nominee_viewed",
            subject=self.nomination,
            detail={"profile": str(self.nomination.profile_id)},
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        nomination = self.nomination
        summary = selectors.nominee_summary(self.request.user, nomination)
        ratings = []
        if summary.assessment is not None:
            by_dimension = {rating.dimension: rating for rating in summary.assessment.ratings.all()}
            ratings = [{"dimension": d.label, "rating": by_dimension.get(d.value)} for d in Dimension]
        kwargs.setdefault("decision_form", DecisionForm())
        may_record_outcome = nomination.state == NominationState.APPROVED and service.may_record_outcome(
            self.request.user, nomination
        )
        if may_record_outcome:
            initial = {"outcome": nomination.outcome, "date": nomination.outcome_on, "note": nomination.outcome_note}
            kwargs.setdefault("outcome_form", OutcomeForm(initial=initial if nomination.outcome else None))
        actions = service.allowed_actions(self.request.user, nomination)
        return super().get_context_data(
            nomination=nomination,
            summary=summary,
            ratings=ratings,
            may_record_outcome=may_record_outcome,
            actions=actions,
            places_taken=selectors.places_taken(nomination.opportunity) if service.APPROVE in actions else None,
            days_waiting=selectors.days_waiting(nomination),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        action = request.POST.get("action")
        if action == OUTCOME:
            return self.record_outcome(request)
        if action == service.WITHDRAW:
            return self.act(request, service.WITHDRAW)
        if action not in (DECIDE, CHANGE, service.APPROVE, service.REJECT):
            raise BadRequest("No such action on a nomination.")
        data = request.POST.copy()
        if action in (service.APPROVE, service.REJECT):
            data["decision"] = action  # the confirmation step posts the decision as its action
        if action == CHANGE:
            # Back from the confirmation step to the form, with what was typed and no errors yet.
            initial = {name: data.get(name, "") for name in ("decision", "note", "reason")}
            return self.render_to_response(self.get_context_data(decision_form=DecisionForm(initial=initial)))
        form = DecisionForm(data)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, decision_form=form))
        values = form.cleaned_data
        if action == DECIDE:
            return self.confirm(request, values)
        return self.act(request, values["decision"], form=form, note=values["note"], reason=values["reason"])

    def confirm(self, request: HttpRequest, values: dict) -> HttpResponse:
        """The confirmation step: the decision as it will be sent, before anything changes."""
        if values["decision"] not in service.allowed_actions(request.user, self.nomination):
            # Decided, or taken back, since the page was opened: say what happened over the page as it now is.
            return self.act(request, values["decision"], note=values["note"], reason=values["reason"])
        opportunity = self.nomination.opportunity
        return render(
            request,
            "talent/nominations/review_confirm.html",
            {
                "nomination": self.nomination,
                "decision": values["decision"],
                "note": values["note"],
                "reason": values["reason"],
                "places_taken": selectors.places_taken(opportunity),
            },
        )

    def act(
        self, request: HttpRequest, action: str, *, form: DecisionForm | None = None, note: str = "", reason: str = ""
    ) -> HttpResponse:
        """Apply the decision (or the withdrawal); a conflict is said over the page as it now is."""
        review = redirect("talent:review_nomination", nomination_id=self.nomination.pk)
        try:
            service.nomination_act(
                user=request.user, nomination=self.nomination, action=action, reason=reason, note=note
            )
        except DomainError as error:
            if form is not None and error.field in form.fields:
                form.add_error(error.field, error.message)
                return self.render_to_response(self.get_context_data(form=form, decision_form=form))
            # Someone else acted first (or the places are taken).
            messages.error(request, error.message)
        except PermissionDenied:
            messages.error(request, "You cannot do that to this nomination.")
        else:
            messages.success(request, ACTION_DONE[action])
        return review

    def record_outcome(self, request: HttpRequest) -> HttpResponse:
        """What became of the approved nomination: recorded, or corrected, by an admin of its body."""
        form = OutcomeForm(request.POST)
        if form.is_valid():
            recorded = bool(self.nomination.outcome)
            try:
                service.nomination_outcome_record(
                    user=request.user,
                    nomination=self.nomination,
                    outcome=form.cleaned_data["outcome"],
                    on=form.cleaned_data["date"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as error:
                if error.field not in form.fields:
                    messages.error(request, error.message)
                    return redirect("talent:review_nomination", nomination_id=self.nomination.pk)
                form.add_error(error.field, error.message)
            except PermissionDenied:
                messages.error(request, "You cannot record what became of this nomination.")
                return redirect("talent:review_nomination", nomination_id=self.nomination.pk)
            else:
                messages.success(request, "Outcome corrected." if recorded else "Outcome recorded.")
                return redirect("talent:review_nomination", nomination_id=self.nomination.pk)
        return self.render_to_response(self.get_context_data(form=form, outcome_form=form))


class NominateClinicianView(PermissionRequiredMixin, TemplateView):
    """Nominate a consenting clinician of the admin's body in two steps: choose the clinician, then one of the open
    opportunities they are eligible for, with why each other open one is not offered (query parameters preselect)."""

    permission_required = Permission.NOMINATE_CLINICIAN
    template_name = "talent/nominations/create.html"

    def _clinicians(self, wanted: str) -> tuple[list[ClinicianProfile], ClinicianProfile | None]:
        """The clinicians to offer, and the one asked for if the admin may nominate them."""
        visible = selectors.clinicians_visible_to(self.request.user)
        clinicians = list(visible.order_by("full_name", "user_id")[:NOMINATE_CHOICES_LIMIT])
        chosen = next((profile for profile in clinicians if str(profile.pk) == wanted), None)
        if chosen is None and wanted:
            # The clinician named by "Nominate" on their record (or posted) is offered even beyond the limit.
            with contextlib.suppress(ValueError):  # not an id at all: nobody is chosen
                chosen = visible.filter(pk=uuid.UUID(wanted)).first()
            if chosen is not None:
                clinicians.append(chosen)
        return clinicians, chosen

    def _page(self, data=None) -> dict:
        source = self.request.GET if data is None else data
        clinicians, chosen = self._clinicians(source.get("clinician", ""))
        if chosen is None:
            bound = data is not None or "clinician" in source  # "Continue" pressed, with or without a choice
            form = ChooseClinicianForm(source if bound else None, clinicians=clinicians)
            form.is_valid()  # a bound form shows why nobody was chosen
            return {"form": form, "chosen": None}
        choices = selectors.nomination_choices(profile=chosen)
        initial = {"clinician": str(chosen.pk), "opportunity": self.request.GET.get("opportunity", "")}
        form = NominateForm(data, initial=initial, clinicians=clinicians, opportunities=choices.offered)
        return {"form": form, "chosen": chosen, "choices": choices}

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs.update(self._page())
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        page = self._page(request.POST)
        form, profile = page["form"], page["chosen"]
        if profile is not None and form.is_valid():
            wanted = form.cleaned_data["opportunity"]
            opportunity = next((o for o in page["choices"].offered if str(o.pk) == wanted), None)
            try:
                nomination = service.nomination_nominate(
                    user=request.user,
                    profile=profile,
                    opportunity=opportunity,
                    supporting_statement=form.cleaned_data["supporting_statement"],
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, f"{profile.user.full_name} has been nominated. They will be asked to accept.")
                return HttpResponseRedirect(
                    reverse("talent:review_nomination", kwargs={"nomination_id": nomination.pk})
                )
        return self.render_to_response(self.get_context_data(**page))


urlpatterns: list = [
    path("your-nominations/", ListMyNominationsView.as_view(), name="list_my_nominations"),
    path("your-nominations/<uuid:nomination_id>/", ShowMyNominationView.as_view(), name="show_my_nomination"),
    path("opportunities/<slug:slug>/apply/", ApplyForOpportunityView.as_view(), name="apply_for_opportunity"),
    path("nominations/", ListNominationsView.as_view(), name="list_nominations"),
    path("nominations/new/", NominateClinicianView.as_view(), name="nominate_clinician"),
    path("nominations/<uuid:nomination_id>/", ReviewNominationView.as_view(), name="review_nomination"),
]
