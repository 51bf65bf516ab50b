"""Talent pool pages. Owners (training-body admins, HEE staff) run their pools, invite clinicians, assess readiness
and hold talent reviews; a clinician answers invitations, asks to join, sees their own assessed readiness and leaves.

Reads go through talent.selectors.pools (scoped: 404 outside scope); every change through talent.services.pools.
"""

import contextlib
import uuid

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.generic import TemplateView

from accounts.permissions import Permission
from accounts.selectors import training_bodies_administered_by
from accounts.views import PermissionRequiredMixin
from config.errors import DomainError
from talent.forms.pools import InviteForm, PoolForm, ReadinessForm, ReviewRatingForm
from talent.models import MembershipState
from talent.selectors import pools as selectors
from talent.selectors.licence import own_membership_with_licence, with_licence
from talent.services import pools as service
from talent.views.mixins import ClinicianMixin

# The invite form's select lists at most this many clinicians (the rest are reached by the API).
INVITE_CHOICES_LIMIT = 500


def _posted_id(request: HttpRequest, name: str) -> uuid.UUID | None:
    """The id a form posted, or None when it is missing or not an id at all (a tampered form)."""
    with contextlib.suppress(ValueError):
        return uuid.UUID(request.POST.get(name, ""))
    return None


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


class OwnerMixin(PermissionRequiredMixin):
    permission_required = Permission.MANAGE_TALENT_POOLS


class ListPoolsView(OwnerMixin, TemplateView):
    """The pools you own, with how many members and requests each has."""

    template_name = "talent/pools/list.html"

    def get_context_data(self, **kwargs):
        pools = selectors.with_member_counts(selectors.pools_owned_by(self.request.user))
        return super().get_context_data(pools=list(pools), **kwargs)


class CreatePoolView(OwnerMixin, TemplateView):
    template_name = "talent/pools/create.html"

    def _bodies(self):
        return training_bodies_administered_by(self.request.user).order_by("name")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PoolForm(bodies=self._bodies()))
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = PoolForm(request.POST, bodies=self._bodies())
        if form.is_valid():
            values = form.cleaned_data
            try:
                pool = service.pool_create(
                    user=request.user,
                    name=values["name"],
                    purpose=values["purpose"],
                    role_level=values["role_level"],
                    professions=values["professions"],
                    training_body=values.get("training_body"),
                )
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, f"Talent pool {pool.name} created. Invite clinicians to it.")
                return redirect("talent:show_pool", pool_id=pool.pk)
        return self.render_to_response(self.get_context_data(form=form))


INVITE = "invite"
ACCEPT_REQUEST = "accept_request"
DECLINE_REQUEST = "decline_request"
OPEN_REVIEW = "open_review"


class ShowPoolView(OwnerMixin, TemplateView):
    """A pool: its members and their readiness, invitations waiting, requests to answer, reviews, and inviting."""

    template_name = "talent/pools/detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.pool = selectors.pool_for_owner(request.user, kwargs["pool_id"])
        return super().dispatch(request, *args, **kwargs)

    def _invite_form(self, data=None) -> InviteForm:
        return InviteForm(data, candidates=selectors.pool_candidates(self.pool), limit=INVITE_CHOICES_LIMIT)

    def get_context_data(self, **kwargs):
        user = self.request.user
        kwargs.setdefault("invite_form", self._invite_form())
        waiting = list(
            selectors.pool_members(user, self.pool, states=(MembershipState.INVITED, MembershipState.REQUESTED))
        )
        return super().get_context_data(
            pool=self.pool,
            members=with_licence(viewer=user, pool=self.pool, members=list(selectors.pool_members(user, self.pool))),
            invited=[m for m in waiting if m.state == MembershipState.INVITED],
            requests=[m for m in waiting if m.state == MembershipState.REQUESTED],
            reviews=list(selectors.reviews_visible_to(user).filter(pool=self.pool)),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        action = request.POST.get("action")
        try:
            if action == INVITE:
                form = self._invite_form(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(invite_form=form))
                try:
                    membership = service.membership_invite(
                        user=request.user,
                        pool=self.pool,
                        profile=form.cleaned_data["clinician"],
                        note=form.cleaned_data["note"],
                    )
                except DomainError as error:
                    _form_error(form, error)
                    return self.render_to_response(self.get_context_data(invite_form=form))
                messages.success(
                    request, f"{membership.profile.full_name} was invited. They become a member when they accept."
                )
            elif action in (ACCEPT_REQUEST, DECLINE_REQUEST):
                member_id = _posted_id(request, "member")
                if member_id is None:
                    raise Http404("No such pool member.")
                membership = selectors.member_for_owner(request.user, self.pool, member_id)
                service.membership_respond(user=request.user, membership=membership, accept=action == ACCEPT_REQUEST)
                messages.success(request, "Request answered. The clinician has been told.")
            elif action == OPEN_REVIEW:
                review = service.review_open(user=request.user, pool=self.pool)
                return redirect("talent:show_review", review_id=review.pk)
            else:
                raise BadRequest("No such action on a talent pool.")
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("talent:show_pool", pool_id=self.pool.pk)


class AssessMemberView(OwnerMixin, TemplateView):
    """One member's assessed readiness, its history, and the form to change it."""

    template_name = "talent/pools/member.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.pool = selectors.pool_for_owner(request.user, kwargs["pool_id"])
            self.membership = selectors.member_for_owner(request.user, self.pool, kwargs["membership_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        m = with_licence(viewer=self.request.user, pool=self.pool, members=[self.membership])[0]
        initial = {"readiness": m.readiness, "evidence": m.readiness_evidence, "target_role": m.target_role_id}
        kwargs.setdefault("form", ReadinessForm(initial=initial, pool=self.pool))
        return super().get_context_data(
            pool=self.pool,
            membership=m,
            evidence=selectors.readiness_evidence_for(self.request.user, m),
            changes=list(m.readiness_changes.select_related("changed_by", "review")),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = ReadinessForm(request.POST, pool=self.pool)
        if form.is_valid():
            values = form.cleaned_data
            try:
                service.readiness_assess(
                    user=request.user,
                    pool=self.pool,
                    membership=self.membership,
                    readiness=values["readiness"],
                    evidence=values["evidence"],
                    target_role=values["target_role"],
                )
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, "Readiness saved. The clinician can see it and the evidence.")
                return redirect("talent:show_pool", pool_id=self.pool.pk)
        return self.render_to_response(self.get_context_data(form=form))


RATE = "rate"
CLOSE = "close"


class ShowReviewView(OwnerMixin, TemplateView):
    """A talent review: each member's readiness coming in and the agreed one; read-only once closed."""

    template_name = "talent/pools/review.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.review = selectors.review_for(request.user, kwargs["review_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        rows = selectors.review_rows(self.request.user, self.review)
        if not self.review.is_closed:
            for row in rows:
                rating = row.rating
                row.form = ReviewRatingForm(
                    initial={
                        "member": row.pk,
                        "version": rating.version if rating else 0,
                        "readiness": rating.agreed_readiness if rating else row.readiness,
                        "note": rating.note if rating else "",
                    },
                    prefix=str(row.pk),
                )
        return super().get_context_data(review=self.review, pool=self.review.pool, rows=rows, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        action = request.POST.get("action")
        try:
            if action == RATE:
                form = ReviewRatingForm(request.POST, prefix=request.POST.get("prefix", ""))
                if not form.is_valid():
                    messages.error(request, "Choose the agreed readiness.")
                else:
                    values = form.cleaned_data
                    membership = selectors.member_for_owner(request.user, self.review.pool, values["member"])
                    service.review_rate(
                        user=request.user,
                        review=self.review,
                        membership=membership,
                        readiness=values["readiness"],
                        note=values["note"],
                        version=values["version"],
                    )
                    messages.success(request, f"Agreed readiness saved for {membership.profile.full_name}.")
            elif action == CLOSE:
                service.review_close(user=request.user, review=self.review)
                messages.success(request, "Review closed. The agreed readiness is now each member's readiness.")
            else:
                raise BadRequest("No such action on a talent review.")
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("talent:show_review", review_id=self.review.pk)


# --- The clinician's pages ------------------------------------------------------------------------------------------

REQUEST = "request"


class ListMyPoolsView(ClinicianMixin, TemplateView):
    """The clinician's invitations, requests and memberships, and the pools they may ask to join."""

    permission_required = Permission.JOIN_TALENT_POOLS
    template_name = "talent/pools/my_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            memberships=list(selectors.own_memberships(user)), open_pools=list(selectors.pools_open_to(user)), **kwargs
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.POST.get("action") != REQUEST:
            raise BadRequest("No such action.")
        pool_id = _posted_id(request, "pool")
        pools = selectors.pools_open_to(request.user, include_joined=True)
        pool = None if pool_id is None else pools.filter(pk=pool_id).first()
        if pool is None:
            messages.error(request, "You cannot ask to join that pool.")
        else:
            try:
                service.membership_request(user=request.user, pool=pool)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"You asked to join {pool.name}. Its owners will answer.")
        return redirect("talent:list_my_pools")


ACCEPT = "accept"
DECLINE = "decline"
LEAVE = "leave"


class ShowMyPoolMembershipView(ClinicianMixin, TemplateView):
    """One of the clinician's pools: accept or decline an invitation, their assessed readiness and its evidence,
    and leaving."""

    permission_required = Permission.JOIN_TALENT_POOLS
    template_name = "talent/pools/my_detail.html"

    def prepare(self, **kwargs) -> None:
        self.membership = selectors.own_membership_for(self.request.user, kwargs["membership_id"])

    def get_context_data(self, **kwargs):
        membership = own_membership_with_licence(user=self.request.user, membership=self.membership)
        return super().get_context_data(membership=membership, pool=membership.pool, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        action = request.POST.get("action")
        try:
            if action in (ACCEPT, DECLINE):
                service.membership_respond(user=request.user, membership=self.membership, accept=action == ACCEPT)
                messages.success(
                    request, "You joined the pool." if action == ACCEPT else "You declined the invitation."
                )
                if action == ACCEPT:
                    return redirect("talent:show_my_pool_membership", membership_id=self.membership.pk)
            elif action == LEAVE:
                service.membership_leave(user=request.user, membership=self.membership)
                messages.success(request, f"You left {self.membership.pool.name}. Its owners no longer see you in it.")
            else:
                raise BadRequest("No such action.")
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("talent:show_my_pool_membership", membership_id=self.membership.pk)
        return redirect("talent:list_my_pools")


urlpatterns = [
    path("pools/", ListPoolsView.as_view(), name="list_pools"),
    path("pools/new/", CreatePoolView.as_view(), name="create_pool"),
    path("pools/<uuid:pool_id>/", ShowPoolView.as_view(), name="show_pool"),
    path("pools/<uuid:pool_id>/members/<uuid:membership_id>/", AssessMemberView.as_view(), name="assess_pool_member"),
    path("reviews/<uuid:review_id>/", ShowReviewView.as_view(), name="show_review"),
    path("my-pools/", ListMyPoolsView.as_view(), name="list_my_pools"),
    path("my-pools/<uuid:membership_id>/", ShowMyPoolMembershipView.as_view(), name="show_my_pool_membership"),
]
