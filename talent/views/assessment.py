"""Self-assessment against the Healthcare Leadership Model: start, one page per dimension, check your answers, and
results compared with the previous assessment."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import FormView, TemplateView

from config.errors import DomainError
from pathways.selectors import development_for_dimensions
from talent import selectors, services
from talent.assessment_content import (
    DIMENSION_ORDER,
    DIMENSION_SUMMARIES,
    INDICATOR_QUESTIONS,
    LEVEL_DESCRIPTIONS,
    next_dimension,
)
from talent.charts import Layout, Series, grouped_bar_chart
from talent.forms.assessment import CompleteAssessmentForm, DimensionRatingForm
from talent.models import AssessmentStatus, ClinicianProfile, Dimension, Rating, SelfAssessment
from talent.views.mixins import ClinicianProfileRequiredMixin

CHANGE_PARAMETER = "change"
# "What next" on the results: the dimensions rated lowest, to develop first.
LOWEST_SHOWN = 3
# Drawn at its natural size (one unit a pixel) in half the page, with text no smaller than the body text's 19px.
CHART_LAYOUT = Layout(
    width=440, value_label_width=110, labels_above=True, font_size=19, small_font_size=19, bar_height=20
)


def _ratings_of(assessment: SelfAssessment | None) -> dict[str, int]:
    if assessment is None:
        return {}
    return {rating.dimension: rating.rating for rating in assessment.ratings.all()}


def _own_assessment(profile: ClinicianProfile, assessment_id, *, status: str) -> SelfAssessment:
    """One of this clinician's own assessments in the given state; 404 for anyone else's, so existence never leaks."""
    assessment = profile.self_assessments.filter(pk=assessment_id, status=status).prefetch_related("ratings").first()
    if assessment is None:
        raise Http404("No such self-assessment.")
    return assessment


class StartSelfAssessmentView(ClinicianProfileRequiredMixin, TemplateView):
    template_name = "talent/assessment/start.html"

    def get_context_data(self, **kwargs):
        draft = selectors.draft_assessment(self.profile)
        answered = _ratings_of(draft)
        first_unanswered = next((d for d in DIMENSION_ORDER if d not in answered), DIMENSION_ORDER[0])
        continue_url = (
            reverse("talent:check_self_assessment_answers")
            if draft is not None and len(answered) == len(DIMENSION_ORDER)
            else reverse("talent:answer_self_assessment_question", kwargs={"dimension": first_unanswered})
        )
        completed = selectors.completed_assessments(self.profile).prefetch_related(None)
        return super().get_context_data(
            draft=draft,
            answered_count=len(answered),
            dimension_count=len(DIMENSION_ORDER),
            continue_url=continue_url,
            completed=completed,
            dimensions=[(Dimension(d).label, DIMENSION_SUMMARIES[d]) for d in DIMENSION_ORDER],
            levels=[(Rating(level).label, LEVEL_DESCRIPTIONS[level]) for level in Rating.values],
            **kwargs,
        )


class AnswerSelfAssessmentQuestionView(ClinicianProfileRequiredMixin, FormView):
    """One dimension per page. "Save and continue" moves on; "Save and come back later" returns to the start."""

    template_name = "talent/assessment/question.html"
    form_class = DimensionRatingForm

    def prepare(self, **kwargs) -> None:
        if kwargs["dimension"] not in Dimension.values:
            raise Http404("No such dimension.")
        self.dimension = kwargs["dimension"]

    @property
    def changing(self) -> bool:
        return self.request.GET.get(CHANGE_PARAMETER) == "1"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "dimension": self.dimension}

    def get_initial(self):
        rating = _ratings_of(selectors.draft_assessment(self.profile)).get(self.dimension)
        return {"rating": rating} if rating else {}

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = self.get_form()
        later = request.POST.get("action") == "later"
        if later and form.is_blank:
            return redirect("talent:start_self_assessment")
        if not form.is_valid():
            return self.form_invalid(form)
        try:
            services.self_assessment_save(profile=self.profile, ratings={self.dimension: form.cleaned_data["rating"]})
        except DomainError as error:
            form.add_error("rating" if error.field is None else error.field, error.message)
            return self.form_invalid(form)
        if later:
            messages.success(request, "Your answers have been saved. You can continue your self-assessment later.")
            return redirect("talent:start_self_assessment")
        following = next_dimension(self.dimension)
        if self.changing or following is None:
            return redirect("talent:check_self_assessment_answers")
        return redirect("talent:answer_self_assessment_question", dimension=following)

    def get_context_data(self, **kwargs):
        position = DIMENSION_ORDER.index(self.dimension)
        previous = DIMENSION_ORDER[position - 1] if position else None
        if self.changing:
            back_url, back_label = reverse("talent:check_self_assessment_answers"), "check your answers"
        elif previous:
            back_url = reverse("talent:answer_self_assessment_question", kwargs={"dimension": previous})
            back_label = Dimension(previous).label
        else:
            back_url, back_label = reverse("talent:start_self_assessment"), "the leadership self-assessment"
        return super().get_context_data(
            dimension_label=Dimension(self.dimension).label,
            summary=DIMENSION_SUMMARIES[self.dimension],
            questions=INDICATOR_QUESTIONS[self.dimension],
            levels=[(Rating(level).label, LEVEL_DESCRIPTIONS[level]) for level in Rating.values],
            position=position + 1,
            dimension_count=len(DIMENSION_ORDER),
            back_url=back_url,
            back_label=back_label,
            **kwargs,
        )


class CheckSelfAssessmentAnswersView(ClinicianProfileRequiredMixin, TemplateView):
    """Check your answers, then complete the draft."""

    template_name = "talent/assessment/check.html"

    def _render(self, draft: SelfAssessment, form: CompleteAssessmentForm, status: int = 200) -> HttpResponse:
        ratings = _ratings_of(draft)
        rows = [
            {
                "label": Dimension(dimension).label,
                "rating": Rating(ratings[dimension]).label if dimension in ratings else None,
                "change_url": reverse("talent:answer_self_assessment_question", kwargs={"dimension": dimension})
                + f"?{CHANGE_PARAMETER}=1",
            }
            for dimension in DIMENSION_ORDER
        ]
        return self.render_to_response(self.get_context_data(draft=draft, rows=rows, form=form), status=status)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        draft = selectors.draft_assessment(self.profile)
        if draft is None:
            return redirect("talent:start_self_assessment")
        return self._render(draft, CompleteAssessmentForm(initial={"assessment_id": draft.pk}))

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = CompleteAssessmentForm(request.POST)
        if not form.is_valid():
            draft = selectors.draft_assessment(self.profile)
            if draft is None:
                return redirect("talent:start_self_assessment")
            return self._render(draft, CompleteAssessmentForm(initial={"assessment_id": draft.pk}))
        assessment_id = form.cleaned_data["assessment_id"]
        assessment = self.profile.self_assessments.filter(pk=assessment_id).prefetch_related("ratings").first()
        if assessment is None:
            raise Http404("No such self-assessment.")
        if assessment.status == AssessmentStatus.COMPLETED:  # a second press of the button
            return redirect("talent:show_self_assessment_results", assessment_id=assessment.pk)
        try:
            services.self_assessment_complete(assessment=assessment)
        except DomainError as error:
            form.add_error(None, error.message)
            assessment.refresh_from_db()
            return self._render(assessment, form, status=409 if error.conflict else 200)
        messages.success(request, "Your self-assessment is complete.")
        return redirect("talent:show_self_assessment_results", assessment_id=assessment.pk)


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j M Y")


@dataclass(frozen=True)
class ComparisonRow:
    label: str
    previous: int | None
    this: int

    @property
    def this_label(self) -> str:
        return Rating(self.this).label

    @property
    def previous_label(self) -> str | None:
        return Rating(self.previous).label if self.previous is not None else None

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.this - self.previous

    @property
    def change_label(self) -> str:
        change = self.change
        if change is None:
            return "Not applicable"
        if change == 0:
            return "No change"
        levels = "level" if abs(change) == 1 else "levels"
        return f"Up {change} {levels}" if change > 0 else f"Down {-change} {levels}"


class ShowSelfAssessmentResultsView(ClinicianProfileRequiredMixin, TemplateView):
    """A completed assessment compared with the one before it, as a chart and as a table."""

    template_name = "talent/assessment/results.html"

    def get_context_data(self, **kwargs):
        assessment = _own_assessment(self.profile, kwargs["assessment_id"], status=AssessmentStatus.COMPLETED)
        previous = (
            self.profile.self_assessments.filter(
                status=AssessmentStatus.COMPLETED, completed_at__lt=assessment.completed_at
            )
            .order_by("-completed_at")
            .prefetch_related("ratings")
            .first()
        )
        this_ratings, previous_ratings = _ratings_of(assessment), _ratings_of(previous)
        rows = [
            ComparisonRow(Dimension(d).label, previous_ratings.get(d), this_ratings[d])
            for d in DIMENSION_ORDER
            if d in this_ratings
        ]
        return super().get_context_data(
            assessment=assessment,
            previous=previous,
            rows=rows,
            chart=self._chart(assessment, previous, rows),
            what_next=self._what_next(this_ratings),
            **kwargs,
        )

    def _what_next(self, ratings: dict[str, int]) -> list[dict]:
        """The three dimensions rated lowest (in the model's order when tied), each with the pathway steps and
        opportunities that build it."""
        lowest = sorted(ratings, key=lambda code: (ratings[code], DIMENSION_ORDER.index(code)))[:LOWEST_SHOWN]
        found = development_for_dimensions(dimensions=lowest, profile=self.profile)
        return [
            {"label": Dimension(item.dimension).label, "rating": Rating(ratings[item.dimension]).label, "found": item}
            for item in found
        ]

    @staticmethod
    def _chart(assessment: SelfAssessment, previous: SelfAssessment | None, rows: list[ComparisonRow]):
        this_label = f"This assessment ({_day(assessment.completed_at)})"
        series = [Series(this_label, [row.this for row in rows], style="solid")]
        if previous is not None:
            previous_label = f"Previous ({_day(previous.completed_at)})"
            series.append(Series(previous_label, [row.previous for row in rows], style="hatched"))
            description = (
                f"Horizontal bar chart of your rating for each of the {len(rows)} dimensions, from Essential (1) to "
                f"Exemplary (4). For each dimension the solid blue bar is this assessment and the grey striped bar "
                f"below it is your previous one. The table on this page gives the same figures."
            )
        else:
            description = (
                f"Horizontal bar chart of your rating for each of the {len(rows)} dimensions, from Essential (1) to "
                "Exemplary (4). The table on this page gives the same figures."
            )
        return grouped_bar_chart(
            chart_id="self-assessment-chart",
            title="Your self-assessment ratings" + (" compared with your previous assessment" if previous else ""),
            description=description,
            categories=[row.label for row in rows],
            series=series,
            max_value=len(Rating.values),
            ticks=[(level, Rating(level).label) for level in Rating.values],
            value_label=lambda value: Rating(int(value)).label,
            # Sized for half a page column: about one SVG unit to one pixel, so the text stays readable.
            layout=CHART_LAYOUT,
        )


urlpatterns: list = [
    path("my/self-assessment/", StartSelfAssessmentView.as_view(), name="start_self_assessment"),
    path("my/self-assessment/check/", CheckSelfAssessmentAnswersView.as_view(), name="check_self_assessment_answers"),
    path(
        "my/self-assessment/<uuid:assessment_id>/results/",
        ShowSelfAssessmentResultsView.as_view(),
        name="show_self_assessment_results",
    ),
    path(
        "my/self-assessment/<slug:dimension>/",
        AnswerSelfAssessmentQuestionView.as_view(),
        name="answer_self_assessment_question",
    ),
]
