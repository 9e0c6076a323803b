"""Forms for outcomes and reach (issue 22): an indicator (add and edit) and a measurement."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from fii.lib.conflicts import VersionedForm
from fii.lib.limits import TEXT

from ..models import Indicator, Unit
from ..models.outcomes import INDICATOR_FIELDS, MAX_VALUE
from .implementeren import TodayDates
from .trajectories import DateInput, fields_only_helper

NUMBER_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}


def _number_field(label, *, required: bool = True, help_text=""):
    # localize: a Dutch user types 7,5; the bounds keep a huge number from the database.
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        min_value=-MAX_VALUE,
        max_value=MAX_VALUE,
        localize=True,
        widget=forms.TextInput(attrs=NUMBER_ATTRS),
        help_text=help_text,
    )


class IndicatorForm(VersionedForm, forms.ModelForm):
    scale_min = _number_field(_("Lowest score"), required=False, help_text=_("Only for a score."))
    scale_max = _number_field(_("Highest score"), required=False, help_text=_("Only for a score."))
    target = _number_field(_("Target"))

    class Meta:
        model = Indicator
        fields = list(INDICATOR_FIELDS)
        widgets = {"definition": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _("Name the indicator.")
        self.fields["kind"].error_messages["required"] = _("Choose what the indicator measures.")
        self.fields["target"].error_messages["required"] = _("Enter the target.")
        for name in ("kind", "outcome"):
            choices = list(self.fields[name].choices)
            if choices and choices[0][0] == "":
                self.fields[name].choices = [("", _("— choose —")), *choices[1:]]
        self.helper = fields_only_helper()

    def versioned_rows(self):
        # The same form adds indicators: a new one has nothing a colleague could have changed yet.
        return super().versioned_rows() if self.instance.pk else {}

    def clean(self):
        cleaned = super().clean()
        unit, low, high, target = (cleaned.get(k) for k in ("unit", "scale_min", "scale_max", "target"))
        if unit == Unit.SCORE:
            if low is None:
                self.add_error("scale_min", _("A score needs a lowest value."))
            if high is None:
                self.add_error("scale_max", _("A score needs a highest value."))
            if low is not None and high is not None and low >= high:
                self.add_error("scale_max", _("The highest score must lie above the lowest."))
        elif unit:
            # The range of a percentage or count is fixed; a scale typed in by mistake is dropped.
            cleaned["scale_min"] = cleaned["scale_max"] = None
        if target is not None and unit and "scale_max" not in self.errors and "scale_min" not in self.errors:
            probe = Indicator(unit=unit, scale_min=cleaned.get("scale_min"), scale_max=cleaned.get("scale_max"))
            error = probe.range_error(target)
            if error is not None:
                self.add_error("target", error)
        return cleaned

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MeasurementForm(TodayDates, forms.Form):
    date_fields = ("measured_on",)
    measured_on = forms.DateField(label=_("Date"), widget=DateInput())
    value = _number_field(_("Value"))
    note = forms.CharField(label=_("Note"), required=False, max_length=TEXT, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["value"].error_messages["required"] = _("Enter the measured value.")
        self._setup()

    def clean(self):
        cleaned = self._clean_dates(super().clean())
        value = cleaned.get("value")
        if isinstance(value, Decimal):
            error = self.indicator.range_error(value)
            if error is not None:
                self.add_error("value", error)
        return cleaned
