"""The import form of an organisation: one fii-trajectories JSON file (docs/export-format.md)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..transfer_format import TransferError
from ..transfer_schema import MAX_IMPORT_BYTES, read_document


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
        # The size is known before the file is read: a larger upload is never read into memory. The limit
        # fits the worker timeout (trajectories/transfer_schema.py).
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.") % {"size": MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        try:
            return read_document(upload.read())
        except TransferError as error:
            raise forms.ValidationError(str(error)) from None
