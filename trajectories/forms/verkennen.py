"""Forms of phase 2 (Verkennen): shortlist, assessment, talks, choice, agreement and plan of approach."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fii.lib.conflicts import VersionedForm
from fii.lib.limits import TEXT
from fii.model import SHORTLIST_CRITERIA
from organisations.models import Organisation

from ..models import (
    Agreement,
    Candidate,
    CandidateStatus,
    Check,
    Milestone,
    OrientationTalk,
    PeopleChange,
    Plan,
    ReviewInterval,
    Trajectory,
)
from .trajectories import DateInput, fields_only_helper


def not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("This date lies in the future."))
    return value


class CandidateAddForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Existing organisation"), queryset=Organisation.objects.none(), required=False
    )
    new_name = forms.CharField(
        label=_("Or another organisation: its name"),
        max_length=200,
        required=False,
        help_text=_("Type the full name; an organisation that already exists under that name is used."),
    )
    new_kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=Organisation.Kind.choices, initial=Organisation.Kind.WELZIJN
    )
    new_financing = forms.ChoiceField(
        label=_("Financing structure"), choices=Organisation.Financing.choices, initial=Organisation.Financing.ONBEKEND
    )
    motivation = forms.CharField(
        max_length=TEXT, label=_("Why on the shortlist?"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.trajectory = trajectory
        on_list = trajectory.candidates.values("organisation_id")
        # Not every organisation of the installation (issue 16): those the giving organisation already works
        # with in one of its trajectories; any other is added by typing its full name below.
        own = Trajectory.objects.filter(owner_id=trajectory.owner_id)
        known = (
            Q(pk__in=own.values("receiving_organisation_id"))
            | Q(pk__in=own.values("participants"))
            | Q(pk__in=Candidate.objects.filter(trajectory__in=own).values("organisation_id"))
        )
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(known).exclude(pk=trajectory.owner_id).exclude(pk__in=on_list).distinct()
        )
        self.fields["organisation"].empty_label = _("— choose —")
        self.helper = fields_only_helper()

    def clean(self):
        cleaned = super().clean()
        organisation, name = cleaned.get("organisation"), cleaned.get("new_name", "").strip()
        if organisation and name:
            self.add_error("new_name", _("Choose an existing organisation or enter a new one, not both."))
        elif not organisation and not name:
            self.add_error("organisation", _("Choose an existing organisation or enter a new one."))
        elif name:
            # The exact name of an organisation that exists already: that one, never a look-alike.
            existing = Organisation.objects.filter(name__iexact=name).first()
            if existing is not None and self.trajectory.candidates.filter(organisation=existing).exists():
                self.add_error("new_name", _("This organisation is already on the shortlist."))
            elif existing is not None:
                cleaned["organisation"], cleaned["new_name"] = existing, ""
        return cleaned

    def new_organisation(self) -> dict | None:
        name = self.cleaned_data["new_name"].strip()
        if not name:
            return None
        return {"name": name, "kind": self.cleaned_data["new_kind"], "financing": self.cleaned_data["new_financing"]}


class CandidateAssessForm(VersionedForm, forms.ModelForm):
    """The candidate's facts and, per criterion of 2a, an answer and a note."""

    class Meta:
        model = Candidate
        fields = [
            "financing",
            "financing_need",
            "financing_note",
            "caseload",
            "average_length_months",
            "maximum_length_months",
        ]
        widgets = {
            "financing_need": forms.RadioSelect,
            "financing_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financing_need"].help_text = _(
            "Figure 3: the financing structure is no reason to drop a candidate; the answer to its question says "
            "what the process needs."
        )
        ratings = {r.criterion: r for r in self.instance.ratings.all()}
        for spec in SHORTLIST_CRITERIA:
            rating = ratings.get(spec.code)
            self.fields[f"answer_{spec.code}"] = forms.ChoiceField(
                label=spec.title,
                help_text=spec.question,
                choices=Check.choices,
                initial=rating.answer if rating else Check.ONBEKEND,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            self.fields[f"note_{spec.code}"] = forms.CharField(
                label=_("Note on %(criterion)s") % {"criterion": spec.title},
                required=False,
                initial=rating.note if rating else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["caseload"].error_messages["invalid"] = _("Enter a whole number of clients.")
        self.helper = fields_only_helper()

    def clean(self):
        cleaned = super().clean()
        average, maximum = cleaned.get("average_length_months"), cleaned.get("maximum_length_months")
        if average is not None and maximum is not None and maximum < average:
            self.add_error("maximum_length_months", _("The maximum length is shorter than the average length."))
        return cleaned

    def criterion_fields(self):
        """(spec, answer field, note field) per criterion, for the template."""
        return [(spec, self[f"answer_{spec.code}"], self[f"note_{spec.code}"]) for spec in SHORTLIST_CRITERIA]

    def facts(self) -> dict:
        facts = {name: self.cleaned_data[name] for name in self.Meta.fields}
        facts["financing_note"] = facts["financing_note"].strip()
        return facts

    def ratings(self) -> dict[str, tuple[str, str]]:
        return {
            spec.code: (self.cleaned_data[f"answer_{spec.code}"], self.cleaned_data[f"note_{spec.code}"].strip())
            for spec in SHORTLIST_CRITERIA
        }


class CandidateStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        max_length=TEXT,
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason for the change.")},
    )

    def __init__(self, *args, candidate: Candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, label)
            for value, label in CandidateStatus.choices
            if value not in (CandidateStatus.GEKOZEN, candidate.status)
        ]
        self.helper = fields_only_helper()


class CandidateChooseForm(forms.Form):
    rationale = forms.CharField(
        max_length=TEXT,
        label=_("Why this organisation?"),
        help_text=_("The decision and its rationale are kept in the candidate's history."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Explain why this organisation is chosen.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only_helper()


class TalkForm(forms.ModelForm):
    class Meta:
        model = OrientationTalk
        fields = [
            "held_on",
            "management",
            "project_leaders",
            "executors",
            "learnt",
            "sees_added_value",
            "fits_practice",
            "commits_resources",
            "joins_team",
        ]
        widgets = {
            "held_on": DateInput(),
            "learnt": forms.Textarea(attrs={"rows": 3}),
            "sees_added_value": forms.RadioSelect,
            "fits_practice": forms.RadioSelect,
            "commits_resources": forms.RadioSelect,
            "joins_team": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["held_on"].error_messages["required"] = _("Enter the date of the talk.")
        self.helper = fields_only_helper()

    def clean_held_on(self):
        return not_in_future(self.cleaned_data["held_on"])

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name, "").strip() for name in ("management", "project_leaders", "executors")):
            self.add_error("management", _("Name who took part, at one level at least."))
        return cleaned


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["agreed_on", "parties", "terms", "document"]
        widgets = {"agreed_on": DateInput(), "terms": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"] = forms.FileField(
            label=_("Signed document (PDF)"),
            required=False,
            help_text=_("Optional. A PDF of at most %(size)s.")
            % {"size": filesizeformat(settings.FII_MAX_UPLOAD_BYTES)},
            widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        )
        self.fields["agreed_on"].error_messages["required"] = _("Enter the date of the agreement.")
        self.fields["parties"].error_messages["required"] = _("Name the parties.")
        self.fields["terms"].error_messages["required"] = _("Describe what was agreed.")
        self.helper = fields_only_helper()

    def clean_agreed_on(self):
        return not_in_future(self.cleaned_data["agreed_on"])

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if not document:
            return None
        if not document.name.lower().endswith(".pdf"):
            raise forms.ValidationError(_("Only PDF files can be uploaded."))
        if document.size > settings.FII_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; at most %(limit)s is allowed.")
                % {"size": filesizeformat(document.size), "limit": filesizeformat(settings.FII_MAX_UPLOAD_BYTES)}
            )
        head = document.read(5)
        document.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("This file is not a PDF document."))
        return document


class PlanForm(forms.ModelForm):
    review_interval = forms.ChoiceField(
        label=_("Periodic meeting"),
        choices=ReviewInterval.choices,
        help_text=_("Also the rhythm of the stoplight reviews."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Plan
        fields = ["horizon", "kickoff_on", "kickoff_participants", "kickoff_notes", "meeting_notes"]
        widgets = {
            "horizon": forms.Textarea(attrs={"rows": 3}),
            "kickoff_on": DateInput(),
            "kickoff_participants": forms.Textarea(attrs={"rows": 2}),
            "kickoff_notes": forms.Textarea(attrs={"rows": 3}),
            "meeting_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_interval"].initial = trajectory.review_interval
        self.fields["version"].initial = self.instance.version
        self.helper = fields_only_helper()

    def fields_to_save(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MilestoneForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "reached_on"]
        widgets = {"due_on": DateInput(), "reached_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Name the milestone.")
        self.fields["due_on"].error_messages["required"] = _("Enter the planned date.")
        self.helper = fields_only_helper()

    def versioned_rows(self):
        # The same form adds milestones: a new one has nothing a colleague could have changed yet.
        return super().versioned_rows() if self.instance.pk else {}

    def clean_reached_on(self):
        return not_in_future(self.cleaned_data["reached_on"])


class PeopleChangeForm(forms.ModelForm):
    class Meta:
        model = PeopleChange
        fields = ["side", "occurred_on", "role", "description"]
        widgets = {"occurred_on": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("occurred_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].error_messages["required"] = _("Enter the date of the change.")
        self.fields["role"].error_messages["required"] = _("Name the role that changed hands.")
        self.fields["description"].error_messages["required"] = _("Describe what changed.")
        self.helper = fields_only_helper()


class PeopleChangeRevisitForm(forms.Form):
    revisited_on = forms.DateField(
        label=_("Ownership discussed on"),
        widget=DateInput(),
        error_messages={"required": _("Enter the date of the talk.")},
    )
    note = forms.CharField(
        max_length=TEXT,
        label=_("Outcome of the talk"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe the outcome; it is what the next person will read.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("revisited_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.helper = fields_only_helper()

    def clean_revisited_on(self):
        return not_in_future(self.cleaned_data["revisited_on"])
