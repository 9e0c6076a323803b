"""A person's data rights (AVG): a beheerder of the organisation that keeps the person exports everything about
them, or erases them everywhere. The pages hang under the organisation; the data is in its trajectories."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organisations import audit
from organisations.access import get_organisation_for_user
from organisations.models import Person

from ..forms import PersonEraseForm
from ..services import person_erase as erase
from ..services import person_export_json


def _person_of(organisation, person_pk: int) -> Person:
    return get_object_or_404(Person, organisation=organisation, pk=person_pk)


@login_required
@require_http_methods(["GET"])
def person_export(request, pk: int, person_pk: int):
    organisation, _role = get_organisation_for_user(request.user, pk, manage=True)
    person = _person_of(organisation, person_pk)
    response = HttpResponse(person_export_json(person=person), content_type="application/json; charset=utf-8")
    name = slugify(person.name) or "persoon"
    response["Content-Disposition"] = f'attachment; filename="persoon-{person.pk}-{name}.json"'
    audit.record(audit.Action.EXPORT, obj=person, detail="json")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def person_erase(request, pk: int, person_pk: int):
    organisation, _role = get_organisation_for_user(request.user, pk, manage=True)
    person = _person_of(organisation, person_pk)
    if person.is_erased:
        messages.info(request, _("This person was already erased."))
        return redirect("organisations:persons", pk=organisation.pk)
    form = PersonEraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        erase(person=person, by=request.user)
        messages.success(request, _("The person's name and contact details were erased everywhere."))
        return redirect("organisations:persons", pk=organisation.pk)
    return render(
        request,
        "organisations/person_erase.html",
        {"organisation": organisation, "person": person, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
