"""Mentoring pages: a clinician in a leadership role offers to mentor; any clinician finds a mentor among the offers
that fit them, asks, and follows the request; the mentor accepts or declines; either ends it. Reads through
talent.selectors (404 outside the two people of a request), writes through talent.services.mentoring."""

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.generic import TemplateView

from accounts.permissions import Permission
from config.errors import DomainError
from talent import selectors
from talent.forms.mentoring import OfferForm, ReplyForm, RequestForm
from talent.models import MentoringStatus
from talent.services import mentoring as service
from talent.views.mixins import ClinicianProfileRequiredMixin

ACTION_DONE = {
    service.ACCEPT: "You accepted. You can now see each other's contact details.",
    service.DECLINE: "You declined the request. They have been told.",
    service.WITHDRAW: "You withdrew your request.",
    service.END: "The mentoring has ended. The other person has been told.",
}


def _show_error(form: forms.Form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


class MentoringMixin(ClinicianProfileRequiredMixin):
    permission_required = Permission.USE_MENTORING


class ShowMyMentoringView(MentoringMixin, TemplateView):
    """Mentors and mentees, requests made and received, and the clinician's own offer."""

    template_name = "talent/mentoring/show.html"

    def get_context_data(self, **kwargs):
        requests = list(selectors.mentoring_requests_of(self.request.user))
        as_mentee = [r for r in requests if r.mentee_id == self.profile.pk]
        as_mentor = [r for r in requests if r.mentor_id == self.profile.pk]
        return super().get_context_data(
            mentors=[r for r in as_mentee if r.status == MentoringStatus.ACCEPTED],
            mentees=[r for r in as_mentor if r.status == MentoringStatus.ACCEPTED],
            waiting_for_you=[r for r in as_mentor if r.status == MentoringStatus.PENDING],
            your_requests=[r for r in as_mentee if r.status != MentoringStatus.ACCEPTED],
            past_mentees=[r for r in as_mentor if r.status not in (MentoringStatus.ACCEPTED, MentoringStatus.PENDING)],
            offer=selectors.own_offer(self.profile),
            leadership_role=selectors.mentoring_role_of(self.profile),
            **kwargs,
        )


class EditMentoringOfferView(MentoringMixin, TemplateView):
    template_name = "talent/mentoring/offer_form.html"

    def prepare(self, **kwargs) -> None:
        self.offer = selectors.own_offer(self.profile)
        self.leadership_role = selectors.mentoring_role_of(self.profile)

    def form(self, data=None) -> OfferForm:
        offer = self.offer
        initial = {"is_open": "yes", "capacity": 2}
        if offer is not None:
            initial = {
                "capacity": offer.capacity,
                "professions": offer.professions,
                "regions": list(offer.regions.all()),
                "dimensions": offer.dimensions,
                "target_roles": list(offer.target_roles.all()),
                "about": offer.about,
                "is_open": "yes" if offer.is_open else "no",
            }
        return OfferForm(data, initial=initial)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        return super().get_context_data(
            offer=self.offer, leadership_role=self.leadership_role, not_a_leader=service.NOT_A_LEADER, **kwargs
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                service.mentoring_offer_save(
                    profile=self.profile,
                    capacity=data["capacity"],
                    professions=data["professions"],
                    regions=list(data["regions"]),
                    dimensions=data["dimensions"],
                    target_roles=list(data["target_roles"]),
                    about=data["about"],
                    is_open=data["is_open"],
                )
            except DomainError as error:
                _show_error(form, error)
            else:
                messages.success(request, "Your mentoring offer is saved.")
                return redirect("talent:show_my_mentoring")
        return self.render_to_response(self.get_context_data(form=form))


class FindMentorView(MentoringMixin, TemplateView):
    """Up to five offers that fit the clinician best, each with why."""

    template_name = "talent/mentoring/find.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(suggestions=selectors.mentor_suggestions(self.profile), **kwargs)


class AskMentorView(MentoringMixin, TemplateView):
    template_name = "talent/mentoring/ask.html"

    def prepare(self, **kwargs) -> None:
        self.offer = selectors.offer_to_ask(self.profile, kwargs["offer_id"])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", RequestForm())
        return super().get_context_data(
            offer=self.offer, leadership_role=selectors.mentoring_role_of(self.offer.mentor), **kwargs
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = RequestForm(request.POST)
        if form.is_valid():
            try:
                mentoring = service.mentoring_request_make(
                    mentee=self.profile, offer=self.offer, message=form.cleaned_data["message"]
                )
            except DomainError as error:
                _show_error(form, error)
            else:
                messages.success(
                    request, f"Request sent to {self.offer.mentor.user.full_name}. We will email you when they answer."
                )
                return redirect("talent:show_mentoring_request", request_id=mentoring.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ShowMentoringRequestView(MentoringMixin, TemplateView):
    """One request, for its two people only; email addresses once the mentor has accepted."""

    template_name = "talent/mentoring/request.html"

    def prepare(self, **kwargs) -> None:
        self.mentoring = selectors.mentoring_request_for(self.request.user, kwargs["request_id"])

    def get_context_data(self, **kwargs):
        mentoring = self.mentoring
        is_mentor = mentoring.mentor_id == self.profile.pk
        kwargs.setdefault("form", ReplyForm())
        return super().get_context_data(
            mentoring=mentoring,
            is_mentor=is_mentor,
            other=mentoring.mentee if is_mentor else mentoring.mentor,
            show_contact=mentoring.status == MentoringStatus.ACCEPTED,
            actions=service.allowed_actions(self.request.user, mentoring),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        action = request.POST.get("action")
        if action not in service.ACTIONS:
            raise BadRequest("No such action on a mentoring request.")
        form = ReplyForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            service.mentoring_request_act(
                user=request.user, request=self.mentoring, action=action, reply=form.cleaned_data["reply"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, ACTION_DONE[action])
        return redirect("talent:show_mentoring_request", request_id=self.mentoring.pk)


urlpatterns: list = [
    path("my/mentoring/", ShowMyMentoringView.as_view(), name="show_my_mentoring"),
    path("my/mentoring/offer/", EditMentoringOfferView.as_view(), name="edit_mentoring_offer"),
    path("my/mentoring/find/", FindMentorView.as_view(), name="find_mentor"),
    path("my/mentoring/find/<uuid:offer_id>/", AskMentorView.as_view(), name="ask_mentor"),
    path("my/mentoring/requests/<uuid:request_id>/", ShowMentoringRequestView.as_view(), name="show_mentoring_request"),
]
