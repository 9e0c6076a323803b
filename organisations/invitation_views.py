"""Invitations: resend and revoke (the organisation's beheerders), and the invitee's page behind the link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import invitations as service
from .access import get_organisation_for_user
from .forms import InvitationAcceptForm
from .models import Invitation, User

# The status of the page behind a link that no longer works, per state of the invitation.
CLOSED_STATUS = {
    Invitation.State.EXPIRED: 410,
    Invitation.State.ACCEPTED: 410,
    Invitation.State.DECLINED: 410,
    Invitation.State.REVOKED: 410,
}


def _open_invitation(request, pk: int, invitation_pk: int) -> Invitation:
    organisation, _role = get_organisation_for_user(request.user, pk, manage=True)
    return get_object_or_404(Invitation, pk=invitation_pk, organisation=organisation)


@login_required
@require_http_methods(["POST"])
def invitation_resend(request, pk: int, invitation_pk: int):
    invitation = _open_invitation(request, pk, invitation_pk)
    try:
        service.invitation_resend(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Invitation sent again to %(email)s; the earlier link no longer works.") % {"email": invitation.email},
        )
    return redirect("organisations:detail", pk=pk)


@login_required
@require_http_methods(["POST"])
def invitation_revoke(request, pk: int, invitation_pk: int):
    invitation = _open_invitation(request, pk, invitation_pk)
    try:
        service.invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Invitation for %(email)s revoked; its link no longer works.") % {"email": invitation.email}
        )
    return redirect("organisations:detail", pk=pk)


def _closed(request, invitation: Invitation | None):
    state = invitation.state if invitation else None
    return render(
        request,
        "organisations/invitation_closed.html",
        {"invitation": invitation, "state": state},
        status=CLOSED_STATUS.get(state, 404),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """Behind the link in the mail: a new address sets name and password; an existing account accepts."""
    invitation = service.invitation_for_token(token)
    if invitation is None or invitation.state != Invitation.State.OPEN:
        return _closed(request, invitation)
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    user = request.user
    context = {"invitation": invitation, "has_account": has_account}
    if has_account:
        if not user.is_authenticated or user.email.lower() != invitation.email.lower():
            # Log in as the invited account first; the login page brings you back here.
            context["wrong_account"] = user.is_authenticated
            return render(request, "organisations/invitation_login.html", context)
        if request.method == "POST":
            try:
                if request.POST.get("answer") == "decline":
                    service.invitation_decline(invitation=invitation, user=user)
                    messages.info(
                        request,
                        _("You declined the invitation of %(organisation)s.")
                        % {"organisation": invitation.organisation.name},
                    )
                else:
                    service.invitation_accept_existing(invitation=invitation, user=user)
                    messages.success(
                        request,
                        _("You are now a member of %(organisation)s.") % {"organisation": invitation.organisation.name},
                    )
            except service.InvitationUnusable:
                return _closed(request, Invitation.objects.get(pk=invitation.pk))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("trajectories:portfolio")
        return render(request, "organisations/invitation_answer.html", context)
    if user.is_authenticated:
        context["wrong_account"] = True
        return render(request, "organisations/invitation_login.html", context)
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            new_user = service.invitation_accept_new(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                language=request.LANGUAGE_CODE,
            )
        except service.InvitationUnusable:
            return _closed(request, Invitation.objects.get(pk=invitation.pk))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, new_user, backend="organisations.backends.AccountBackend")
            messages.success(
                request,
                _("Welcome! You are now a member of %(organisation)s.")
                % {"organisation": invitation.organisation.name},
            )
            return redirect("trajectories:portfolio")
    context["form"] = form
    return render(
        request, "organisations/invitation_accept.html", context, status=400 if form.is_bound and form.errors else 200
    )
