from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fii.lib.conflicts import VersionedForm
from fii.lib.limits import TEXT
from fii.model import PHASE_SPECS, PHASES

from ..models import Action, Light, Review
from ..selectors_people import PersonOption, account_key, person_key, split_keys
from .trajectories import DateInput, fields_only_helper

LIGHT_CHOICES = [("", _("Not assessed")), *Light.choices]


def owner_choices(people: list[PersonOption]) -> list:
    """One select over the list of people: accounts and persons without an account in their own groups."""
    accounts = [(o.key, o.label) for o in people if o.has_account]
    persons = [(o.key, o.label) for o in people if not o.has_account]
    choices: list = [("", _("— nobody yet —"))]
    if accounts:
        choices.append((_("With an account"), accounts))
    if persons:
        choices.append((_("Without an account (gets no e-mail)"), persons))
    return choices


class ReviewFieldsMixin:
    """Attendees are one pick from the trajectory's list of people, plus guests by name (issue 18)."""

    def _setup_attendees(self, people: list[PersonOption]):
        self.people = people
        field = self.fields["present"]
        field.choices = [(o.key, o.label) for o in people]
        field.help_text = _(
            "The team, key figures and colleagues who may edit this trajectory. Taking part in a review counts "
            "as contact with a key figure."
        )
        guests = self.fields["other_attendees"]
        guests.label = _("Guests")
        guests.help_text = _("Someone who is not in the list, one per line, for example “Wethouder Jansen”.")
        self.order_fields(["held_on", "phases", "present", "other_attendees", "summary", "version"])

    def clean(self):
        cleaned = super().clean()
        cleaned["attendees"], cleaned["stakeholders_present"] = split_keys(self.people, cleaned.get("present", []))
        return cleaned

    def clean_held_on(self):
        # A review records a meeting that took place; a future date would also silence the overdue flag.
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("A review cannot be dated in the future."))
        return held_on


def attendee_keys(review: Review) -> list[str]:
    """The review's attendees (accounts and persons) as keys of the list of people."""
    return [account_key(pk) for pk in review.attendees.values_list("pk", flat=True)] + [
        person_key(pk) for pk in review.stakeholders_present.values_list("pk", flat=True)
    ]


class ReviewStartForm(ReviewFieldsMixin, forms.ModelForm):
    phases = forms.MultipleChoiceField(
        label=_("Phases to review"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(p.code, f"{p.number}. {p.title}") for p in PHASES],
        error_messages={"required": _("Choose at least one phase.")},
    )
    present = forms.MultipleChoiceField(label=_("Attendees"), required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Review
        fields = ["held_on", "phases", "other_attendees"]
        widgets = {"held_on": DateInput(), "other_attendees": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, trajectory, people: list[PersonOption], **kwargs):
        kwargs.setdefault("initial", {}).update({"held_on": timezone.localdate(), "phases": [trajectory.current_phase]})
        super().__init__(*args, **kwargs)
        self._setup_attendees(people)
        self.fields["held_on"].error_messages["required"] = _("Enter the date of the meeting.")
        self.helper = fields_only_helper()


class ReviewEditForm(ReviewFieldsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    present = forms.MultipleChoiceField(label=_("Attendees"), required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Review
        fields = ["held_on", "other_attendees", "summary"]
        widgets = {
            "held_on": DateInput(),
            "other_attendees": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"summary": _("What was decided, in a few sentences.")}

    def __init__(self, *args, people: list[PersonOption], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.fields["present"].initial = attendee_keys(self.instance)
        self._setup_attendees(people)
        self.fields["held_on"].error_messages["required"] = _("Enter the date of the meeting.")
        self.helper = fields_only_helper()


class ReviewItemForm(forms.Form):
    """One save from the meeting table: a light, a note, or both, with the values the user last saw."""

    colour = forms.ChoiceField(label=_("Light"), choices=LIGHT_CHOICES, required=False)
    note = forms.CharField(max_length=TEXT, label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expected_colour = forms.ChoiceField(choices=LIGHT_CHOICES, required=False, widget=forms.HiddenInput)
    expected_note = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)

    # Browsers send line breaks as CRLF in form posts but the hidden copy may come back with LF;
    # compare and store one form so an unchanged note never looks changed.
    def clean_note(self):
        return self.cleaned_data["note"].replace("\r\n", "\n")

    def clean_expected_note(self):
        return self.cleaned_data["expected_note"].replace("\r\n", "\n")

    def changes(self) -> dict:
        """Only the fields the request carried, so a light click never blanks the note."""
        data = {}
        if "colour" in self.data:
            data["colour"] = self.cleaned_data["colour"]
            data["expected_colour"] = self.cleaned_data["expected_colour"] if "expected_colour" in self.data else None
        if "note" in self.data:
            data["note"] = self.cleaned_data["note"]
            data["expected_note"] = self.cleaned_data["expected_note"] if "expected_note" in self.data else None
        return data


class ReviewReopenForm(forms.Form):
    reason = forms.CharField(
        max_length=TEXT,
        label=_("Why re-open this review?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason; it is kept in the review's history.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only_helper()


class ActionForm(forms.ModelForm):
    """What, who and when. "Who" is one pick from the trajectory's list of people (``selectors_people``): an account
    (``assignee``) or a person without one (``owner_person``), never a lezer."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    assignee = forms.ChoiceField(label=_("Who"), required=False)

    class Meta:
        model = Action
        fields = ["description", "due_on"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, people: list[PersonOption], milestones=None, **kwargs):
        """``milestones`` (a queryset) adds the roadmap milestone the task belongs to (plan of approach)."""
        super().__init__(*args, **kwargs)
        self.fields["description"].error_messages["required"] = _("Describe what needs to happen.")
        self.people = people
        self.fields["assignee"].choices = owner_choices(people)
        if self.instance.assignee_id:
            self.fields["assignee"].initial = account_key(self.instance.assignee_id)
        elif self.instance.owner_person_id:
            self.fields["assignee"].initial = person_key(self.instance.owner_person_id)
        if milestones is not None:
            self.fields["milestone"] = forms.ModelChoiceField(
                label=_("Milestone"),
                queryset=milestones,
                required=False,
                empty_label=_("— no milestone —"),
                initial=self.instance.milestone_id,
            )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.order_fields(["description", "assignee", "due_on", "milestone", "version"])
        self.helper = fields_only_helper()

    def clean_assignee(self):
        """The account (``assignee``) or, in ``owner_person``, the person without one."""
        users, persons = split_keys(self.people, [self.cleaned_data["assignee"]])
        self.cleaned_data["owner_person"] = persons[0] if persons else None
        return users[0] if users else None

    def _post_clean(self):
        # The views pass the cleaned values to the services; the instance is not built here (an edit that
        # meets a colleague's newer version must not change the action in memory).
        pass


class ActionCloseForm(forms.Form):
    action = forms.IntegerField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        max_length=TEXT, label=_("How was it resolved?"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ChecklistItemForm(VersionedForm, forms.Form):
    text = forms.CharField(
        label=_("Checklist item"),
        max_length=300,
        error_messages={"required": _("Write what must be in order by the end of the phase.")},
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    subphase = forms.ChoiceField(label=_("Subphase"), required=False)

    def __init__(self, *args, phase: str, item=None, **kwargs):
        self.item = item  # rewording a line; None: adding one
        super().__init__(*args, **kwargs)
        self.fields["subphase"].choices = [("", _("— none —"))] + [
            (sub.code, f"{sub.code} {sub.title}") for sub in PHASE_SPECS[phase].subphases
        ]
        self.fields["subphase"].widget.attrs["class"] = "form-select"
        self.helper = fields_only_helper()

    def versioned_rows(self):
        return {"version": self.item} if self.item is not None else {}


class ReportPeriodForm(forms.Form):
    van = forms.DateField(label=_("From"), required=False, widget=DateInput())
    tot = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("The end of the period lies before its start."))
        return cleaned

    def period(self, default):
        """The chosen period, or the default for whatever is empty or invalid."""
        from ..reports import Period

        if not self.is_bound or not self.is_valid():
            return default
        period = Period(self.cleaned_data["van"] or default.start, self.cleaned_data["tot"] or default.end)
        return period if period.start <= period.end else default
