"""Access of the organisations taking part in a trajectory: their members, and the first beheerder of one
that has none yet (invited by a beheerder of the giving organisation)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organisations.forms import FirstBeheerderInvitationForm
from organisations.models import Invitation
from organisations.submissions import create_once

from .. import services
from ..access import get_trajectory_for_user
from ..policy import Do


@login_required
@require_http_methods(["GET"])
def organisation_access(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.MANAGE_PARTICIPANTS, allow_archived=True)
    organisations = list(services.taking_part(trajectory))
    pending = Invitation.objects.filter(
        organisation__in=organisations, on_behalf_of=trajectory.owner_id, accepted_at__isnull=True
    ).filter(declined_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
    invited = {invitation.organisation_id: invitation for invitation in pending}
    for organisation in organisations:
        organisation.pending_invitation = invited.get(organisation.pk)
    return render(
        request,
        "trajectories/organisation_access.html",
        {"trajectory": trajectory, "organisations": organisations},
    )


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def first_beheerder_invite(request, pk: int, org_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.MANAGE_PARTICIPANTS)
    organisation = get_object_or_404(services.taking_part(trajectory), pk=org_pk)
    has_members = organisation.member_count > 0
    form = FirstBeheerderInvitationForm(request.POST or None)
    if request.method == "POST" and not has_members and form.is_valid():
        try:
            services.first_beheerder_invite(
                trajectory=trajectory, organisation=organisation, email=form.cleaned_data["email"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s to become the first administrator of %(organisation)s.")
                % {"email": form.cleaned_data["email"], "organisation": organisation.name},
            )
            return redirect("trajectories:organisation_access", pk=trajectory.pk)
    return render(
        request,
        "trajectories/first_beheerder_invite.html",
        {"trajectory": trajectory, "organisation": organisation, "form": form, "has_members": has_members},
        status=400 if form.is_bound and (form.errors or has_members) else 200,
    )
