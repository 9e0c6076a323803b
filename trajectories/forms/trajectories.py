from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from fii.lib.conflicts import VersionedForm
from fii.lib.limits import TEXT
from fii.lib.widgets import PlainSelect
from fii.model import PHASE_ORDER, PHASE_SPECS, PHASES, Phase, recommended_start_phase
from organisations.models import Organisation

from ..models import Assignment, Progress, SubphaseState, Trajectory

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def fields_only_helper() -> FormHelper:
    """Crispy renders the fields only; the page template owns the <form> tag and the CSRF token."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def yes_no_field(label, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Please answer this question.")},
    )


class TrajectoryFieldsMixin:
    """Validation shared by the create and edit forms."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The planned end date lies before the start date."))
        return cleaned


class TrajectoryCreateForm(TrajectoryFieldsMixin, forms.ModelForm):
    has_commissioner = yes_no_field(
        _("Is there a commissioner (opdrachtgever) who asked for this innovation?"),
        _("No: the innovation starts from a signal in practice."),
    )
    receiving_identified = yes_no_field(
        _("Has the receiving organisation that will adopt the intervention already been identified?")
    )
    start_phase = forms.ChoiceField(
        label=_("Start phase"),
        required=False,
        choices=[("", _("The recommended start phase"))] + [(p.code, f"{p.number}. {p.title}") for p in PHASES],
        help_text=_("Leave this on the recommendation unless you have a reason to start elsewhere."),
    )
    override_reason = forms.CharField(
        max_length=TEXT,
        label=_("Reason for another start phase"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you start in another phase than the recommended one."),
    )

    class Meta:
        model = Trajectory
        fields = [
            "title",
            "intervention_name",
            "owner",
            "commissioner",
            "start_date",
            "end_date",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
        }

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].empty_label = None
        self.fields["title"].error_messages["required"] = _("Give the trajectory a title.")
        self.helper = fields_only_helper()

    def recommendation(self) -> Phase | None:
        """The recommended start phase for the answers given so far (bound or initial data)."""
        data = self.data if self.is_bound else self.initial
        has_commissioner = data.get("has_commissioner")
        receiving = data.get("receiving_identified")
        if has_commissioner not in ("yes", "no") or receiving not in ("yes", "no"):
            return None
        return recommended_start_phase(
            has_commissioner=has_commissioner == "yes", receiving_identified=receiving == "yes"
        )

    def recommended_spec(self):
        recommended = self.recommendation()
        return PHASE_SPECS[recommended] if recommended else None

    def start_point_matrix(self) -> list[tuple[str, list[dict]]]:
        """Figure 2 as rows of cells, with the cell matching the answers so far marked."""
        data = self.data if self.is_bound else self.initial
        answers = (data.get("has_commissioner"), data.get("receiving_identified"))
        rows = []
        for commissioned, label in (
            ("yes", _("Commissioned")),
            ("no", _("Not commissioned (signal from practice)")),
        ):
            cells = []
            for identified in ("yes", "no"):
                phase = recommended_start_phase(
                    has_commissioner=commissioned == "yes", receiving_identified=identified == "yes"
                )
                cells.append(
                    {
                        "spec": PHASE_SPECS[phase],
                        "in_figure": not (commissioned == "no" and identified == "yes"),
                        "match": answers == (commissioned, identified),
                    }
                )
            rows.append((label, cells))
        return rows

    def clean(self):
        cleaned = super().clean()
        if "has_commissioner" in cleaned and "receiving_identified" in cleaned:
            recommended = recommended_start_phase(
                has_commissioner=cleaned["has_commissioner"],
                receiving_identified=cleaned["receiving_identified"],
            )
            cleaned["start_phase"] = cleaned.get("start_phase") or recommended
            if cleaned["start_phase"] != recommended and not cleaned.get("override_reason", "").strip():
                self.add_error(
                    "override_reason",
                    _("Explain why the trajectory starts in another phase than %(phase)s.")
                    % {"phase": Phase(recommended).label},
                )
        return cleaned


class TrajectoryEditForm(TrajectoryFieldsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Trajectory
        fields = [
            "title",
            "intervention_name",
            "commissioner",
            "start_date",
            "end_date",
            "status",
            "review_interval",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Give the trajectory a title.")
        self.fields["version"].initial = self.instance.version
        self.helper = fields_only_helper()

    def changes(self) -> dict:
        """The trajectory's own fields as entered. Who takes part is not among them: that is the giving
        organisation's beheerders' decision, on its own page (``trajectories:organisations``, issue 16)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TransitionForm(forms.Form):
    to_phase = forms.ChoiceField(label=_("Move to phase"), required=False)
    complete_current = forms.BooleanField(label=_("Mark the current phase as completed"), required=False)
    completion_note = forms.CharField(
        max_length=TEXT,
        label=_("How was the completion criterion met?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        max_length=TEXT,
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason for this step; it appears in the timeline.")},
        help_text=_("Why now? What was decided, and by whom?"),
    )

    confirm_open_points = forms.BooleanField(
        label=_("Complete the phase anyway; the open points are recorded in the timeline"), required=False
    )

    def __init__(self, *args, trajectory: Trajectory, states: dict[str, str], open_points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.trajectory = trajectory
        self.open_points = list(open_points)
        if not self.open_points:
            del self.fields["confirm_open_points"]
        current = trajectory.current_phase
        choices = [("", _("— stay in the current phase —"))]
        for spec in PHASES:
            if spec.code == current:
                continue
            direction = _("forward") if spec.number > PHASE_ORDER[current] else _("back")
            status = Progress(states[spec.code]).label
            choices.append((spec.code, f"{spec.number}. {spec.title} ({status}, {direction})"))
        self.fields["to_phase"].choices = choices
        self.helper = fields_only_helper()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("to_phase") and not cleaned.get("complete_current"):
            self.add_error("to_phase", _("Choose a phase to move to, or mark the current phase as completed."))
        if cleaned.get("complete_current") and not cleaned.get("completion_note", "").strip():
            self.add_error(
                "completion_note",
                _("Describe how the completion criterion was met before completing the phase."),
            )
        if cleaned.get("complete_current") and self.open_points and not cleaned.get("confirm_open_points"):
            self.add_error(
                "confirm_open_points",
                _(
                    "The checklist of this phase still has red, orange or unassessed points (listed above). "
                    "Confirm that you complete the phase anyway, or leave it open."
                ),
            )
        return cleaned


class SubphaseForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = SubphaseState
        fields = ["status", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.instance.subphase
        # Unique ids: several subphase forms can be open on one page.
        for name, field in self.fields.items():
            field.widget.attrs["id"] = f"id_{code}_{name}"
        self.helper = fields_only_helper()


class AssignmentForm(VersionedForm, forms.ModelForm):
    commissioner = forms.CharField(label=_("Commissioner"), max_length=200, required=False)
    # The commissioner lives on the trajectory: its version is carried as well.
    versioned = {"version": "instance", "trajectory_version": "instance.trajectory"}

    class Meta:
        model = Assignment
        fields = [
            "question_origin",
            "commissioner_contact",
            "innovation_question",
            "goal",
            "target_group",
            "problem_definition",
            "question_behind_question",
            "budget",
            "frame_start",
            "frame_end",
            "scale",
            "capacity_fte",
            "political_weight",
            "policy_plan",
            "policy_targets",
            "legal_anchoring",
            "is_realistic",
            "realistic_note",
            "is_ambitious",
            "ambitious_note",
        ]
        widgets = {
            "frame_start": DateInput(),
            "frame_end": DateInput(),
            "is_realistic": forms.RadioSelect,
            "is_ambitious": forms.RadioSelect,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in [
                    "innovation_question",
                    "goal",
                    "target_group",
                    "problem_definition",
                    "question_behind_question",
                    "policy_targets",
                    "legal_anchoring",
                    "realistic_note",
                    "ambitious_note",
                ]
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].initial = self.instance.trajectory.commissioner
        self.fields["budget"].widget.attrs.update({"min": "0", "step": "0.01", "inputmode": "decimal"})
        self.fields["capacity_fte"].widget.attrs.update({"min": "0", "step": "0.1", "inputmode": "decimal"})
        self.helper = fields_only_helper()
        self.helper.render_hidden_fields = True  # the version (VersionedForm) is in no fieldset
        self.helper.layout = Layout(
            Fieldset(
                _("1a Identify the commissioner"),
                HTML(
                    '<p class="form-text">{% load i18n %}'
                    '{% translate "Where does the request for innovation come from?" %}</p>'
                ),
                "commissioner",
                "commissioner_contact",
                "question_origin",
            ),
            Fieldset(
                _("1b Identify the innovation question"),
                "innovation_question",
                "goal",
                "target_group",
                "problem_definition",
                "question_behind_question",
            ),
            Fieldset(
                _("1c Identify the execution frame"),
                "budget",
                "frame_start",
                "frame_end",
                "scale",
                "capacity_fte",
                "political_weight",
                "policy_plan",
                "policy_targets",
                "legal_anchoring",
            ),
            Fieldset(
                _("Checks on the question"),
                "is_realistic",
                "realistic_note",
                "is_ambitious",
                "ambitious_note",
            ),
        )

    def clean_budget(self):
        budget = self.cleaned_data.get("budget")
        if budget is not None and budget < 0:
            raise forms.ValidationError(_("The budget cannot be negative."))
        return budget

    def clean_capacity_fte(self):
        fte = self.cleaned_data.get("capacity_fte")
        if fte is not None and fte < 0:
            raise forms.ValidationError(_("The capacity cannot be negative."))
        return fte

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("frame_start"), cleaned.get("frame_end")
        if start and end and end < start:
            self.add_error("frame_end", _("The end of the period lies before its start."))
        return cleaned


class PortfolioFilterForm(forms.Form):
    q = forms.CharField(max_length=200, label=_("Search"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=PlainSelect,
    )
    phase = forms.ChoiceField(label=_("Current phase"), required=False, widget=PlainSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=PlainSelect)

    def __init__(self, *args, organisations, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if choices is not None:  # the same organisations as (id, name), read when the form is rendered (shown;
            # a choice is checked by the queryset)
            empty = ("", self.fields["organisation"].empty_label)
            self.fields["organisation"].choices = lambda: [empty, *choices()]
        self.fields["phase"].choices = [("", _("All"))] + [(p.code, f"{p.number}. {p.title}") for p in PHASES]
        self.fields["status"].choices = [("", _("All"))] + list(Trajectory.Status.choices)
        for name in ("organisation", "phase", "status"):
            self.fields[name].widget.attrs["class"] = "form-select"


class LearningFilterForm(forms.Form):
    """The choices on the learning page (a GET form): archived trajectories, and when to call one stalled or silent."""

    archived = forms.BooleanField(label=_("Include archived trajectories"), required=False)
    stalled_days = forms.IntegerField(
        label=_("Stalled after (days)"),
        min_value=7,
        max_value=730,
        required=False,
        help_text=_("No phase transition and no stoplight review for this many days."),
    )
    silence_days = forms.IntegerField(
        label=_("Radio silence after (days)"),
        min_value=7,
        max_value=365,
        required=False,
        help_text=_("A key figure without contact for this many days."),
    )

    def choices(self, *, stalled_days: int, silence_days: int) -> tuple[bool, int, int]:
        """(archived, stalled_days, silence_days): the valid answers, the defaults for the rest."""
        data = self.cleaned_data if self.is_valid() else {}
        return (
            bool(data.get("archived")),
            data.get("stalled_days") or stalled_days,
            data.get("silence_days") or silence_days,
        )
