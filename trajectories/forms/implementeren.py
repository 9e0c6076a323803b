"""Forms of subphase 5c: the training log and the professionals."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Professional, ProfessionalState, TrainingActivity
from .trajectories import DateInput, fields_only_helper
from .verkennen import not_in_future


class TodayDates:
    """Date fields that default to today and may not lie in the future (the forms of 5c and phase 6)."""

    date_fields: tuple[str, ...] = ()

    def _setup(self):
        # Django's own empty choice label has no Dutch translation; offer ours.
        for field in self.fields.values():
            if isinstance(field, forms.TypedChoiceField) and field.choices and field.choices[0][0] == "":
                field.choices = [("", _("— choose —")), *field.choices[1:]]
        for name in self.date_fields:
            self.fields[name].initial = timezone.localdate()
            self.fields[name].error_messages["required"] = _("Enter the date.")
        self.helper = fields_only_helper()

    def _clean_dates(self, cleaned):
        for name in self.date_fields:
            if cleaned.get(name):
                try:
                    not_in_future(cleaned[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned


class TrainingForm(TodayDates, forms.ModelForm):
    date_fields = ("held_on",)

    class Meta:
        model = TrainingActivity
        fields = ["held_on", "kind", "participants", "trainer", "notes"]
        widgets = {"held_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].error_messages["required"] = _("Enter the number of participants.")
        self._setup()

    def clean(self):
        return self._clean_dates(super().clean())


class ProfessionalForm(TodayDates, forms.ModelForm):
    date_fields = ("state_since",)

    class Meta:
        model = Professional
        fields = ["name", "role", "state", "state_since"]
        widgets = {"state_since": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _("Enter the name.")
        self._setup()

    def clean(self):
        return self._clean_dates(super().clean())


class ProfessionalStateForm(TodayDates, forms.Form):
    date_fields = ("changed_on",)
    state = forms.ChoiceField(label=_("New state"), choices=ProfessionalState.choices)
    changed_on = forms.DateField(label=_("Date"), widget=DateInput())
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup()

    def clean(self):
        return self._clean_dates(super().clean())
