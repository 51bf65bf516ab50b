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
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView

from accounts.audit import audit_record
from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from config.errors import DomainError
from pathways.selectors import eligibility_for, open_opportunities, opportunities_visible_to
from talent import selectors
from talent.forms.nominations import ApplyForm, ApproveForm, NominateForm, OutcomeForm, QueueFilterForm, RejectForm
from talent.models import Dimension, NominationState
from talent.services import nominations as service
from talent.views.mixins import ClinicianMixin, ClinicianProfileRequiredMixin

NOMINATIONS_PER_PAGE = 25
# The review page's form for what became of an approved nomination posts this action.
OUTCOME = "outcome"
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
    """One nomination for the deciding admin: the application, the nominee's consented summary, approve or reject.
    Each view is written to the audit trail (who looked at whose profile, when)."""

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
        kwargs.setdefault("approve_form", ApproveForm())
        kwargs.setdefault("reject_form", RejectForm())
        may_record_outcome = nomination.state == NominationState.APPROVED and service.may_record_outcome(
            self.request.user, nomination
        )
        if may_record_outcome:
            initial = {"outcome": nomination.outcome, "date": nomination.outcome_on, "note": nomination.outcome_note}
            kwargs.setdefault("outcome_form", OutcomeForm(initial=initial if nomination.outcome else None))
        return super().get_context_data(
            nomination=nomination,
            summary=summary,
            ratings=ratings,
            may_record_outcome=may_record_outcome,
            actions=service.allowed_actions(self.request.user, nomination),
            days_waiting=selectors.days_waiting(nomination),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        action = request.POST.get("action")
        if action == OUTCOME:
            return self.record_outcome(request)
        forms = {service.APPROVE: ApproveForm, service.REJECT: RejectForm, service.WITHDRAW: None}
        if action not in forms:
            raise BadRequest("No such action on a nomination.")
        form = forms[action](request.POST) if forms[action] else None
        if form is None or form.is_valid():
            values = form.cleaned_data if form else {}
            try:
                service.nomination_act(
                    user=request.user,
                    nomination=self.nomination,
                    action=action,
                    reason=values.get("reason", ""),
                    note=values.get("note", ""),
                )
            except DomainError as error:
                if form is not None and error.field in form.fields:
                    form.add_error(error.field, error.message)
                else:
                    # Someone else acted first (or the places are taken): say so over the page as it now is.
                    messages.error(request, error.message)
                    return redirect("talent:review_nomination", nomination_id=self.nomination.pk)
            except PermissionDenied:
                messages.error(request, "You cannot do that to this nomination.")
                return redirect("talent:review_nomination", nomination_id=self.nomination.pk)
            else:
                messages.success(request, ACTION_DONE[action])
                return redirect("talent:review_nomination", nomination_id=self.nomination.pk)
        context = {"form": form, f"{action}_form": form, "open_form": action}
        return self.render_to_response(self.get_context_data(**context))

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
    """Nominate a consenting clinician of the admin's body for an open opportunity (query parameters preselect)."""

    permission_required = Permission.NOMINATE_CLINICIAN
    template_name = "talent/nominations/create.html"

    def _form(self, data=None) -> NominateForm:
        user = self.request.user
        visible = selectors.clinicians_visible_to(user)
        clinicians = list(visible.order_by("full_name", "user_id")[:NOMINATE_CHOICES_LIMIT])
        # The clinician named by "Nominate" on their record (or posted) is offered even beyond the limit.
        wanted = (data or self.request.GET).get("clinician", "")
        if wanted not in {str(profile.pk) for profile in clinicians}:
            with contextlib.suppress(ValueError):  # not an id at all: the choices stay as they are
                clinicians += list(visible.filter(pk=uuid.UUID(wanted)))
        opportunities = open_opportunities().order_by("title")
        initial = {key: self.request.GET.get(key, "") for key in ("clinician", "opportunity")}
        return NominateForm(data, initial=initial, clinicians=clinicians, opportunities=opportunities)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self._form())
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = self._form(request.POST)
        if form.is_valid():
            profile = selectors.clinicians_visible_to(request.user).filter(pk=form.cleaned_data["clinician"]).first()
            opportunity = open_opportunities().filter(pk=form.cleaned_data["opportunity"]).first()
            try:
                if profile is None or opportunity is None:
                    raise DomainError("Choose a clinician and an open opportunity.")
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
        return self.render_to_response(self.get_context_data(form=form))


urlpatterns: list = [
    path("your-nominations/", ListMyNominationsView.as_view(), name="list_my_nominations"),
    path("your-nominations/<uuid:nomination_id>/", ShowMyNominationView.as_view(), name="show_my_nomination"),
    path("opportunities/<slug:slug>/apply/", ApplyForOpportunityView.as_view(), name="apply_for_opportunity"),
    path("nominations/", ListNominationsView.as_view(), name="list_nominations"),
    path("nominations/new/", NominateClinicianView.as_view(), name="nominate_clinician"),
    path("nominations/<uuid:nomination_id>/", ReviewNominationView.as_view(), name="review_nomination"),
]
