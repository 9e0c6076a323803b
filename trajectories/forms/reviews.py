from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fii.lib.limits import TEXT
from fii.model import PHASE_SPECS, PHASES

from ..models import Action, Light, Review
from .trajectories import DateInput, fields_only_helper

LIGHT_CHOICES = [("", _("Not assessed")), *Light.choices]


class ReviewFieldsMixin:
    def _setup_attendees(self, team):
        # The checkbox widget is set in Meta.widgets, so assigning the queryset also gives it its choices.
        field = self.fields["attendees"]
        field.queryset = team
        field.label_from_instance = lambda user: user.get_full_name()
        field.help_text = _("Members of the organisations in this trajectory.")

    def _setup_stakeholders(self, stakeholders):
        field = self.fields["stakeholders_present"]
        if stakeholders is None or not stakeholders:
            del self.fields["stakeholders_present"]
            return
        field.queryset = stakeholders
        field.label_from_instance = lambda s: f"{s.person} ({s.get_level_display()})"
        field.label = _("Key figures present")
        field.help_text = _("From the stakeholder register; attending a review counts as contact.")

    def clean_held_on(self):
        # A review records a meeting that took place; a future date would also silence the overdue flag.
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("A review cannot be dated in the future."))
        return held_on


class ReviewStartForm(ReviewFieldsMixin, forms.ModelForm):
    phases = forms.MultipleChoiceField(
        label=_("Phases to review"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(p.code, f"{p.number}. {p.title}") for p in PHASES],
        error_messages={"required": _("Choose at least one phase.")},
    )

    class Meta:
        model = Review
        fields = ["held_on", "phases", "attendees", "stakeholders_present", "other_attendees"]
        widgets = {
            "held_on": DateInput(),
            "attendees": forms.CheckboxSelectMultiple,
            "stakeholders_present": forms.CheckboxSelectMultiple,
            "other_attendees": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, trajectory, team, stakeholders=None, **kwargs):
        kwargs.setdefault("initial", {}).update({"held_on": timezone.localdate(), "phases": [trajectory.current_phase]})
        super().__init__(*args, **kwargs)
        self._setup_attendees(team)
        self._setup_stakeholders(stakeholders)
        self.fields["held_on"].error_messages["required"] = _("Enter the date of the meeting.")
        self.helper = fields_only_helper()


class ReviewEditForm(ReviewFieldsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Review
        fields = ["held_on", "attendees", "stakeholders_present", "other_attendees", "summary"]
        widgets = {
            "held_on": DateInput(),
            "attendees": forms.CheckboxSelectMultiple,
            "stakeholders_present": forms.CheckboxSelectMultiple,
            "other_attendees": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"summary": _("What was decided, in a few sentences.")}

    def __init__(self, *args, team, stakeholders=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self._setup_attendees(team)
        self._setup_stakeholders(stakeholders)
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
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Action
        fields = ["description", "assignee", "due_on"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, team, milestones=None, people=None, **kwargs):
        """``milestones`` (a queryset) adds the roadmap milestone the task belongs to (plan of approach).

        ``people`` (the trajectory's key figures and team members, a list of Stakeholders) makes "who" one list
        of accounts and persons without an account: values ``u<user pk>`` and ``p<stakeholder pk>``.
        """
        super().__init__(*args, **kwargs)
        self.fields["description"].error_messages["required"] = _("Describe what needs to happen.")
        self.people = None if people is None else list(people)
        if self.people is not None:
            team = list(team)
            self.team = team
            self.fields["assignee"] = forms.ChoiceField(
                label=_("Who"),
                required=False,
                choices=[
                    ("", _("— nobody yet —")),
                    (_("With an account"), [(f"u{user.pk}", user.get_full_name()) for user in team]),
                    (
                        _("Without an account (gets no e-mail)"),
                        [(f"p{person.pk}", str(person.person)) for person in self.people],
                    ),
                ],
            )
        else:
            self.fields["assignee"].queryset = team
            self.fields["assignee"].label_from_instance = lambda user: user.get_full_name()
            self.fields["assignee"].empty_label = _("— nobody yet —")
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
        self.helper = fields_only_helper()

    def clean_assignee(self):
        """In the one-list mode: the account (``assignee``) or the person without one (``owner_person``)."""
        value = self.cleaned_data["assignee"]
        if self.people is None:
            return value
        self.cleaned_data["owner_person"] = None
        if not value:
            return None
        kind, pk = value[:1], value[1:]
        if kind == "u":
            return next(user for user in self.team if str(user.pk) == pk)
        self.cleaned_data["owner_person"] = next(person for person in self.people if str(person.pk) == pk)
        return None

    def _post_clean(self):
        if self.people is None:
            super()._post_clean()
        # One-list mode: the views pass the cleaned owner to the service; the instance is not built here.


class ActionCloseForm(forms.Form):
    action = forms.IntegerField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        max_length=TEXT, label=_("How was it resolved?"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ChecklistItemForm(forms.Form):
    text = forms.CharField(
        label=_("Checklist item"),
        max_length=300,
        error_messages={"required": _("Write what must be in order by the end of the phase.")},
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    subphase = forms.ChoiceField(label=_("Subphase"), required=False)

    def __init__(self, *args, phase: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subphase"].choices = [("", _("— none —"))] + [
            (sub.code, f"{sub.code} {sub.title}") for sub in PHASE_SPECS[phase].subphases
        ]
        self.fields["subphase"].widget.attrs["class"] = "form-select"
        self.helper = fields_only_helper()


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
