"""Onboarding and profile editing: one question a page (NHS.UK question pages), then "Check your answers".

A clinician without a profile answers the pages in order; answers are kept in an onboarding draft (in the database,
so signing out loses nothing, and their home brings them back to the page they left) and the profile is created only
when they confirm on the check-answers page. A clinician with a profile uses the same pages to change it: each page
saves straight away (through ``profile_update``), unless the change makes another answer no longer fit (a new
profession needs a new registration number, say), in which case the pending answers wait in the session until the
pages that depend on them are answered too.

What a clinician who already has a profile gets from the onboarding-only pages: the start page and the check-answers
page redirect (302) to "Your profile"; the question pages open in "change" mode.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import FormView, TemplateView

from accounts.models import Region
from config.errors import DomainError
from regulators.models import Profession
from talent import selectors, services
from talent.forms.onboarding import (
    FIELD_STEPS,
    STEP_NAMES,
    STEPS,
    QuestionForm,
    answers_from_profile,
    first_unanswered_step,
    profile_details_from,
    training_body_of,
)
from talent.models import CareerStage, ConsentRecipient
from talent.views.mixins import ClinicianMixin

CHANGE_SESSION_KEY = "profile_change_answers"


# The draft's step for the check-your-answers page.
CHECK_STEP = "check"


def step_url(step: str, **params: str) -> str:
    if step == CHECK_STEP:
        return reverse("talent:check_onboarding_answers")
    url = reverse(f"talent:answer_onboarding_{step}")
    return f"{url}?{urlencode(params)}" if params else url


def onboarding_resume_url(user) -> str | None:
    """Where a clinician who has started onboarding but not confirmed it left off (None if they have not started)."""
    draft = selectors.onboarding_draft_of(user)
    if draft is None or (draft.step != CHECK_STEP and draft.step not in STEP_NAMES):
        return None
    return step_url(draft.step)


def step_title(step: str) -> str:
    """A question page's heading as the end of a sentence ("Back to your profession")."""
    title = STEPS[STEP_NAMES.index(step)][2]
    return title[0].lower() + title[1:]


def _yes_no_text(value: bool | None) -> str:
    return "Yes" if value else "No"


def summary_rows(
    answers: dict, *, change_url, regulator=None, region=None, training_body=None, training_body_note: str = ""
) -> list[dict]:
    """The answers as summary-list rows; ``change_url(step)`` gives each row's Change link (None for no link).
    ``training_body_note`` says whether the body has confirmed the clinician yet."""
    profession = answers["profession"]
    regulator = regulator or services.regulator_for_profession(profession)
    region = region or Region.objects.get(pk=answers["region"])
    if "training_body" in answers and training_body is None:
        training_body = training_body_of(answers)
    stage = CareerStage(answers["career_stage"])
    stage_text = stage.label
    if stage == CareerStage.SPECIALTY_TRAINING and answers.get("specialty_training_year"):
        stage_text = f"{stage.label} (ST{answers['specialty_training_year']})"
    employer = [answers.get("employer_name") or "Not given"]
    if answers.get("employer_ods_code"):
        employer.append(f"ODS code {answers['employer_ods_code']}")
    rows = [
        ("Profession", [Profession(profession).label], "profession", "profession"),
        ("Regulator", [f"{regulator.name} ({regulator.code})"], None, "regulator"),
        ("Registration number", [answers["registration_number"]], "registration", "registration_number"),
        ("Year of first registration", [str(answers["first_registration_year"])], "registration", None),
        ("Career stage", [stage_text], "career", "career_stage"),
        ("Specialty or field", [answers.get("specialty") or "Not given"], "career", "specialty"),
        ("Employer", employer, "employer", "employer_name"),
        ("NHS England region", [region.name], "employer", "region"),
        (
            "Training body",
            [training_body.name if training_body else "None", *([training_body_note] if training_body else [])],
            "training_body",
            "training_body",
        ),
    ]
    if training_body:
        rows.append(
            (
                f"Share with {training_body.name}",
                [_yes_no_text(answers.get("shares_with_training_body"))],
                "consents",
                "shares_with_training_body",
            )
        )
    rows.append(("Share with HEE", [_yes_no_text(answers.get("shares_with_hee"))], "consents", "shares_with_hee"))
    return [
        {
            "key": key,
            "lines": lines,
            "change_url": change_url(step) if step else None,
            "field": field,
        }
        for key, lines, step, field in rows
    ]


class StartOnboardingView(ClinicianMixin, TemplateView):
    """What we will ask and why. A clinician who already has a profile goes to "Your profile"."""

    template_name = "talent/onboarding/start.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.profile is not None:
            return redirect("talent:show_profile")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        resume_url = onboarding_resume_url(self.request.user)
        return super().get_context_data(
            first_step_url=resume_url or step_url(STEP_NAMES[0]), resuming=bool(resume_url), **kwargs
        )


class AnswerOnboardingQuestionView(ClinicianMixin, FormView):
    """One question page, for onboarding (no profile yet) or for changing the profile (``is_changing``)."""

    template_name = "talent/onboarding/question.html"
    step: str = ""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        _, self.form_class, self.title = STEPS[STEP_NAMES.index(self.step)]
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.answer_earlier_pages_first() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.answer_earlier_pages_first() or super().post(request, *args, **kwargs)

    @property
    def is_changing(self) -> bool:
        return self.profile is not None

    @property
    def is_pending(self) -> bool:
        """Changing a profile, and earlier changes wait for this page's answer before they can be saved."""
        return self.is_changing and bool(self.request.GET.get("continue"))

    @property
    def returns_to_check(self) -> bool:
        return not self.is_changing and bool(self.request.GET.get("change"))

    def get_answers(self) -> dict:
        if not hasattr(self, "_answers"):
            session = self.request.session
            if not self.is_changing:
                draft = selectors.onboarding_draft_of(self.request.user)
                answers = draft.answers if draft is not None else {}
            elif self.is_pending and CHANGE_SESSION_KEY in session:
                answers = session[CHANGE_SESSION_KEY]
            else:
                answers = answers_from_profile(self.profile)
            self._answers = dict(answers)
        return self._answers

    def answer_earlier_pages_first(self) -> HttpResponse | None:
        """Pages are answered in order: one that depends on an unanswered earlier page sends the clinician there."""
        first = first_unanswered_step(self.get_answers())
        if first is not None and STEP_NAMES.index(first) < STEP_NAMES.index(self.step):
            return redirect(step_url(first, **self.carried_params()))
        return None

    def carried_params(self) -> dict:
        if self.is_pending:
            return {"continue": "1"}
        if self.returns_to_check:
            return {"change": "1"}
        return {}

    def get_form_kwargs(self) -> dict:
        kwargs = {**super().get_form_kwargs(), "answers": self.get_answers()}
        if self.step == "consents":
            kwargs["training_body"] = training_body_of(self.get_answers())
        return kwargs

    def back_url(self) -> str:
        if self.is_changing:
            return reverse("talent:show_profile")
        index = STEP_NAMES.index(self.step)
        if self.returns_to_check:
            if first_unanswered_step(self.get_answers()) is None:
                return reverse("talent:check_onboarding_answers")
            # A change made this page unanswered (a new profession needs a new number): check-your-answers would
            # only send the clinician back here, so Back goes to the page they just changed.
            return step_url(STEP_NAMES[index - 1], change="1") if index else reverse("talent:start_onboarding")
        return step_url(STEP_NAMES[index - 1]) if index else reverse("talent:start_onboarding")

    def back_label(self) -> str:
        """Where ``back_url`` goes, in the words of that page's heading."""
        if self.is_changing:
            return "your profile"
        index = STEP_NAMES.index(self.step)
        if self.returns_to_check and first_unanswered_step(self.get_answers()) is None:
            return "check your answers"
        return step_title(STEP_NAMES[index - 1]) if index else "“Tell us about yourself”"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(
            title=self.title,
            step=self.step,
            caption="Your profile" if self.is_changing else "About you",
            back_url=self.back_url(),
            back_label=self.back_label(),
            is_changing=self.is_changing,
            is_pending=self.is_pending,
            button_label="Save" if self.is_changing else "Continue",
            regulator=getattr(form, "regulator", None),
            training_body=training_body_of(self.get_answers()) if self.step == "consents" else None,
        )
        return context

    def form_valid(self, form: QuestionForm) -> HttpResponse:
        answers = {**self.get_answers(), **form.answers_from()}
        unanswered = first_unanswered_step(answers)
        session = self.request.session
        if not self.is_changing:
            if self.returns_to_check:
                next_step, params = (unanswered, {"change": "1"}) if unanswered else (CHECK_STEP, {})
            else:
                index = STEP_NAMES.index(self.step)
                next_step, params = (STEP_NAMES[index + 1] if index + 1 < len(STEP_NAMES) else CHECK_STEP), {}
            services.onboarding_draft_save(user=self.request.user, answers=answers, step=next_step)
            return redirect(step_url(next_step, **params))
        if unanswered is not None:
            session[CHANGE_SESSION_KEY] = answers
            return redirect(step_url(unanswered, **{"continue": "1"}))
        try:
            services.profile_update(profile=self.profile, details=profile_details_from(answers))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        session.pop(CHANGE_SESSION_KEY, None)
        messages.success(self.request, "Your profile has been updated.")
        return redirect("talent:show_profile")


class CheckOnboardingAnswersView(ClinicianMixin, TemplateView):
    """Check your answers, then confirm: only now is the profile created."""

    template_name = "talent/onboarding/check.html"

    answers: dict

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.redirect_if_not_ready() or super().get(request, *args, **kwargs)

    def redirect_if_not_ready(self) -> HttpResponse | None:
        if self.profile is not None:
            return redirect("talent:show_profile")
        draft = selectors.onboarding_draft_of(self.request.user)
        self.answers = dict(draft.answers) if draft is not None else {}
        unanswered = first_unanswered_step(self.answers)
        if unanswered is not None:
            return redirect(step_url(unanswered))
        return None

    def get_context_data(self, error: DomainError | None = None, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = summary_rows(
            self.answers,
            change_url=lambda step: step_url(step, change="1"),
            training_body_note="Its admins will be asked to confirm that you are one of theirs.",
        )
        confirm_error = None
        if error is not None:
            step = FIELD_STEPS.get(error.field or "")
            confirm_error = {
                "message": error.message,
                "url": step_url(step, change="1") if step else None,
                "field": error.field,
            }
            for row in rows:
                if row["field"] == error.field:
                    row["error"] = error.message
        context.update(
            rows=rows,
            confirm_error=confirm_error,
            back_url=step_url(STEP_NAMES[-1]),
            back_label=step_title(STEP_NAMES[-1]),
        )
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        not_ready = self.redirect_if_not_ready()
        if not_ready is not None:
            return not_ready
        try:
            services.profile_create(user=request.user, details=profile_details_from(self.answers))
        except DomainError as error:
            return self.render_to_response(self.get_context_data(error=error))
        messages.success(request, "Your profile is saved. Thank you for telling us about yourself.")
        return redirect("talent:show_clinician_home")


class ShowProfileView(ClinicianMixin, TemplateView):
    """Your profile: every answer with a Change link to its question page, and your sharing choices over time."""

    template_name = "talent/onboarding/profile.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.profile is None:
            return redirect("talent:start_onboarding")
        # Coming back here abandons a change that was waiting for another answer; nothing of it was saved.
        request.session.pop(CHANGE_SESSION_KEY, None)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        profile = self.profile
        rows = summary_rows(
            answers_from_profile(profile),
            change_url=step_url,
            regulator=profile.regulator,
            region=profile.region,
            training_body=profile.chosen_training_body,
            training_body_note=(
                "Waiting for its admins to confirm you, since "
                + date_format(timezone.localtime(profile.training_body_requested_at), "j F Y")
                if profile.training_body_waiting
                else "Confirmed"
            ),
        )
        consent_events = [
            {
                "created_at": event.created_at,
                "recipient": ("Your training body" if event.recipient == ConsentRecipient.TRAINING_BODY else "HEE"),
                "granted": event.granted,
            }
            for event in profile.consent_events.order_by("-created_at", "-pk")
        ]
        return super().get_context_data(profile=profile, rows=rows, consent_events=consent_events, **kwargs)


urlpatterns: list = [
    path("my/about-you/", StartOnboardingView.as_view(), name="start_onboarding"),
    *[
        path(
            f"my/about-you/{step.replace('_', '-')}/",
            AnswerOnboardingQuestionView.as_view(step=step),
            name=f"answer_onboarding_{step}",
        )
        for step in STEP_NAMES
    ],
    path("my/about-you/check-your-answers/", CheckOnboardingAnswersView.as_view(), name="check_onboarding_answers"),
    path("my/profile/", ShowProfileView.as_view(), name="show_profile"),
]
