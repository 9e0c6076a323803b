from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .access import get_organisation_for_user
from .forms import MemberAddForm, MemberRoleForm
from .models import Membership, Role


@login_required
@require_http_methods(["GET"])
def organisation_list(request):
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    return render(request, "organisations/organisation_list.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_detail(request, pk: int):
    organisation, role = get_organisation_for_user(request.user, pk)
    add_form = MemberAddForm(request.POST or None)
    if request.method == "POST":
        if not role.allows(Role.BEHEERDER):
            raise PermissionDenied
        if add_form.is_valid():
            try:
                services.membership_add(organisation=organisation, **add_form.cleaned_data)
            except ValidationError as error:
                add_form.add_error(None, error)
            else:
                messages.success(request, _("Member added."))
                return redirect("organisations:detail", pk=organisation.pk)
    members = organisation.memberships.select_related("user").order_by("user__email")
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "members": members,
            "add_form": add_form,
            "is_beheerder": role.allows(Role.BEHEERDER),
            "roles": Role.choices,
        },
    )


@login_required
@require_http_methods(["POST"])
def member_update(request, pk: int, membership_pk: int):
    organisation, _role = get_organisation_for_user(request.user, pk, need=Role.BEHEERDER)
    membership = get_object_or_404(Membership, pk=membership_pk, organisation=organisation)
    try:
        if request.POST.get("action") == "remove":
            services.membership_remove(membership=membership)
            messages.success(request, _("Member removed."))
        else:
            form = MemberRoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a valid role."))
            services.membership_change_role(membership=membership, role=form.cleaned_data["role"])
            messages.success(request, _("Role changed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("organisations:detail", pk=organisation.pk)
