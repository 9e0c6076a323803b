"""Phase 2 (Verkennen): the shortlist of candidate receiving organisations (2a), the orientation talks
and the agreement with the chosen one (2b), and the shared plan of approach (2c).

The criteria and the questions behind them live in ``fii.model`` with the rest of the reference model.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fii.lib.history import HistoricalRecords
from fii.lib.limits import LONG_TEXT, TEXT
from fii.model import Criterion, FinancingNeed
from organisations.models import Organisation

from .core import AppendOnlyModel, Check, Trajectory


class CandidateStatus(models.TextChoices):
    KANDIDAAT = "kandidaat", _("Candidate")
    IN_GESPREK = "in_gesprek", _("In talks")
    GEKOZEN = "gekozen", _("Chosen")
    AFGEWEZEN = "afgewezen", _("Rejected")
    TERUGGETROKKEN = "teruggetrokken", _("Withdrawn")


OPEN_CANDIDATE_STATUSES = (CandidateStatus.KANDIDAAT, CandidateStatus.IN_GESPREK)


class Candidate(models.Model):
    """An organisation on a trajectory's shortlist, as the giving organisation judges it."""

    Status = CandidateStatus

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="candidates")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("organisation")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.KANDIDAAT
    )
    motivation = models.TextField(_("why on the shortlist"), blank=True, max_length=TEXT)
    # Figure 3: the financing structure as the team judges it for this candidate. It starts from the
    # organisation's own setting but is the team's assessment, so it is kept here.
    financing = models.CharField(
        _("financing structure"),
        max_length=20,
        choices=Organisation.Financing.choices,
        default=Organisation.Financing.ONBEKEND,
    )
    # The answer to the figure-3 question for that structure: what the process needs, not a score.
    financing_need = models.CharField(
        _("what the process needs"), max_length=20, choices=FinancingNeed.choices, default=FinancingNeed.ONBEKEND
    )
    financing_note = models.TextField(_("note on the financing"), blank=True, max_length=TEXT)
    caseload = models.PositiveIntegerField(
        _("caseload"), null=True, blank=True, help_text=_("Clients per professional (full-time).")
    )
    average_length_months = models.DecimalField(
        _("average trajectory length (months)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    maximum_length_months = models.DecimalField(
        _("maximum trajectory length (months)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added on"), default=timezone.now)
    # Raised by every save of the assessment form (facts and ratings), so a stale one is refused (issue 16).
    version = models.PositiveIntegerField(default=1, editable=False)

    history_records = HistoricalRecords(excluded_fields=["version"])

    # Set by selectors.shortlist (annotations only: no field, no column): criterion → rating, how many
    # criteria are answered, and the newest talk (its prefetch ``talk_list`` is typed by the stubs' plugin).
    rating_for: dict[str, CandidateRating]
    answered: int
    latest_talk: OrientationTalk | None

    class Meta:
        verbose_name = _("candidate organisation")
        verbose_name_plural = _("candidate organisations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "organisation"], name="candidate_unique_per_trajectory"),
            models.UniqueConstraint(
                fields=["trajectory"],
                condition=Q(status=CandidateStatus.GEKOZEN),
                name="candidate_one_chosen_per_trajectory",
            ),
            models.CheckConstraint(condition=Q(status__in=CandidateStatus.values), name="candidate_status_valid"),
            models.CheckConstraint(
                condition=Q(financing__in=Organisation.Financing.values), name="candidate_financing_valid"
            ),
            models.CheckConstraint(
                condition=Q(financing_need__in=FinancingNeed.values), name="candidate_financing_need_valid"
            ),
            models.CheckConstraint(
                condition=Q(average_length_months__isnull=True)
                | Q(maximum_length_months__isnull=True)
                | Q(maximum_length_months__gte=models.F("average_length_months")),
                name="candidate_maximum_not_below_average",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("trajectories:candidate", args=[self.trajectory_id, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CANDIDATE_STATUSES


class CandidateRating(models.Model):
    """The team's answer to one shortlist criterion for one candidate, with a note."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.CharField(_("criterion"), max_length=30, choices=Criterion.choices)
    answer = models.CharField(_("answer"), max_length=20, choices=Check.choices, default=Check.ONBEKEND)
    note = models.TextField(_("note"), blank=True, max_length=TEXT)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("candidate rating")
        verbose_name_plural = _("candidate ratings")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "criterion"], name="candidaterating_unique_criterion"),
            models.CheckConstraint(condition=Q(criterion__in=Criterion.values), name="candidaterating_criterion_valid"),
            models.CheckConstraint(condition=Q(answer__in=Check.values), name="candidaterating_answer_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.criterion}: {self.answer}"


class CandidateStatusChange(AppendOnlyModel):
    """Every status a candidate went through, with who, when and why."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=CandidateStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=CandidateStatus.choices)

    class Meta:
        verbose_name = _("candidate status change")
        verbose_name_plural = _("candidate status changes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.candidate.organisation}: {self.from_status or '—'} → {self.to_status}"


class OrientationTalk(models.Model):
    """An orientation talk with a candidate (2b): who took part at which level and what was learnt."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="talks")
    held_on = models.DateField(_("date"))
    management = models.CharField(
        _("management"), max_length=300, blank=True, help_text=_("Who took part from the management.")
    )
    project_leaders = models.CharField(
        _("project leaders"), max_length=300, blank=True, help_text=_("Who took part as project leader.")
    )
    executors = models.CharField(
        _("executors"), max_length=300, blank=True, help_text=_("Which professionals from practice took part.")
    )
    learnt = models.TextField(_("what we learnt"), blank=True, max_length=TEXT)
    # Compatibility (Damschroder et al.): does the organisation see the added value, does it fit practice?
    sees_added_value = models.CharField(
        _("sees the added value?"), max_length=20, choices=Check.choices, default=Check.ONBEKEND
    )
    fits_practice = models.CharField(
        _("fits current practice?"), max_length=20, choices=Check.choices, default=Check.ONBEKEND
    )
    # Implementation readiness: will it commit its own people and means?
    commits_resources = models.CharField(
        _("commits staff and means?"), max_length=20, choices=Check.choices, default=Check.ONBEKEND
    )
    joins_team = models.CharField(
        _("takes a seat in the implementation team?"), max_length=20, choices=Check.choices, default=Check.ONBEKEND
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("orientation talk")
        verbose_name_plural = _("orientation talks")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sees_added_value__in=Check.values)
                & Q(fits_practice__in=Check.values)
                & Q(commits_resources__in=Check.values)
                & Q(joins_team__in=Check.values),
                name="orientationtalk_answers_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate.organisation} · {self.held_on:%Y-%m-%d}"

    @property
    def levels(self) -> list[str]:
        """The levels the organisation was spoken with at, in the model's order."""
        pairs = [
            (self.management, _("management")),
            (self.project_leaders, _("project leaders")),
            (self.executors, _("executors")),
        ]
        return [str(label) for who, label in pairs if who.strip()]


def agreement_upload_to(instance: Agreement, filename: str) -> str:
    # A random name: the original name is kept in the row, never used as a path.
    return f"agreements/{instance.trajectory_id}/{uuid.uuid4().hex}.pdf"


class Agreement(models.Model):
    """The agreement with the receiving organisation (2b), optionally with the signed document."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="agreements")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving organisation")
    )
    agreed_on = models.DateField(_("date of the agreement"))
    parties = models.CharField(_("parties"), max_length=500, help_text=_("Who signed, for which organisation."))
    terms = models.TextField(_("what was agreed"), max_length=LONG_TEXT)
    document = models.FileField(_("signed document (PDF)"), upload_to=agreement_upload_to, blank=True)
    document_name = models.CharField(_("file name"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-agreed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.trajectory} · {self.organisation} · {self.agreed_on:%Y-%m-%d}"

    @property
    def download_name(self) -> str:
        return PurePath(self.document_name).name or "overeenkomst.pdf"


class Plan(models.Model):
    """The plan of approach both organisations share (2c). The periodic meeting is the trajectory's
    review interval, so the plan and the stoplight cadence can never disagree."""

    trajectory = models.OneToOneField(Trajectory, on_delete=models.CASCADE, related_name="plan")
    horizon = models.TextField(
        _("point on the horizon"),
        blank=True,
        help_text=_("The shared goal both organisations work towards."),
        max_length=LONG_TEXT,
    )
    kickoff_on = models.DateField(_("date of the kick-off"), null=True, blank=True)
    kickoff_participants = models.TextField(_("who took part in the kick-off"), blank=True, max_length=TEXT)
    kickoff_notes = models.TextField(_("what was agreed at the kick-off"), blank=True, max_length=LONG_TEXT)
    meeting_notes = models.TextField(
        _("periodic meeting"),
        blank=True,
        help_text=_("Who meets, and how the time is shared between content and operational matters."),
        max_length=LONG_TEXT,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    history_records = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("plan of approach")
        verbose_name_plural = _("plans of approach")

    def __str__(self) -> str:
        return f"{self.trajectory} · {_('plan of approach')}"


class Milestone(models.Model):
    """A step on the roadmap towards the point on the horizon."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("planned date"))
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Raised by every save of the edit form, so a form opened before a colleague saved is refused (issue 16).
    version = models.PositiveIntegerField(default=1, editable=False)

    history_records = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_late(self, today=None) -> bool:
        return self.reached_on is None and self.due_on < (today or timezone.localdate())


class PeopleChange(models.Model):
    """A change of key people on either side. The model treats it as a reason to talk about shared
    ownership again, so it stays open until the team records that it did."""

    class Side(models.TextChoices):
        GEVEND = "gevend", _("Giving organisation")
        ONTVANGEND = "ontvangend", _("Receiving organisation")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="people_changes")
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    occurred_on = models.DateField(_("date of the change"))
    role = models.CharField(_("role"), max_length=200, help_text=_("For example: team leader, project leader."))
    description = models.TextField(
        _("what changed"), help_text=_("Who left, who comes instead, what it means."), max_length=TEXT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    revisited_on = models.DateField(_("ownership discussed on"), null=True, blank=True)
    revisit_note = models.TextField(_("outcome of the talk"), blank=True, max_length=TEXT)
    revisited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("change of key people")
        verbose_name_plural = _("changes of key people")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(side__in=["gevend", "ontvangend"]), name="peoplechange_side_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory} · {self.role} · {self.occurred_on:%Y-%m-%d}"

    @property
    def needs_revisit(self) -> bool:
        return self.revisited_on is None
