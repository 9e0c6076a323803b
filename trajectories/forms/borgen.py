"""Forms of phase 6 (Borgen)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fii.lib.conflicts import VersionedForm
from fii.lib.limits import TEXT

from ..models import (
    Evaluation,
    Feedback,
    FidelityAnswer,
    MethodVersion,
    QualityMonitoring,
)
from .implementeren import TodayDates
from .trajectories import DateInput, fields_only_helper


class QualityForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = QualityMonitoring
        fields = ["guard_name", "guard_since", "instrument", "fidelity_threshold"]
        widgets = {"guard_since": DateInput(), "instrument": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only_helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("guard_since") and not cleaned.get("guard_name"):
            self.add_error("guard_name", _("Name the quality guard."))
        return cleaned


class FidelityChecklistForm(forms.Form):
    method_version = forms.TypedChoiceField(
        label=_("Method description version"),
        coerce=int,
        required=False,
        help_text=_("The checklist takes the active components of this version."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        # One query: the versions are read once and offered newest first.
        self.versions = {v.number: v for v in MethodVersion.objects.filter(trajectory=trajectory).order_by("-number")}
        self.fields["method_version"].choices = [
            (
                number,
                _("Version %(number)s of %(date)s") % {"number": number, "date": v.created_at.strftime("%d-%m-%Y")},
            )
            for number, v in self.versions.items()
        ]
        self.fields["title"].error_messages["required"] = _("Give the checklist a title.")
        self.fields["title"].initial = _("Fidelity checklist")
        self.helper = fields_only_helper()

    @property
    def has_versions(self) -> bool:
        return bool(self.versions)

    def clean_method_version(self):
        # Without a choice, the current (latest) version is used.
        number = self.cleaned_data["method_version"]
        version = self.versions.get(number) if number else next(iter(self.versions.values()), None)
        if version is None:
            raise forms.ValidationError(_("Write the method description with its active components first (3b)."))
        return version


class ObservationForm(TodayDates, forms.Form):
    date_fields = ("observed_on",)
    observed_on = forms.DateField(label=_("Date of the observation"), widget=DateInput())
    observer = forms.CharField(label=_("Observer"), required=False, max_length=200)
    professional = forms.TypedChoiceField(
        label=_("Professional observed"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("When the observation is about one professional (5c), their fidelity is followed over time."),
    )
    note = forms.CharField(max_length=TEXT, label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items, professionals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.professionals = {p.pk: p for p in professionals}
        self.fields["professional"].choices = [("", "")] + [(pk, p.name) for pk, p in self.professionals.items()]
        if not self.professionals:
            del self.fields["professional"]
        for item in self.items:
            self.fields[f"answer_{item.position}"] = forms.ChoiceField(
                label=item.text,
                choices=FidelityAnswer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Score this active component.")},
            )
        self._setup()

    def clean(self):
        return self._clean_dates(super().clean())

    def chosen_professional(self):
        return self.professionals.get(self.cleaned_data.get("professional") or 0)

    def answers(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"answer_{item.position}"] for item in self.items}


class FeedbackForm(TodayDates, forms.ModelForm):
    date_fields = ("received_on",)

    class Meta:
        model = Feedback
        fields = ["received_on", "source", "summary", "change_made"]
        widgets = {
            "received_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "change_made": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].error_messages["required"] = _("Describe the feedback.")
        self._setup()

    def clean(self):
        return self._clean_dates(super().clean())


class EvaluationForm(TodayDates, forms.ModelForm):
    date_fields = ("held_on",)
    improvement = forms.CharField(
        max_length=TEXT, label=_("Improvement agreed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    improvement_owner = forms.CharField(label=_("Who takes it up"), required=False, max_length=200)
    improvement_due = forms.DateField(label=_("Due date"), required=False, widget=DateInput())

    class Meta:
        model = Evaluation
        fields = ["held_on", "participants", "findings"]
        widgets = {"held_on": DateInput(), "findings": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].error_messages["required"] = _("Write down the findings.")
        self._setup()

    def clean(self):
        cleaned = self._clean_dates(super().clean())
        if cleaned.get("improvement", "").strip() and not cleaned.get("improvement_owner", "").strip():
            self.add_error("improvement_owner", _("Say who takes up the improvement."))
        return cleaned

    def improvements(self) -> list[dict]:
        if not self.cleaned_data["improvement"].strip():
            return []
        return [
            {
                "description": self.cleaned_data["improvement"].strip(),
                "owner": self.cleaned_data["improvement_owner"].strip(),
                "due_on": self.cleaned_data["improvement_due"],
            }
        ]


class ImprovementForm(forms.Form):
    description = forms.CharField(max_length=TEXT, label=_("Improvement"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label=_("Who takes it up"), max_length=200)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].error_messages["required"] = _("Describe the improvement.")
        self.fields["owner"].error_messages["required"] = _("Say who takes up the improvement.")
        self.helper = fields_only_helper()
