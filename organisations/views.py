from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fii.lib.conflicts import StaleEdit, refused_stale

from . import audit, services
from .access import get_organisation_for_user, may_manage
from .forms import AuditFilterForm, InvitationForm, MemberRoleForm
from .models import Membership, Organisation, Role
from .submissions import create_once


@login_required
@require_http_methods(["GET"])
def organisation_list(request):
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    return render(request, "organisations/organisation_list.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def organisation_detail(request, pk: int):
    """Members and, for beheerders, the invitation form and the open invitations."""
    from .invitations import invitation_create

    organisation, role = get_organisation_for_user(request.user, pk)
    is_beheerder = may_manage(request.user, organisation.pk)
    invite_form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not is_beheerder:
            raise PermissionDenied
        if invite_form.is_valid():
            try:
                invitation_create(organisation=organisation, by=request.user, **invite_form.cleaned_data)
            except ValidationError as error:
                invite_form.add_error(None, error)
            else:
                # The same answer whether or not the address has an account (no enumeration).
                messages.success(
                    request,
                    _("Invitation sent to %(email)s. It is valid for 7 days; you see it below until it is accepted.")
                    % {"email": invite_form.cleaned_data["email"]},
                )
                return redirect("organisations:detail", pk=organisation.pk)
    members = organisation.memberships.select_related("user").order_by("user__email")
    invitations = []
    if is_beheerder:
        invitations = list(
            organisation.invitations.filter(accepted_at__isnull=True, declined_at__isnull=True, revoked_at__isnull=True)
            .select_related("invited_by")
            .order_by("email")
        )
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "members": members,
            "invite_form": invite_form,
            "invitations": invitations,
            "is_beheerder": is_beheerder,
            "roles": Role.choices,
            "notices": organisation.notices.all()[:20] if may_manage(request.user, organisation.pk) else [],
        },
        status=400 if invite_form.is_bound and invite_form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def member_update(request, pk: int, membership_pk: int):
    organisation, _role = get_organisation_for_user(request.user, pk, manage=True)
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
        detail = "removed" if request.POST.get("action") == "remove" else str(request.POST.get("role", ""))[:20]
        audit.record(
            audit.Action.PERMISSION,
            obj=membership,
            detail=f"user #{membership.user_id}: {detail}",
            result=audit.Result.REFUSED,
        )
    return redirect("organisations:detail", pk=organisation.pk)


@login_required
@require_http_methods(["GET"])
def person_list(request, pk: int):
    """The persons this organisation keeps, for its beheerders: export and erase (AVG/GDPR rights)."""
    from django.db.models import Count

    organisation, _role = get_organisation_for_user(request.user, pk, manage=True)
    persons = organisation.persons.annotate(trajectory_count=Count("stakeholder_roles")).order_by("name", "pk")
    return render(request, "organisations/person_list.html", {"organisation": organisation, "persons": persons})


@login_required
@require_http_methods(["GET", "POST"])
def retention_edit(request, pk: int):
    """The organisation's retention period for personal data in its closed trajectories (beheerders)."""
    from .forms import RetentionForm

    return _setting_edit(
        request,
        pk,
        form_class=RetentionForm,
        template="organisations/retention_edit.html",
        field="retention_months",
        setting=_("Retention period"),
        saved=_("Retention period saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def fidelity_threshold_edit(request, pk: int):
    """The team's fidelity threshold that new trajectories of this organisation start with (beheerders)."""
    from .forms import FidelityThresholdForm

    return _setting_edit(
        request,
        pk,
        form_class=FidelityThresholdForm,
        template="organisations/fidelity_threshold_edit.html",
        field="fidelity_threshold",
        setting=_("Fidelity threshold"),
        saved=_("Fidelity threshold saved."),
    )


def _setting_edit(request, pk: int, *, form_class, template: str, field: str, setting: str, saved: str):
    """One setting of the organisation, edited by its beheerders on a page of its own: the form, the save
    through ``organisation_setting_set``, and the refusal with both versions when a colleague saved first.
    ``template`` extends ``_organisation_setting.html``; ``setting`` is its short name (title, breadcrumb)."""
    organisation, _role = get_organisation_for_user(request.user, pk, manage=True)
    form = form_class(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_setting_set(
                organisation=organisation,
                field=field,
                value=form.cleaned_data[field],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except StaleEdit as stale:
            theirs = stale.current
            return refused_stale(
                request,
                template,
                {"organisation": theirs, "setting": setting},
                make_form=lambda data: form_class(data, instance=Organisation.objects.get(pk=theirs.pk)),
                theirs=[theirs],
                versions={"version": theirs.version},
            )
        messages.success(request, saved)
        return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request,
        template,
        {"organisation": organisation, "form": form, "setting": setting},
        status=400 if form.is_bound and form.errors else 200,
    )


AUDIT_PAGE_SIZE = 50
AUDIT_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _audit_events(request, organisation):
    form = AuditFilterForm(request.GET or None, organisation=organisation)
    return form, audit.events_for_organisation(organisation, **form.filters())


def _audit_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_http_methods(["GET"])
def audit_log(request, pk: int):
    """The organisation's audit log, for its beheerders: newest first, filtered, 50 to a page."""
    from django.core.paginator import Paginator

    organisation, _role = get_organisation_for_user(request.user, pk, manage=True)
    form, events = _audit_events(request, organisation)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    names = audit.object_type_names()
    for event in page.object_list:
        event.object_type_name = names.get(event.object_type, event.object_type)
        # "Stakeholder #12" is shown as "Belanghebbende #12": the type in the page's language, then the number.
        generic = f"{event.object_type.rpartition('.')[2]} #"
        event.object_number = (
            event.object_label.removeprefix(generic[:-1]) if event.object_label.startswith(generic) else ""
        )
    return render(
        request,
        "organisations/audit_log.html",
        {"organisation": organisation, "form": form, "page": page, "query": _audit_query(request)},
    )


def _audit_rows(events):
    from django.utils import timezone
    from django.utils.text import capfirst

    names = audit.object_type_names()
    headers = [
        _("When"),
        _("User"),
        _("Action"),
        _("Object type"),
        _("Object id"),
        _("Object"),
        _("Changed fields"),
        _("Detail"),
        _("Result"),
        _("IP address"),
        _("Method"),
        _("Path"),
    ]
    rows = [
        [
            f"{timezone.localtime(e.created_at):%d-%m-%Y %H:%M:%S}",
            e.actor_email,
            e.get_action_display(),
            str(capfirst(names.get(e.object_type, e.object_type))),
            e.object_id,
            e.object_label,
            ", ".join(e.changed_fields),
            e.detail,
            e.get_result_display(),
            e.ip_address or "",
            e.method,
            e.path,
        ]
        for e in events.iterator()
    ]
    return headers, rows


@login_required
@require_http_methods(["GET"])
def audit_log_export(request, pk: int, fmt: str):
    """The filtered audit log as CSV or Excel; the export is itself an audit event."""
    from django.http import Http404, HttpResponse
    from django.utils import timezone

    from fii.lib.spreadsheets import as_csv, as_xlsx

    if fmt not in AUDIT_CONTENT_TYPES:
        raise Http404
    organisation, _role = get_organisation_for_user(request.user, pk, manage=True)
    _form, events = _audit_events(request, organisation)
    headers, rows = _audit_rows(events)
    content = as_csv(headers, rows) if fmt == "csv" else as_xlsx(headers, rows, title=_("Audit log"))
    audit.record(audit.Action.EXPORT, object_type="organisations.AuditEvent", organisation=organisation, detail=fmt)
    response = HttpResponse(content, content_type=AUDIT_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="auditlog-{timezone.localdate():%Y-%m-%d}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
