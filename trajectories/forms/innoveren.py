"""Forms of phase 3 (Innoveren): implementability (3a), method description (3b) and CFIR ratings."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fii.cfir import RATINGS
from fii.lib.conflicts import VersionedForm
from fii.lib.limits import LONG_TEXT, TEXT
from fii.model import RecognitionLevel

from ..models import (
    OPEN_CANDIDATE_STATUSES,
    Candidate,
    CfirAssessment,
    Degree,
    ImplementabilityAssessment,
    MethodVersion,
)
from .trajectories import DateInput, fields_only_helper
from .verkennen import not_in_future


class ImplementabilityForm(forms.ModelForm):
    class Meta:
        model = ImplementabilityAssessment
        fields = [
            "assessed_on",
            "complexity",
            "complexity_rationale",
            "adaptability",
            "adaptability_rationale",
            "scalable",
            "scalable_note",
            "affordable",
            "affordable_note",
            "feasible",
            "feasible_note",
        ]
        widgets = {
            "assessed_on": DateInput(),
            "complexity": forms.RadioSelect,
            "adaptability": forms.RadioSelect,
            "scalable": forms.RadioSelect,
            "affordable": forms.RadioSelect,
            "feasible": forms.RadioSelect,
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in (
                    "complexity_rationale",
                    "adaptability_rationale",
                    "scalable_note",
                    "affordable_note",
                    "feasible_note",
                )
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio buttons need no empty choice; the model field would add one.
        for name in ("complexity", "adaptability"):
            self.fields[name].choices = Degree.choices
        self.fields["complexity"].error_messages["required"] = _("Choose how complex the intervention is.")
        self.fields["adaptability"].error_messages["required"] = _("Choose how adaptable the intervention is.")
        self.helper = fields_only_helper()

    def clean_assessed_on(self):
        return not_in_future(self.cleaned_data["assessed_on"])


METHOD_FIELDS = [
    "goal",
    "target_group",
    "inclusion_criteria",
    "exclusion_criteria",
    "approach",
    "preconditions",
    "theory",
    "effectiveness",
    "evidence",
    "database",
    "registration_status",
    "registration_date",
    "database_other",
    "recognition",
    "recognition_date",
]


class MethodForm(forms.ModelForm):
    components = forms.CharField(
        max_length=LONG_TEXT,
        label=_("Active components"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One per line. Describe what a professional visibly does, for example “Visits the family at home”."
        ),
    )
    reason = forms.CharField(
        max_length=TEXT,
        label=_("What changed in this version"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MethodVersion
        fields = METHOD_FIELDS
        widgets = {
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "goal",
                    "target_group",
                    "inclusion_criteria",
                    "exclusion_criteria",
                    "approach",
                    "preconditions",
                    "theory",
                    "evidence",
                )
            },
            "effectiveness": forms.RadioSelect,
            "registration_date": DateInput(),
            "recognition_date": DateInput(),
        }

    def __init__(self, *args, current: MethodVersion | None = None, **kwargs):
        if current is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = {
                **{name: getattr(current, name) for name in METHOD_FIELDS},
                "components": "\n".join(c.text for c in current.components.all()),
                "based_on": current.number,
            }
        super().__init__(*args, **kwargs)
        self.fields["goal"].error_messages["required"] = _("Describe the goal of the intervention.")
        self.fields["recognition"].required = False  # left out: not (yet) recognised
        self.fields["components"].error_messages["required"] = _("Name at least one active component.")
        self.helper = fields_only_helper()

    def component_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.cleaned_data["components"].splitlines() if line.strip(" -•\t")]

    def clean_components(self):
        lines = [line for line in self.cleaned_data["components"].splitlines() if line.strip(" -•\t")]
        if not lines:
            raise forms.ValidationError(_("Name at least one active component."))
        return self.cleaned_data["components"]

    def clean_recognition(self):
        return self.cleaned_data.get("recognition") or RecognitionLevel.GEEN

    def clean(self):
        cleaned = super().clean()
        database, status = cleaned.get("database"), cleaned.get("registration_status")
        if database == "geen" and status and status != "niet_aangemeld":
            self.add_error("database", _("Choose the database the intervention was submitted to."))
        if database == "anders" and not cleaned.get("database_other", "").strip():
            self.add_error("database_other", _("Name the database."))
        if cleaned.get("recognition") not in (None, "", "geen") and not cleaned.get("recognition_date"):
            self.add_error("recognition_date", _("Give the date of the recognition."))
        if cleaned.get("recognition") not in (None, "", "geen") and database == "geen":
            self.add_error("database", _("Choose the database in which the intervention is recognised."))
        return cleaned

    def fields_to_save(self) -> dict:
        return {name: self.cleaned_data[name] for name in METHOD_FIELDS}


class CfirAssessmentForm(forms.ModelForm):
    class Meta:
        model = CfirAssessment
        fields = ["title", "assessed_on", "version", "candidate"]
        widgets = {"assessed_on": DateInput(), "version": forms.RadioSelect}

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Give the assessment a title.")
        # Only this trajectory's shortlist; a candidate id from another trajectory is refused as invalid.
        self.fields["candidate"].queryset = Candidate.objects.filter(trajectory=trajectory).select_related(
            "organisation"
        )
        self.fields["candidate"].empty_label = _("(not about one candidate)")
        if not Candidate.objects.filter(trajectory=trajectory, status__in=OPEN_CANDIDATE_STATUSES).exists():
            self.fields["candidate"].help_text = _("The shortlist of this trajectory has no open candidates.")
        self.helper = fields_only_helper()


def field_key(code: str) -> str:
    return code.replace(".", "_")


class CfirRateForm(VersionedForm, forms.Form):
    """A rating and rationale per construct of the assessment's version; a construct may stay unrated.

    A rating flagged for review (an M from before M meant missing data) gets a "checked" box: ticking it, or
    changing the rating, clears the flag."""

    versioned = {"edit_version": "assessment"}  # the assessment's version covers all its ratings

    def __init__(self, *args, assessment: CfirAssessment, **kwargs):
        self.assessment = assessment
        super().__init__(*args, **kwargs)
        existing = {r.construct: r for r in assessment.ratings.all()}
        self.domains = []
        for domain in assessment.framework.domains:
            rows = []
            for construct in domain.constructs:
                key = field_key(construct.code)
                row = existing.get(construct.code)
                self.fields[f"rating_{key}"] = forms.ChoiceField(
                    label=construct.nl_name,
                    choices=[("", _("not rated"))] + list(RATINGS),
                    required=False,
                    initial=row.rating if row else "",
                )
                self.fields[f"rationale_{key}"] = forms.CharField(
                    max_length=TEXT,
                    label=_("Rationale"),
                    required=False,
                    initial=row.rationale if row else "",
                    widget=forms.Textarea(attrs={"rows": 1}),
                )
                if row is not None and row.needs_review:
                    self.fields[f"reviewed_{key}"] = forms.BooleanField(
                        label=_("Checked: this really is missing data"), required=False
                    )
                rows.append((construct, key))
            self.domains.append((domain, rows))

    def bound_rows(self):
        for domain, rows in self.domains:
            yield (
                domain,
                [
                    (
                        c,
                        self[f"rating_{key}"],
                        self[f"rationale_{key}"],
                        self[f"reviewed_{key}"] if f"reviewed_{key}" in self.fields else None,
                    )
                    for c, key in rows
                ],
            )

    def clean(self):
        cleaned = super().clean()
        for _domain, rows in self.domains:
            for _construct, key in rows:
                if cleaned.get(f"rationale_{key}", "").strip() and not cleaned.get(f"rating_{key}"):
                    self.add_error(f"rating_{key}", _("Give a rating with this rationale, or remove the rationale."))
        return cleaned

    def ratings(self) -> dict[str, tuple[str, str]]:
        return {
            construct.code: (self.cleaned_data[f"rating_{key}"], self.cleaned_data[f"rationale_{key}"].strip())
            for _domain, rows in self.domains
            for construct, key in rows
        }

    def reviewed(self) -> list[str]:
        return [
            construct.code
            for _domain, rows in self.domains
            for construct, key in rows
            if self.cleaned_data.get(f"reviewed_{key}")
        ]


class CfirCompareForm(forms.Form):
    """Which assessments of the trajectory to put side by side (all of them when none is ticked)."""

    assessments = forms.ModelMultipleChoiceField(
        label=_("CFIR assessments"),
        queryset=CfirAssessment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessments"].queryset = trajectory.cfir_assessments.order_by("assessed_on", "pk")


class StrategyTakeUpForm(forms.Form):
    """One suggested strategy for a barrier, taken up as an action or as a plan milestone, due on a date.

    The two buttons of the form carry ``target``; pressing Enter in the date field submits the first (action).
    """

    strategy = forms.CharField(max_length=3, widget=forms.HiddenInput)
    target = forms.ChoiceField(
        label=_("Take up as"),
        choices=[("action", _("stoplight action")), ("milestone", _("plan milestone"))],
        required=False,
    )
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)

    def clean_target(self) -> str:
        return self.cleaned_data.get("target") or "action"

    def clean_due_on(self):
        value = self.cleaned_data["due_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("This date lies in the past; choose today or a later date."))
        return value
