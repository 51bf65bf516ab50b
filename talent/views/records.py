"""The clinician's own records: leadership interest and its timeline, leadership experience, qualifications and
equality monitoring. Every page is for a clinician with a profile; each reads and writes only their own records."""

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from config.errors import DomainError
from talent import selectors, services
from talent.forms.records import EqualityMonitoringForm, ExperienceForm, InterestForm, QualificationForm
from talent.views.mixins import ClinicianProfileRequiredMixin


class ServiceFormView(ClinicianProfileRequiredMixin, FormView):
    """A form whose valid data goes to one service call; a DomainError becomes a field error and nothing is saved."""

    success_message = ""

    def save(self, form: Form) -> None:
        raise NotImplementedError

    def form_valid(self, form: Form) -> HttpResponse:
        try:
            self.save(form)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


# Leadership interest


class RecordInterestView(ServiceFormView):
    """A change of interest starts empty: a form filled in with the last answers invites saving them unread."""

    template_name = "talent/records/interest_form.html"
    form_class = InterestForm
    success_message = "Your leadership interest has been recorded."

    def save(self, form: InterestForm) -> None:
        services.interest_record(
            profile=self.profile,
            level=form.cleaned_data["level"],
            readiness_horizon=form.cleaned_data["readiness_horizon"],
            target_roles=form.cleaned_data["target_roles"],
            note=form.cleaned_data["note"],
        )

    def get_success_url(self) -> str:
        return reverse("talent:show_interest_history")


class CorrectInterestView(ServiceFormView):
    """Correct the latest entry within 24 hours of recording it: starts from that entry's answers (it is the one
    being put right); saving adds the correction and marks the entry corrected. Past the window, or for an entry
    that is no longer the latest, the page says why and offers to record a change instead."""

    template_name = "talent/records/interest_form.html"
    form_class = InterestForm
    success_message = (
        "Your correction has been saved. Your timeline keeps the entry you corrected, marked as corrected."
    )

    def prepare(self, **kwargs) -> None:
        self.record = selectors.interest_record_of(self.profile, kwargs["record_id"])
        self.refusal = selectors.interest_correction_refusal(record=self.record, now=timezone.now())

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.refusal is not None:
            return self.render_to_response(self.get_context_data(), status=409)
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.refusal is not None:
            return self.render_to_response(self.get_context_data(), status=409)
        return super().post(request, *args, **kwargs)

    def get_initial(self) -> dict:
        return {
            "level": self.record.level,
            "readiness_horizon": self.record.readiness_horizon,
            "target_roles": [role.pk for role in self.record.target_roles.all()],
            "note": self.record.note,
        }

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(correcting=self.record, refusal=self.refusal, **kwargs)

    def save(self, form: InterestForm) -> None:
        services.interest_correct(
            profile=self.profile,
            record=self.record,
            level=form.cleaned_data["level"],
            readiness_horizon=form.cleaned_data["readiness_horizon"],
            target_roles=form.cleaned_data["target_roles"],
            note=form.cleaned_data["note"],
        )

    def get_success_url(self) -> str:
        return reverse("talent:show_interest_history")


class ShowInterestHistoryView(ClinicianProfileRequiredMixin, TemplateView):
    template_name = "talent/records/interest_timeline.html"

    def get_context_data(self, **kwargs) -> dict:
        records = list(selectors.interest_timeline(self.profile))
        latest = records[0] if records else None
        if latest is not None and selectors.interest_correction_refusal(
            record=latest, now=timezone.now(), latest_id=latest.pk
        ):
            latest = None
        correctable = latest
        return super().get_context_data(profile=self.profile, records=records, correctable=correctable, **kwargs)


# Leadership experience


class ListExperienceView(ClinicianProfileRequiredMixin, TemplateView):
    template_name = "talent/records/experience_list.html"

    def get_context_data(self, **kwargs) -> dict:
        experiences = list(selectors.experiences_of(self.profile))
        return super().get_context_data(experiences=experiences, **kwargs)


class AddExperienceView(ServiceFormView):
    template_name = "talent/records/experience_form.html"
    form_class = ExperienceForm
    success_message = "Leadership role added."
    experience = None

    def save(self, form: ExperienceForm) -> None:
        services.experience_save(profile=self.profile, experience=self.experience, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("talent:list_experience")


class EditExperienceView(AddExperienceView):
    success_message = "Leadership role updated."

    def prepare(self, **kwargs) -> None:
        self.experience = selectors.experience_of(self.profile, self.kwargs["experience_id"])

    def get_initial(self) -> dict:
        fields = ("role", "organisation", "level", "start_date", "end_date")
        return {field: getattr(self.experience, field) for field in fields}


class DeleteExperienceView(ClinicianProfileRequiredMixin, TemplateView):
    """GET asks for confirmation; POST deletes."""

    template_name = "talent/records/confirm_delete.html"

    def prepare(self, **kwargs) -> None:
        self.experience = selectors.experience_of(self.profile, self.kwargs["experience_id"])

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            noun="leadership role",
            name=f"{self.experience.role}, {self.experience.organisation}",
            cancel_url=reverse("talent:list_experience"),
            cancel_label="your leadership experience",
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        services.experience_delete(profile=self.profile, experience=self.experience)
        messages.success(request, f"Leadership role deleted: {self.experience.role}.")
        return redirect("talent:list_experience")


# Qualifications


class ListQualificationsView(ClinicianProfileRequiredMixin, TemplateView):
    template_name = "talent/records/qualification_list.html"

    def get_context_data(self, **kwargs) -> dict:
        qualifications = list(selectors.qualifications_of(self.profile))
        return super().get_context_data(qualifications=qualifications, **kwargs)


class AddQualificationView(ServiceFormView):
    template_name = "talent/records/qualification_form.html"
    form_class = QualificationForm
    success_message = "Qualification added."
    qualification = None

    def save(self, form: QualificationForm) -> None:
        services.qualification_save(profile=self.profile, qualification=self.qualification, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("talent:list_qualifications")


class EditQualificationView(AddQualificationView):
    success_message = "Qualification updated."

    def prepare(self, **kwargs) -> None:
        self.qualification = selectors.qualification_of(self.profile, self.kwargs["qualification_id"])

    def get_initial(self) -> dict:
        fields = ("kind", "title", "awarding_body", "year_awarded")
        return {field: getattr(self.qualification, field) for field in fields}


class DeleteQualificationView(ClinicianProfileRequiredMixin, TemplateView):
    """GET asks for confirmation; POST deletes."""

    template_name = "talent/records/confirm_delete.html"

    def prepare(self, **kwargs) -> None:
        self.qualification = selectors.qualification_of(self.profile, self.kwargs["qualification_id"])

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            noun="qualification",
            name=self.qualification.title,
            cancel_url=reverse("talent:list_qualifications"),
            cancel_label="your qualifications",
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        services.qualification_delete(profile=self.profile, qualification=self.qualification)
        messages.success(request, f"Qualification deleted: {self.qualification.title}.")
        return redirect("talent:list_qualifications")


# Equality monitoring


class EditEqualityMonitoringView(ServiceFormView):
    """Optional answers, kept apart from the profile; only the clinician ever sees them one person at a time."""

    template_name = "talent/records/equality_monitoring.html"
    form_class = EqualityMonitoringForm
    success_message = "Your equality monitoring answers have been saved."

    def prepare(self, **kwargs) -> None:
        self.monitoring = selectors.equality_monitoring_of(self.profile)

    def get_initial(self) -> dict:
        if self.monitoring is None:
            return {}
        return {field: getattr(self.monitoring, field) for field in EqualityMonitoringForm.FIELDS}

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if "clear" in request.POST:
            services.equality_monitoring_save(profile=self.profile, answers={})
            messages.success(request, "Your equality monitoring answers have been removed.")
            return redirect("talent:edit_equality_monitoring")
        return super().post(request, *args, **kwargs)

    def save(self, form: EqualityMonitoringForm) -> None:
        services.equality_monitoring_save(profile=self.profile, answers=form.answers())

    def get_context_data(self, **kwargs) -> dict:
        answers = []
        for name in EqualityMonitoringForm.FIELDS:
            field = EqualityMonitoringForm.base_fields[name]
            value = getattr(self.monitoring, name, "") if self.monitoring else ""
            answers.append({"question": field.label, "answer": dict(field.choices).get(value, "")})
        has_answers = any(answer["answer"] for answer in answers)
        return super().get_context_data(answers=answers, has_answers=has_answers, **kwargs)

    def get_success_url(self) -> str:
        return reverse("talent:edit_equality_monitoring")


urlpatterns = [
    path("my/interest/", ShowInterestHistoryView.as_view(), name="show_interest_history"),
    path("my/interest/new/", RecordInterestView.as_view(), name="record_interest"),
    path("my/interest/<uuid:record_id>/correct/", CorrectInterestView.as_view(), name="correct_interest"),
    path("my/experience/", ListExperienceView.as_view(), name="list_experience"),
    path("my/experience/add/", AddExperienceView.as_view(), name="add_experience"),
    path("my/experience/<uuid:experience_id>/change/", EditExperienceView.as_view(), name="edit_experience"),
    path("my/experience/<uuid:experience_id>/delete/", DeleteExperienceView.as_view(), name="delete_experience"),
    path("my/qualifications/", ListQualificationsView.as_view(), name="list_qualifications"),
    path("my/qualifications/add/", AddQualificationView.as_view(), name="add_qualification"),
    path(
        "my/qualifications/<uuid:qualification_id>/change/",
        EditQualificationView.as_view(),
        name="edit_qualification",
    ),
    path(
        "my/qualifications/<uuid:qualification_id>/delete/",
        DeleteQualificationView.as_view(),
        name="delete_qualification",
    ),
    path("my/equality/", EditEqualityMonitoringView.as_view(), name="edit_equality_monitoring"),
]
