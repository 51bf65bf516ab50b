"""Development plan pages: the clinician keeps their plan (goals, actions, reviews, sharing); an admin of their
training body reads it when the clinician shares it. Reads through talent.selectors (404 outside scope), writes
through talent.services.plans."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.views.generic import TemplateView

from accounts.audit import audit_record
from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from config.errors import DomainError
from talent import selectors
from talent.forms.plans import ActionChangeForm, ActionForm, GoalChangeForm, GoalForm, ReviewForm, SharingForm
from talent.models import Dimension
from talent.services import plans as service
from talent.views.mixins import ClinicianProfileRequiredMixin


def _show_error(form: forms.Form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


class PlanMixin(ClinicianProfileRequiredMixin):
    permission_required = Permission.KEEP_DEVELOPMENT_PLAN


class ShowMyPlanView(PlanMixin, TemplateView):
    """The clinician's plan: goals with their actions, when it is next reviewed, past reviews and who sees it."""

    template_name = "talent/plans/show.html"

    def get_context_data(self, **kwargs):
        plan = selectors.own_plan(self.profile)
        return super().get_context_data(
            plan=plan,
            goals=list(plan.goals.all()) if plan else [],
            reviews=list(selectors.plan_reviews(plan)) if plan else [],
            review_due=plan is not None and plan.next_review_on <= timezone.localdate(),
            profile=self.profile,
            **kwargs,
        )


class AddGoalView(PlanMixin, TemplateView):
    template_name = "talent/plans/goal_form.html"

    def form(self, data=None, initial=None) -> GoalForm:
        return GoalForm(
            data,
            initial=initial,
            suggested=selectors.suggested_dimensions(self.profile),
            latest_assessment=selectors.latest_completed_assessment(self.profile),
        )

    def get_context_data(self, **kwargs):
        # Other pages (the 360 report) link here with the dimensions a goal should develop already ticked.
        chosen = [key for key in self.request.GET.getlist("dimension") if key in Dimension.values]
        kwargs.setdefault("form", self.form(initial={"dimensions": chosen} if chosen else None))
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            try:
                service.plan_goal_add(
                    clinician=self.profile,
                    title=form.cleaned_data["title"],
                    dimensions=form.cleaned_data["dimensions"],
                    detail=form.cleaned_data["detail"],
                    target_on=form.cleaned_data["target_on"],
                    actor=request.user,
                )
            except DomainError as error:
                _show_error(form, error)
            else:
                messages.success(request, "Goal added to your development plan.")
                return redirect("talent:show_my_plan")
        return self.render_to_response(self.get_context_data(form=form))


class ChangeGoalView(PlanMixin, TemplateView):
    template_name = "talent/plans/goal_form.html"

    def prepare(self, **kwargs) -> None:
        self.goal = selectors.own_goal(self.profile, kwargs["goal_id"])

    def form(self, data=None) -> GoalChangeForm:
        goal = self.goal
        return GoalChangeForm(
            data,
            initial={
                "title": goal.title,
                "dimensions": goal.dimensions,
                "detail": goal.detail,
                "target_on": goal.target_on,
                "status": goal.status,
            },
            suggested=selectors.suggested_dimensions(self.profile),
            latest_assessment=selectors.latest_completed_assessment(self.profile),
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        return super().get_context_data(goal=self.goal, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            try:
                service.plan_goal_update(goal=self.goal, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                _show_error(form, error)
            else:
                messages.success(request, "Goal saved.")
                return redirect("talent:show_my_plan")
        return self.render_to_response(self.get_context_data(form=form))


class AddActionView(PlanMixin, TemplateView):
    template_name = "talent/plans/action_form.html"

    def prepare(self, **kwargs) -> None:
        self.goal = selectors.own_goal(self.profile, kwargs["goal_id"])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ActionForm())
        return super().get_context_data(goal=self.goal, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = ActionForm(request.POST)
        if form.is_valid():
            try:
                service.plan_action_add(goal=self.goal, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                _show_error(form, error)
            else:
                messages.success(request, "Action added.")
                return redirect("talent:show_my_plan")
        return self.render_to_response(self.get_context_data(form=form))


class ChangeActionView(PlanMixin, TemplateView):
    template_name = "talent/plans/action_form.html"

    def prepare(self, **kwargs) -> None:
        self.action = selectors.own_action(self.profile, kwargs["action_id"])

    def form(self, data=None) -> ActionChangeForm:
        action = self.action
        return ActionChangeForm(
            data,
            initial={
                "text": action.text,
                "pathway_step": action.pathway_step_id,
                "opportunity": action.opportunity_id,
                "target_on": action.target_on,
                "status": action.status,
            },
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        return super().get_context_data(goal=self.action.goal, action=self.action, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            try:
                service.plan_action_update(action=self.action, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                _show_error(form, error)
            else:
                messages.success(request, "Action saved.")
                return redirect("talent:show_my_plan")
        return self.render_to_response(self.get_context_data(form=form))


class ReviewMyPlanView(PlanMixin, TemplateView):
    """Record a review: the plan is kept as it is now, and the next review is set."""

    template_name = "talent/plans/review_form.html"

    def prepare(self, **kwargs) -> None:
        self.plan = selectors.own_plan(self.profile)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ReviewForm())
        return super().get_context_data(
            plan=self.plan,
            goals=list(self.plan.goals.all()) if self.plan else [],
            review_months=settings.PLAN_REVIEW_MONTHS,
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.plan is None:
            messages.info(request, "Add a goal to your development plan before you review it.")
            return redirect("talent:show_my_plan")
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                review = service.plan_review_record(plan=self.plan, note=form.cleaned_data["note"], actor=request.user)
            except DomainError as error:
                _show_error(form, error)
            else:
                messages.success(request, "Review recorded. We kept a copy of your plan as it is today.")
                return redirect("talent:show_my_plan_review", review_id=review.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ShowMyPlanReviewView(PlanMixin, TemplateView):
    template_name = "talent/plans/review.html"

    def prepare(self, **kwargs) -> None:
        self.review = selectors.own_review(self.profile, kwargs["review_id"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(review=self.review, **kwargs)


class ShareMyPlanView(PlanMixin, TemplateView):
    template_name = "talent/plans/sharing.html"

    def prepare(self, **kwargs) -> None:
        self.plan = selectors.own_plan(self.profile)

    def get_context_data(self, **kwargs):
        shared = bool(self.plan and self.plan.shared_with_training_body)
        kwargs.setdefault("form", SharingForm(initial={"shared": "yes" if shared else "no"}))
        return super().get_context_data(plan=self.plan, profile=self.profile, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.plan is None:
            messages.info(request, "Add a goal to your development plan before you share it.")
            return redirect("talent:show_my_plan")
        form = SharingForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        service.plan_sharing_set(plan=self.plan, shared=form.cleaned_data["shared"], actor=request.user)
        messages.success(
            request,
            "Your training body can now read your plan."
            if form.cleaned_data["shared"]
            else "Your plan is no longer shared with your training body.",
        )
        return redirect("talent:show_my_plan")


class ShowClinicianPlanView(PermissionRequiredMixin, TemplateView):
    """A plan its clinician shares with their training body, read-only, for that body's admins. Audited."""

    permission_required = Permission.VIEW_SHARED_DEVELOPMENT_PLANS
    template_name = "talent/plans/shared.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.profile, self.plan, self.reviews = selectors.shared_plan_for(request.user, kwargs["profile_id"])
        audit_record(actor=request.user, action="plan.viewed", subject=self.plan)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            profile=self.profile, plan=self.plan, goals=list(self.plan.goals.all()), reviews=self.reviews, **kwargs
        )


urlpatterns: list = [
    path("my/plan/", ShowMyPlanView.as_view(), name="show_my_plan"),
    path("my/plan/goals/add/", AddGoalView.as_view(), name="add_plan_goal"),
    path("my/plan/goals/<uuid:goal_id>/", ChangeGoalView.as_view(), name="change_plan_goal"),
    path("my/plan/goals/<uuid:goal_id>/actions/add/", AddActionView.as_view(), name="add_plan_action"),
    path("my/plan/actions/<uuid:action_id>/", ChangeActionView.as_view(), name="change_plan_action"),
    path("my/plan/review/", ReviewMyPlanView.as_view(), name="review_my_plan"),
    path("my/plan/reviews/<uuid:review_id>/", ShowMyPlanReviewView.as_view(), name="show_my_plan_review"),
    path("my/plan/sharing/", ShareMyPlanView.as_view(), name="share_my_plan"),
    path("clinicians/<uuid:profile_id>/plan/", ShowClinicianPlanView.as_view(), name="show_clinician_plan"),
]
