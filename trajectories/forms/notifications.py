from __future__ import annotations

from django import forms

from ..models import WEEKLY_DELIVERIES, Delivery, NotificationKind


class NotificationSettingsForm(forms.Form):
    """One choice per kind of notification: at once, in the daily digest, or off."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            choices = Delivery.choices
            if kind == NotificationKind.WEEKLY_DIGEST:
                choices = [(value, label) for value, label in Delivery.choices if value in WEEKLY_DELIVERIES]
            self.fields[kind.value] = forms.ChoiceField(label=kind.label, choices=choices, widget=forms.RadioSelect)
