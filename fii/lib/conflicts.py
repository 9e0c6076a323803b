"""Refusing a stale save, the same way on every edit form (issue 16).

An edit form of an existing row carries, in a hidden field, the version of each row it edits as the user
loaded it (:class:`VersionedForm`). The service writes only while the row still has that version
(``trajectories.services.versioning.save_versioned``) and otherwise raises ``StaleEdit`` with the current row.
The view answers that with :func:`refused_stale`: status 409, the form again with the user's input, a message
naming who saved in between, and the colleague's values beside it (``components/stale_edit.html``). The form's
version fields move on to the colleague's, so saving again deliberately keeps the user's input.

This module sits in ``fii`` so that both apps can use it; it knows nothing of their models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

__all__ = ["StaleEdit", "VersionedForm", "colleague_values", "counter_name", "loaded_version", "refused_stale"]

# A PostgreSQL integer: a larger number in the hidden field is refused by the form, not by the database.
VERSION_LIMIT = 2**31 - 1
CONFLICT_HEADER = "X-FII-Conflict"  # static/js/fii.js swaps a 409 with this header in, like a 200


class StaleEdit(ValueError):
    """Someone else saved the same thing after this user loaded it. Here, not in an app, so that both apps
    raise the same one."""

    def __init__(self, current, fields: Iterable[str]):
        super().__init__("Stale edit")
        self.current = current
        self.fields = list(fields)


def counter_name(model: type[Model]) -> str:
    """The name of a model's edit counter: ``version``, unless the model names another in ``EDIT_COUNTER``
    (a CFIR assessment's ``version`` is the framework's)."""
    return getattr(model, "EDIT_COUNTER", "version")


def loaded_version(row: Model | None) -> int:
    """The version a form shows for ``row``; 0 for a row that does not exist yet (then a colleague who
    creates it first makes this form stale as well)."""
    if row is None or row.pk is None:
        return 0
    return getattr(row, counter_name(type(row)))


class VersionedForm:
    """Mixin for a form that edits existing rows: one hidden version field per row, as loaded.

    ``versioned`` maps the hidden field's name to the path from the form to the row (a ModelForm edits
    ``instance``); a form whose rows depend on the case overrides :meth:`versioned_rows`.
    """

    versioned: ClassVar[Mapping[str, str]] = {"version": "instance"}
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        message = gettext_lazy("This form is out of date. Open the page again and repeat your change.")
        self.version_fields = dict(self.versioned_rows())
        for name, row in self.version_fields.items():
            self.fields[name] = forms.IntegerField(
                widget=forms.HiddenInput,
                min_value=0,
                max_value=VERSION_LIMIT,
                initial=loaded_version(row),
                error_messages={key: message for key in ("required", "invalid", "min_value", "max_value")},
            )

    def versioned_rows(self) -> dict[str, Model | None]:
        """Hidden field name → the row whose version it carries."""
        return {name: attrgetter(path)(self) for name, path in self.versioned.items()}

    def clean(self):
        cleaned = super().clean()  # type: ignore[misc]
        errors = self._errors  # type: ignore[attr-defined]
        # A hidden field's error would show nowhere; the form says it above the fields instead.
        for name in self.version_fields:
            if name in errors:
                self.add_error(None, errors[name][0])  # type: ignore[attr-defined]
                break
        return cleaned

    def edited_values(self) -> dict[str, Any]:
        """The cleaned data without the version fields (valid forms only)."""
        return {name: value for name, value in self.cleaned_data.items() if name not in self.version_fields}

    def versions(self) -> dict[str, int]:
        """The versions the user loaded, by hidden field name (valid forms only)."""
        return {name: self.cleaned_data[name] for name in self.version_fields}


def _display(obj: Model, name: str, value) -> str:
    field = obj._meta.get_field(name)
    if getattr(field, "choices", None):
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if value is None:
        return ""
    return formats.localize(value) if not isinstance(value, str) else value


def colleague_values(form: forms.BaseForm, theirs: Sequence[Model | Mapping[str, str]]) -> list[tuple[str, str]]:
    """The form's visible fields as the colleague saved them: (label, value) from the first of ``theirs``
    that has a model field (or, for a mapping, a key) of that name. Form-only fields (a reason for the
    change) are left out."""
    rows = []
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        for obj in theirs:
            if isinstance(obj, Mapping):  # values already shown as text, by form field name
                if name in obj:
                    rows.append((str(field.label or name), str(obj[name])))
                    break
                continue
            try:
                obj._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            rows.append((str(field.label or name), _display(obj, name, getattr(obj, name))))
            break
    return rows


def refused_stale(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    make_form: Callable[[QueryDict], forms.BaseForm],
    theirs: Sequence[Model | Mapping[str, str]],
    versions: Mapping[str, int],
    form_name: str = "form",
) -> HttpResponse:
    """The 409 answer to a save that a colleague's save overtook.

    ``make_form`` builds the page's form from data (on a fresh copy of the row: validating a model form writes
    the input onto its instance); ``theirs`` are the rows as they are saved now, the edited row first;
    ``versions`` their current version numbers by hidden field name (without the form's prefix);
    ``form_name`` the form's name in the page's context (a page may hold another form as ``form``).
    """
    data = request.POST.copy()
    probe = make_form(data)
    for name, value in versions.items():
        data[probe.add_prefix(name)] = str(value)
    form = make_form(data)
    form.is_valid()
    by = getattr(theirs[0], "updated_by", None)  # the edited row comes first
    who = (by.get_full_name() or by.email) if by is not None else _("A colleague")
    form.add_error(
        None,
        _(
            "%(who)s saved this while you were editing, so your changes were not saved. Their version is shown "
            "below the form; your input is still in the form. Save again to replace theirs with yours."
        )
        % {"who": who},
    )
    stale = {"rows": colleague_values(form, theirs), "at": getattr(theirs[0], "updated_at", None), "by": who}
    response = render(request, template, {**context, form_name: form, "stale": stale}, status=409)
    response[CONFLICT_HEADER] = "stale-edit"
    return response
