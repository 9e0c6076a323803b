from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fii.lib.conflicts import VersionedForm
from fii.lib.limits import TEXT
from organisations.models import Person

from ..models import Competency, Contact, Level, ReportBack, Side, Stakeholder, TeamMandate
from .trajectories import DateInput, fields_only_helper


def _not_in_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("This date lies in the future."))
    return day


class StakeholderForm(VersionedForm, forms.ModelForm):
    """The register row plus the person's details; on adding, an existing person may be chosen instead."""

    person = forms.ModelChoiceField(
        label=_("Existing person"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— a new person (fill in below) —"),
        help_text=_(
            "Someone kept by an organisation taking part in this trajectory, or met in a trajectory you share "
            "with the organisation that keeps them."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    function = forms.CharField(label=_("Function"), max_length=150, required=False)
    employer = forms.CharField(
        label=_("Organisation"), max_length=200, required=False, help_text=_("Where this person works.")
    )
    email = forms.EmailField(
        label=_("Work e-mail"),
        required=False,
        error_messages={"invalid": _("Enter a valid e-mail address, for example naam@gemeente.nl.")},
    )
    phone = forms.CharField(label=_("Work phone"), max_length=30, required=False)
    reason = forms.CharField(
        max_length=TEXT,
        label=_("Why did the support change?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the support history when the current support changes."),
    )

    class Meta:
        model = Stakeholder
        fields = ["side", "level", "influence", "support", "desired_support", "notes"]
        widgets = {
            "influence": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, persons=None, person_editable=True, **kwargs):
        self.person_editable = person_editable  # read by versioned_rows() during super().__init__
        super().__init__(*args, **kwargs)
        self.adding = self.instance.pk is None
        if self.adding:
            self.fields["person"].queryset = persons if persons is not None else Person.objects.none()
            self.fields["person"].label_from_instance = lambda p: ", ".join(
                x for x in (p.name, p.function, p.employer) if x
            )
            del self.fields["reason"]
            if not self.fields["person"].queryset.exists():
                del self.fields["person"]
        else:
            del self.fields["person"]
            person = self.instance.person
            for name in ("name", "function", "employer", "email", "phone"):
                self.fields[name].initial = getattr(person, name)
            if person.is_erased or not person_editable:
                # Only the organisation that keeps the person changes their details (issue 16).
                for name in ("name", "function", "employer", "email", "phone"):
                    del self.fields[name]
        self.fields["side"].choices = [("", _("— choose a side —")), *Side.choices]
        self.fields["level"].choices = [("", _("— choose a level —")), *Level.choices]
        self.fields["side"].error_messages["required"] = _("Choose the side this person is on.")
        self.fields["level"].error_messages["required"] = _("Choose the level of this person.")
        self.fields["influence"].widget.attrs.update({"min": 1, "max": 5})
        self.fields["influence"].error_messages.update(
            {
                "required": _("Give the influence from 1 to 5."),
                "invalid": _("Give the influence as a whole number from 1 to 5."),
            }
        )
        self.order_fields(
            [
                "person",
                "name",
                "function",
                "employer",
                "email",
                "phone",
                "side",
                "level",
                "influence",
                "support",
                "desired_support",
                "reason",
                "notes",
            ]
        )
        self.helper = fields_only_helper()

    def versioned_rows(self):
        if self.instance.pk is None:
            return {}  # adding: there is nothing a colleague could have changed yet
        rows = {"version": self.instance}
        if self.person_editable and not self.instance.person.is_erased:
            rows["person_version"] = self.instance.person  # the person's details are edited here too
        return rows

    def clean_influence(self):
        influence = self.cleaned_data["influence"]
        if influence is not None and not 1 <= influence <= 5:
            raise forms.ValidationError(_("Give the influence as a whole number from 1 to 5."))
        return influence

    def clean(self):
        cleaned = super().clean()
        if "name" in self.fields and not cleaned.get("person") and not cleaned.get("name", "").strip():
            self.add_error("name", _("Enter the person's name, or choose an existing person."))
        return cleaned

    def person_fields(self) -> dict:
        return {
            name: self.cleaned_data[name].strip()
            for name in ("name", "function", "employer", "email", "phone")
            if name in self.cleaned_data
        }

    def stakeholder_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["date", "kind", "note"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages["required"] = _("Enter the date of the contact.")
        self.helper = fields_only_helper()

    def clean_date(self):
        return _not_in_future(self.cleaned_data["date"])


class ReportBackForm(forms.ModelForm):
    class Meta:
        model = ReportBack
        fields = ["reported_on", "stakeholder", "content"]
        widgets = {"reported_on": DateInput(), "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, stakeholders, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("reported_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = stakeholders
        self.fields["stakeholder"].label_from_instance = lambda s: str(s.person)
        self.fields["stakeholder"].empty_label = _("— not about one person —")
        self.fields["reported_on"].error_messages["required"] = _("Enter the date of the report-back.")
        self.fields["content"].error_messages["required"] = _("Write what was reported to the commissioner.")
        self.helper = fields_only_helper()

    def clean_reported_on(self):
        return _not_in_future(self.cleaned_data["reported_on"])


def competency_field():
    return forms.MultipleChoiceField(
        label=_("Competencies"),
        choices=Competency.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The competencies of subphase 5a this member brings."),
    )


class TeamMemberForm(forms.Form):
    stakeholder = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Stakeholder.objects.none(),
        help_text=_("Team members come from the stakeholder register."),
        error_messages={"required": _("Choose a person from the stakeholder register.")},
    )
    team_role = forms.CharField(label=_("Role in the team"), max_length=150, required=False)
    competencies = competency_field()
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())

    def __init__(self, *args, stakeholders, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("joined_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        field = self.fields["stakeholder"]
        field.queryset = stakeholders
        field.empty_label = _("— choose a person —")
        field.label_from_instance = lambda s: f"{s.person} ({s.get_side_display()}, {s.get_level_display()})"
        self.fields["joined_on"].error_messages["required"] = _("Enter the date the member joined.")
        self.helper = fields_only_helper()


class TeamMemberEditForm(VersionedForm, forms.Form):
    versioned = {"version": "member"}
    team_role = forms.CharField(label=_("Role in the team"), max_length=150, required=False)
    competencies = competency_field()

    def __init__(self, *args, member, **kwargs):
        self.member = member
        if member is not None:
            kwargs.setdefault(
                "initial",
                {
                    "team_role": member.team_role,
                    "competencies": [c.value for c in member.competencies()],
                },
            )
        super().__init__(*args, **kwargs)
        self.helper = fields_only_helper()


class TeamLeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput())
    reason = forms.CharField(
        max_length=TEXT, label=_("Why did the member leave?"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("left_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["left_on"].error_messages["required"] = _("Enter the date the member left.")
        self.helper = fields_only_helper()


class TeamMandateForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = TeamMandate
        fields = ["sufficient", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only_helper()


class PersonEraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the name and contact details are removed everywhere and cannot be restored."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only_helper()


__all__ = [
    "ContactForm",
    "PersonEraseForm",
    "ReportBackForm",
    "StakeholderForm",
    "TeamLeaveForm",
    "TeamMandateForm",
    "TeamMemberEditForm",
    "TeamMemberForm",
]
