"""Career-conversation pages. Training-body admins record one from a clinician's record, read it back, and see
clinicians' requests; clinicians see theirs, comment and confirm or dispute, and ask their body for one. HEE staff
have no page here (the free text is not for them). Reads through talent.selectors (404 outside scope); writes
through talent.services.conversations."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.generic import TemplateView

from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from config.errors import DomainError
from talent import selectors
from talent.forms.conversations import ConversationForm, RequestConversationForm, RespondForm
from talent.services import conversations as service
from talent.views.mixins import ClinicianMixin, ClinicianProfileRequiredMixin


def _show_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- Training-body admins --------------------------------------------------------------------------------------------


class RecordConversationView(PermissionRequiredMixin, TemplateView):
    """Record a conversation with a consenting clinician of the admin's body (their open follow-up then closes)."""

    permission_required = Permission.RECORD_CAREER_CONVERSATIONS
    template_name = "talent/conversations/record.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated and self.has_permission():
            self.profile = selectors.clinician_for(request.user, kwargs["profile_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ConversationForm())
        return super().get_context_data(profile=self.profile, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = ConversationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                conversation = service.conversation_record(
                    user=request.user,
                    profile=self.profile,
                    held_on=data["held_on"],
                    participants=data["participants"],
                    aspirations=data["aspirations"],
                    actions=form.actions(),
                    next_conversation_on=data["next_conversation_on"],
                )
            except DomainError as error:
                _show_error(form, error)
            else:
                messages.success(
                    request,
                    f"Conversation recorded. {self.profile.user.full_name} has been asked to confirm it.",
                )
                return redirect("talent:show_conversation", conversation_id=conversation.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ShowConversationView(PermissionRequiredMixin, TemplateView):
    permission_required = Permission.RECORD_CAREER_CONVERSATIONS
    template_name = "talent/conversations/detail.html"

    def get_context_data(self, **kwargs):
        conversation = selectors.conversation_for(self.request.user, self.kwargs["conversation_id"])
        return super().get_context_data(conversation=conversation, for_clinician=False, **kwargs)


class ListConversationRequestsView(PermissionRequiredMixin, TemplateView):
    """Clinicians of the admin's bodies who asked for a conversation and have not had one recorded since."""

    permission_required = Permission.RECORD_CAREER_CONVERSATIONS
    template_name = "talent/conversations/requests.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            requests=list(selectors.open_conversation_requests(self.request.user)[:200]), **kwargs
        )


# --- Clinicians ------------------------------------------------------------------------------------------------------


class ListMyConversationsView(ClinicianMixin, TemplateView):
    permission_required = Permission.HAVE_CAREER_CONVERSATIONS
    template_name = "talent/conversations/my_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            profile=self.profile,
            conversations=list(selectors.conversations_visible_to(user).order_by("-held_on", "-created_at")),
            open_request=selectors.conversation_requests_visible_to(user).filter(answered_at__isnull=True).first(),
            **kwargs,
        )


class ShowMyConversationView(ClinicianMixin, TemplateView):
    """The body's account of the conversation; the clinician confirms or disputes it once, with a comment."""

    permission_required = Permission.HAVE_CAREER_CONVERSATIONS
    template_name = "talent/conversations/detail.html"

    def prepare(self, **kwargs) -> None:
        self.conversation = selectors.conversation_for(self.request.user, kwargs["conversation_id"])

    def get_context_data(self, **kwargs):
        if not self.conversation.response:
            kwargs.setdefault("form", RespondForm())
        return super().get_context_data(conversation=self.conversation, for_clinician=True, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = RespondForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                service.conversation_respond(
                    user=request.user,
                    conversation=self.conversation,
                    response=data["response"],
                    comment=data["comment"],
                    version=data["version"],
                )
            except DomainError as error:
                if error.conflict:
                    messages.info(request, error.message)
                    return redirect("talent:show_my_conversation", conversation_id=self.conversation.pk)
                _show_error(form, error)
            else:
                messages.success(request, "Thank you. Your training body has been told.")
                return redirect("talent:show_my_conversation", conversation_id=self.conversation.pk)
        return self.render_to_response(self.get_context_data(form=form))


class RequestConversationView(ClinicianProfileRequiredMixin, TemplateView):
    permission_required = Permission.HAVE_CAREER_CONVERSATIONS
    template_name = "talent/conversations/ask.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", RequestConversationForm())
        return super().get_context_data(profile=self.profile, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = RequestConversationForm(request.POST)
        if form.is_valid():
            try:
                service.conversation_request(user=request.user, message=form.cleaned_data["message"])
            except DomainError as error:
                _show_error(form, error)
            else:
                messages.success(request, f"Your request has been sent to {self.profile.training_body.name}.")
                return redirect("talent:list_my_conversations")
        return self.render_to_response(self.get_context_data(form=form))


urlpatterns: list = [
    path(
        "clinicians/<uuid:profile_id>/conversations/new/",
        RecordConversationView.as_view(),
        name="record_conversation",
    ),
    path("conversations/<uuid:conversation_id>/", ShowConversationView.as_view(), name="show_conversation"),
    path("conversation-requests/", ListConversationRequestsView.as_view(), name="list_conversation_requests"),
    path("my/conversations/", ListMyConversationsView.as_view(), name="list_my_conversations"),
    path("my/conversations/ask/", RequestConversationView.as_view(), name="request_conversation"),
    path("my/conversations/<uuid:conversation_id>/", ShowMyConversationView.as_view(), name="show_my_conversation"),
]
