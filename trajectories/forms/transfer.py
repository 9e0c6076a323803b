"""The import form of an organisation: one fii-trajectories JSON file (docs/export-format.md)."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_IMPORT_BYTES = 200 * 1024 * 1024  # agreements travel inside the file as base64 (at most 10 MB each)


class TrajectoryImportForm(forms.Form):
    file = forms.FileField(
        label=_("Export file (JSON)"),
        help_text=_("A file made with “Export” in this or another installation (format fii-trajectories)."),
    )
    as_copy = forms.BooleanField(
        label=_("Import trajectories that already exist here as a copy"),
        required=False,
        help_text=_("Without this, a trajectory that was imported before is refused."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 MB."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise forms.ValidationError(_("The file is not a JSON export file.")) from None
