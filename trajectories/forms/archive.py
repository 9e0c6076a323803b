from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for archiving"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Kept with the trajectory, so colleagues know why it was archived."),
        error_messages={"required": _("Give a reason for archiving.")},
    )
