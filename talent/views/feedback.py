"""360 feedback pages: the clinician's rounds (start, progress as counts per group, close early, the report and
sharing it), the rater's form reached by a signed link without an account, and a shared report for the admins of
the clinician's training body. What the report may show is decided in talent.selectors.feedback."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from accounts.audit import audit_record
from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from config.errors import DomainError
from talent import selectors, services
from talent.charts import Layout, Series, grouped_bar_chart
from talent.forms.feedback import RaterAnswerForm, ShareReportForm, StartFeedbackRoundForm
from talent.models import FEEDBACK_MAX_OPEN_ROUNDS, FeedbackRound, Rating
from talent.selectors.feedback import (
    ANONYMITY_THRESHOLD,
    LINK_CLOSED,
    LINK_INVALID,
    LINK_SUBMITTED,
    FeedbackReport,
)
from talent.views.mixins import ClinicianProfileRequiredMixin

CHART_LAYOUT = Layout(
    width=440, value_label_width=110, labels_above=True, font_size=19, small_font_size=19, bar_height=20
)
# The pages a link that opens no form shows, and their status: a changed or unknown link does not exist (404);
# a closed round's link is gone for good (410); a used link says so plainly.
LINK_PROBLEM_STATUS = {LINK_INVALID: 404, LINK_CLOSED: 410, LINK_SUBMITTED: 200}


class FeedbackMixin(ClinicianProfileRequiredMixin):
    permission_required = Permission.REQUEST_FEEDBACK

    def prepare(self, **kwargs) -> None:
        if "round_id" in kwargs:
            self.feedback_round = selectors.own_feedback_round(self.profile, kwargs["round_id"])


class ListFeedbackRoundsView(FeedbackMixin, TemplateView):
    """The clinician's rounds, newest first, each with how many have answered."""

    template_name = "talent/feedback/list.html"

    def get_context_data(self, **kwargs):
        rounds = list(selectors.own_feedback_rounds(self.profile))
        return super().get_context_data(
            rounds=rounds,
            may_start=selectors.open_round_count(self.profile) < FEEDBACK_MAX_OPEN_ROUNDS,
            max_open=FEEDBACK_MAX_OPEN_ROUNDS,
            **kwargs,
        )


class StartFeedbackRoundView(FeedbackMixin, FormView):
    template_name = "talent/feedback/start.html"
    form_class = StartFeedbackRoundForm

    def form_valid(self, form):
        try:
            feedback_round = services.feedback_round_start(
                profile=self.profile, closes_on=form.cleaned_data["closes_on"], raters=form.invites()
            )
        except DomainError as error:
            form.add_error("closes_on" if error.field == "closes_on" else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, f"Feedback requested from {feedback_round.raters.count()} people")
        return redirect("talent:show_feedback_round", round_id=feedback_round.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            open_rounds=selectors.open_round_count(self.profile), max_open=FEEDBACK_MAX_OPEN_ROUNDS, **kwargs
        )


class ShowFeedbackRoundView(FeedbackMixin, TemplateView):
    """A round: when it closes, how many in each group have answered (never who), and what can be done with it."""

    template_name = "talent/feedback/detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            feedback_round=self.feedback_round,
            progress=selectors.feedback_progress(self.feedback_round),
            is_open=self.feedback_round.is_open(),
            threshold=ANONYMITY_THRESHOLD,
            **kwargs,
        )


class CloseFeedbackRoundView(FeedbackMixin, View):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            services.feedback_round_close(profile=self.profile, feedback_round=self.feedback_round)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Feedback round closed. Nobody can answer it any more")
        return redirect("talent:show_feedback_round", round_id=self.feedback_round.pk)


class ShareFeedbackReportView(FeedbackMixin, View):
    """Share the report with the clinician's training body, or stop sharing it."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = ShareReportForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose whether to share your report")
            return redirect("talent:show_feedback_report", round_id=self.feedback_round.pk)
        share = form.cleaned_data["share"]
        try:
            shared = services.feedback_report_share(
                profile=self.profile, feedback_round=self.feedback_round, share=share
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"Your report is shared with {shared.shared_with.name}"
                if share
                else "Your report is no longer shared with your training body",
            )
        return redirect("talent:show_feedback_report", round_id=self.feedback_round.pk)


def report_chart(report: FeedbackReport):
    rows = [row for row in report.rows if row.self_rating is not None or row.others is not None]
    return grouped_bar_chart(
        chart_id="feedback-chart",
        title="Your self-assessment compared with how others rated you",
        description=(
            f"Horizontal bar chart for each of the {len(rows)} dimensions, from Essential (1) to Exemplary (4). "
            "For each dimension the solid blue bar is your own latest self-assessment and the grey striped bar "
            "below it is the average of the ratings others gave you. The table on this page gives the same figures."
        ),
        categories=[row.label for row in rows],
        series=[
            Series("You", [row.self_rating for row in rows], style="solid"),
            Series("Others", [row.others for row in rows], style="hatched"),
        ],
        max_value=len(Rating.values),
        ticks=[(level, Rating(level).label) for level in Rating.values],
        layout=CHART_LAYOUT,
    )


def _report_context(feedback_round: FeedbackRound) -> dict:
    report = selectors.feedback_report(feedback_round)
    return {
        "feedback_round": feedback_round,
        "report": report,
        "chart": report_chart(report) if report.available else None,
        "threshold": ANONYMITY_THRESHOLD,
    }


class ShowFeedbackReportView(FeedbackMixin, TemplateView):
    template_name = "talent/feedback/report.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **_report_context(self.feedback_round), profile=self.profile, share_form=ShareReportForm(), **kwargs
        )


class ShowSharedFeedbackReportView(PermissionRequiredMixin, TemplateView):
    """A report a clinician shared with their training body, for that body's admins; each view is audited."""

    permission_required = Permission.VIEW_SHARED_FEEDBACK
    template_name = "talent/feedback/shared_report.html"

    def get_context_data(self, **kwargs):
        feedback_round = selectors.shared_feedback_round_for(self.request.user, kwargs["round_id"])
        audit_record(actor=self.request.user, action="feedback.shared_report_viewed", subject=feedback_round)
        return super().get_context_data(**_report_context(feedback_round), clinician=feedback_round.profile, **kwargs)


# Raters are not signed in, so the service-wide no-store rule for signed-in people does not reach their answers.
@method_decorator(never_cache, name="dispatch")
class RateColleagueView(View):
    """A rater's form, opened from their emailed link without an account. Save a draft as often as they like;
    submit once. A link that no longer opens the form (changed, closed, already used) says why, never a 500, and
    never names the clinician's other raters."""

    template_name = "talent/feedback/rate.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.link = selectors.rater_for_link(kwargs["token"])
        if self.link.problem:
            return self._problem(self.link.problem)
        return super().dispatch(request, *args, **kwargs)

    def _problem(self, problem: str) -> HttpResponse:
        return render(
            self.request,
            "talent/feedback/link_problem.html",
            {"problem": problem, "rater": self.link.rater},
            status=LINK_PROBLEM_STATUS[problem],
        )

    def _form(self, data=None) -> RaterAnswerForm:
        return RaterAnswerForm(
            data,
            initial=RaterAnswerForm.initial_from(self.link.answer),
            clinician_name=self.link.rater.round.profile.user.full_name,
        )

    def _render(self, form: RaterAnswerForm, status: int = 200) -> HttpResponse:
        rater = self.link.rater
        return render(
            self.request,
            self.template_name,
            {"form": form, "rater": rater, "clinician": rater.round.profile.user, "feedback_round": rater.round},
            status=status,
        )

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        services.rater_link_opened(rater=self.link.rater)
        return self._render(self._form())

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = self._form(request.POST)
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            try:
                services.feedback_answer_save(
                    rater=self.link.rater,
                    ratings=form.ratings(),
                    does_well=form.cleaned_data["does_well"],
                    could_do_more_of=form.cleaned_data["could_do_more_of"],
                    submit=submit,
                )
            except DomainError as error:
                if error.conflict:
                    # Submitted meanwhile (another tab) or closed meanwhile: the link's page says which.
                    return self._problem(selectors.rater_for_link(kwargs["token"]).problem or LINK_SUBMITTED)
                form.add_error(None, error.message)
            else:
                if submit:
                    return render(request, "talent/feedback/thanks.html", {"rater": self.link.rater})
                messages.success(request, "Draft saved. Use the link in your email to come back to it")
                return redirect(request.path)
        return self._render(form)


urlpatterns = [
    path("my/feedback/", ListFeedbackRoundsView.as_view(), name="list_feedback_rounds"),
    path("my/feedback/new/", StartFeedbackRoundView.as_view(), name="start_feedback_round"),
    path("my/feedback/<uuid:round_id>/", ShowFeedbackRoundView.as_view(), name="show_feedback_round"),
    path("my/feedback/<uuid:round_id>/close/", CloseFeedbackRoundView.as_view(), name="close_feedback_round"),
    path("my/feedback/<uuid:round_id>/report/", ShowFeedbackReportView.as_view(), name="show_feedback_report"),
    path("my/feedback/<uuid:round_id>/share/", ShareFeedbackReportView.as_view(), name="share_feedback_report"),
    path(
        "feedback/shared/<uuid:round_id>/", ShowSharedFeedbackReportView.as_view(), name="show_shared_feedback_report"
    ),
    path("feedback/rate/<str:token>/", RateColleagueView.as_view(), name="rate_colleague"),
]
