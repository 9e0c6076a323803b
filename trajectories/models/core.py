from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fii.lib.history import HistoricalRecords
from fii.lib.limits import LONG_TEXT, TEXT
from fii.model import PHASE_ORDER, Phase, StartPoint, Subphase, phase_spec, recommended_start_phase, start_point
from organisations.models import Organisation, Role

if TYPE_CHECKING:
    from ..selectors import Cadence
    from ..selectors_outcomes import OutcomeSummary


class Progress(models.TextChoices):
    NIET_GESTART = "niet_gestart", _("Not started")
    BEZIG = "bezig", _("In progress")
    AFGEROND = "afgerond", _("Completed")
    OVERGESLAGEN = "overgeslagen", _("Skipped")


class TrajectoryStatus(models.TextChoices):
    ACTIEF = "actief", _("Active")
    GEPAUZEERD = "gepauzeerd", _("Paused")
    AFGEROND = "afgerond", _("Completed")
    GESTOPT = "gestopt", _("Stopped")


CLOSED_STATUSES = (TrajectoryStatus.AFGEROND, TrajectoryStatus.GESTOPT)


class Check(models.TextChoices):
    """An answer to one of the model's questions: yes, partly, no, or not yet known."""

    JA = "ja", _("Yes")
    DEELS = "deels", _("Partly")
    NEE = "nee", _("No")
    ONBEKEND = "onbekend", _("Not yet known")


class ReviewInterval(models.TextChoices):
    """How often the core team holds its stoplight review (the periodic meeting of subphase 2c)."""

    TWEEWEKELIJKS = "tweewekelijks", _("Every two weeks")
    MAANDELIJKS = "maandelijks", _("Monthly")
    PER_KWARTAAL = "per_kwartaal", _("Quarterly")

    def after(self, day: dt.date) -> dt.date:
        if self == ReviewInterval.TWEEWEKELIJKS:
            return day + dt.timedelta(days=14)
        return day + relativedelta(months=1 if self == ReviewInterval.MAANDELIJKS else 3)


class Trajectory(models.Model):
    Status = TrajectoryStatus
    ReviewInterval = ReviewInterval

    title = models.CharField(_("title"), max_length=200)
    intervention_name = models.CharField(
        _("intervention"),
        max_length=200,
        blank=True,
        help_text=_("The name of the intervention or way of working."),
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="owned_trajectories",
        verbose_name=_("giving organisation"),
    )
    receiving_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="receiving_trajectories",
        verbose_name=_("receiving organisation"),
        null=True,
        blank=True,
        help_text=_("The organisation that will adopt the intervention; usually chosen in phase 2."),
    )
    participants = models.ManyToManyField(
        Organisation,
        related_name="participating_trajectories",
        verbose_name=_("other participating organisations"),
        blank=True,
    )
    commissioner = models.CharField(
        _("commissioner"),
        max_length=200,
        blank=True,
        help_text=_("Who commissions the trajectory (opdrachtgever)."),
    )
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("planned end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIEF)

    # The start-point question of figure 2, as answered when the trajectory was created.
    has_commissioner = models.BooleanField(_("commissioned"), default=False)
    receiving_identified = models.BooleanField(_("receiving organisation identified"), default=False)
    start_phase = models.CharField(_("start phase"), max_length=20, choices=Phase.choices)
    start_override_reason = models.TextField(_("reason for another start phase"), blank=True, max_length=TEXT)

    current_phase = models.CharField(_("current phase"), max_length=20, choices=Phase.choices)
    review_interval = models.CharField(
        _("review interval"),
        max_length=20,
        choices=ReviewInterval.choices,
        default=ReviewInterval.TWEEWEKELIJKS,
        help_text=_("How often the core team holds its stoplight review."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Raised by every change of the trajectory's own fields, so an edit form opened before it is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The trajectory's identity across installations: export files refer to it, and an import refuses
    # a trajectory whose key is already present (docs/export-format.md).
    export_key = models.UUIDField(_("export key"), default=uuid.uuid4, unique=True, editable=False)
    # The key an imported trajectory keeps in export files when its export key had to differ: the file's key
    # was held by another organisation's trajectory. Exports write this one, so what an organisation gets
    # back never shows that the key exists elsewhere (issue 16); empty for every other trajectory.
    file_key = models.UUIDField(_("key in export files"), null=True, blank=True, editable=False, db_index=True)
    # Set by trajectory_update when the status becomes afgerond or gestopt (cleared when it is re-opened);
    # the retention period counts from here.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    # Archived instead of deleted: hidden from lists and read-only until a beheerder restores it.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("archived by"),
        editable=False,
    )
    archive_reason = models.TextField(_("reason for archiving"), blank=True, editable=False, max_length=TEXT)
    # Set by the apply_retention command once the personal data of the closed trajectory was anonymised.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    # Derived, kept by trajectories/review_schedule.py (its docstring has the rule): the next stoplight review as
    # next_review_on() computes it on the day of the last write, and the day a review dated after that day takes
    # effect. Mijn week reads the 40 most urgent from the index below instead of computing every trajectory's.
    review_due_on = models.DateField(null=True, blank=True, editable=False)
    review_due_stale_on = models.DateField(null=True, blank=True, editable=False)

    history_records = HistoricalRecords(
        excluded_fields=["version", "export_key", "file_key", "review_due_on", "review_due_stale_on"]
    )

    # Values the selectors set on a trajectory they read (annotations only: no field, no column), declared here
    # so the type checker knows what a page may read: ``cadence`` and ``light_trend`` after
    # selectors.add_light_summaries, ``outcomes`` after selectors_outcomes.add_outcome_summaries. What a
    # queryset's annotate() adds is typed where it is read (WithAnnotations in the selectors).
    cadence: Cadence
    light_trend: str
    outcomes: OutcomeSummary

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="trajectory_end_not_before_start",
            ),
            models.CheckConstraint(condition=Q(status__in=TrajectoryStatus.values), name="trajectory_status_valid"),
            models.CheckConstraint(condition=Q(current_phase__in=Phase.values), name="trajectory_current_phase_valid"),
            models.CheckConstraint(condition=Q(start_phase__in=Phase.values), name="trajectory_start_phase_valid"),
            models.CheckConstraint(
                condition=Q(review_interval__in=ReviewInterval.values), name="trajectory_review_interval_valid"
            ),
            models.CheckConstraint(
                condition=~Q(receiving_organisation=models.F("owner")),
                name="trajectory_receiving_is_not_owner",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "current_phase"]),
            # Mijn week's most urgent: active trajectories in order of their next review (review_schedule.py).
            models.Index(
                fields=["review_due_on", "id"],
                condition=Q(status=TrajectoryStatus.ACTIEF, archived_at__isnull=True),
                name="trajectory_review_due_active",
            ),
            # The few whose stored next review may be stale (review_schedule.py): found without a scan.
            models.Index(
                fields=["id"],
                condition=Q(review_due_stale_on__isnull=False) | Q(review_due_on__isnull=True),
                name="trajectory_review_due_stale",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trajectories:detail", args=[self.pk])

    def visibility(self) -> tuple:
        """What decides who finds the trajectory in their lists: its organisations, and whether it is archived."""
        return (
            self.__dict__.get("owner_id"),
            self.__dict__.get("receiving_organisation_id"),
            self.__dict__.get("archived_at") is None,
        )

    def save_changes(self, *fields: str) -> None:
        """Save these fields and raise the version (see ``trajectory_update``)."""
        self.version = models.F("version") + 1
        self.save(update_fields=[*fields, "version", "updated_at"])
        self.refresh_from_db(fields=["version"])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def recommended_start_phase(self) -> Phase:
        return recommended_start_phase(
            has_commissioner=self.has_commissioner, receiving_identified=self.receiving_identified
        )

    def start_point(self) -> StartPoint:
        """Its cell of figure 2, with the points of attention that go with it."""
        point = start_point(has_commissioner=self.has_commissioner, receiving_identified=self.receiving_identified)
        return point.for_trajectory(receiving_recorded=self.receiving_organisation_id is not None)

    @property
    def current_phase_spec(self):
        return phase_spec(self.current_phase)

    def organisation_ids(self) -> set[int]:
        ids = {self.owner_id, *(o.pk for o in self.participants.all())}
        if self.receiving_organisation_id:
            ids.add(self.receiving_organisation_id)
        return ids

    def role_for(self, memberships: dict[int, str]) -> Role | None:
        """The highest role the user has in any organisation taking part; None means no access."""
        roles = [Role(memberships[org_id]) for org_id in self.organisation_ids() if org_id in memberships]
        return max(roles, key=lambda r: r.rank, default=None)

    def next_review_on(self, *, last_review_on: dt.date | None, phase_started_on: dt.date | None) -> dt.date:
        """The next stoplight review follows the last one by the review interval.

        Before the first review the interval counts from the start of the current phase.
        """
        base = last_review_on or phase_started_on or self.start_date
        return ReviewInterval(self.review_interval).after(base)

    def review_is_overdue(self, next_review_on: dt.date, *, today: dt.date | None = None) -> bool:
        """Only active trajectories are expected to meet; paused or closed ones are never overdue."""
        return self.status == TrajectoryStatus.ACTIEF and next_review_on < (today or timezone.localdate())

    def open_review(self):
        """The review still being held (at most one, by a database constraint), or None."""
        return self.reviews.filter(finalised_at__isnull=True).first()

    def phase_states_in_order(self) -> list[PhaseState]:
        # Works from a prefetch as well as without one.
        return sorted(self.phase_states.all(), key=lambda s: PHASE_ORDER[s.phase])


class VisibilityRelation(models.TextChoices):
    OWNER = "owner", _("giving organisation")
    RECEIVING = "receiving", _("receiving organisation")
    PARTICIPANT = "participant", _("participating organisation")


class Visibility(models.Model):
    """Which organisation takes part in which trajectory: derived from ``owner``, ``receiving_organisation`` and
    ``participants``, so that "which trajectories does this user see" is one index lookup on (organisation,
    trajectory) instead of a scan of every trajectory. Kept by :mod:`trajectories.visibility`; the command
    ``verify_visibility`` recomputes it from the source fields and compares."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique index leads with it
    )
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="visibility_rows")
    relation = models.CharField(max_length=12, choices=VisibilityRelation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "trajectory"], name="visibility_organisation_trajectory")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.trajectory_id} ({self.relation})"


PHASE_LABELS = dict(Phase.choices)
PROGRESS_LABELS = dict(Progress.choices)


class PhaseState(models.Model):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="phase_states")
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    status = models.CharField(_("status"), max_length=20, choices=Progress.choices, default=Progress.NIET_GESTART)
    completion_note = models.TextField(
        _("completion note"), blank=True, help_text=_("How the phase's completion criterion was met."), max_length=TEXT
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("phase state")
        verbose_name_plural = _("phase states")
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "phase"], name="phasestate_unique_per_trajectory"),
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="phasestate_phase_valid"),
            models.CheckConstraint(condition=Q(status__in=Progress.values), name="phasestate_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory} · {self.get_phase_display()}: {self.get_status_display()}"

    @property
    def spec(self):
        return phase_spec(self.phase)

    @property
    def number(self) -> int:
        return PHASE_ORDER[self.phase]

    # get_FOO_display() rebuilds a dict of all choices on every call; the phase bar asks 24 times a row.
    @property
    def phase_label(self):
        return PHASE_LABELS.get(self.phase, self.phase)

    @property
    def status_label(self):
        return PROGRESS_LABELS.get(self.status, self.status)


class SubphaseState(models.Model):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="subphase_states")
    subphase = models.CharField(_("subphase"), max_length=2, choices=Subphase.choices)
    status = models.CharField(_("status"), max_length=20, choices=Progress.choices, default=Progress.NIET_GESTART)
    notes = models.TextField(
        _("notes and answers"), blank=True, help_text=_("The team's answers to the guiding question."), max_length=TEXT
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Raised by every save of the edit form, so a form opened before a colleague saved is refused (issue 16).
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    history_records = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("subphase state")
        verbose_name_plural = _("subphase states")
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "subphase"], name="subphasestate_unique_per_trajectory"),
            models.CheckConstraint(condition=Q(subphase__in=Subphase.values), name="subphasestate_subphase_valid"),
            models.CheckConstraint(condition=Q(status__in=Progress.values), name="subphasestate_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory} · {self.subphase}"


class AppendOnlyModel(models.Model):
    """History rows are written once and never changed; each says who did what, when and why."""

    reason = models.TextField(_("reason"), blank=True, max_length=TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} rows are append-only.")


class PhaseTransition(AppendOnlyModel):
    """One move of a trajectory between phases: from, to, who, when and why."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.CharField(_("from phase"), max_length=20, choices=Phase.choices, blank=True)
    from_status = models.CharField(_("status of the phase left"), max_length=20, choices=Progress.choices, blank=True)
    to_phase = models.CharField(_("to phase"), max_length=20, choices=Phase.choices)
    to_status_before = models.CharField(
        _("earlier status of the phase entered"), max_length=20, choices=Progress.choices, blank=True
    )
    open_points = models.TextField(
        _("open points at completion"),
        blank=True,
        help_text=_("Checklist items that were red, orange or not assessed when the phase was completed."),
        max_length=LONG_TEXT,
    )

    class Meta:
        verbose_name = _("phase transition")
        verbose_name_plural = _("phase transitions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(to_phase__in=Phase.values), name="transition_to_phase_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory}: {self.from_phase or '—'} → {self.to_phase}"

    @property
    def is_start(self) -> bool:
        return not self.from_phase

    @property
    def is_completion_only(self) -> bool:
        return self.from_phase == self.to_phase

    @property
    def direction(self) -> str:
        if self.is_start or self.is_completion_only:
            return ""
        return "forward" if PHASE_ORDER[self.to_phase] > PHASE_ORDER[self.from_phase] else "back"

    @property
    def is_reopening(self) -> bool:
        return self.to_status_before == Progress.AFGEROND and not self.is_completion_only


class Assignment(models.Model):
    """Phase 1 (Signaleren): the assignment, its question and its frame (subphases 1a–1c)."""

    class Origin(models.TextChoices):
        BELEID = "beleid", _("Policy or council")
        PRAKTIJK = "praktijk", _("Signal from practice")
        EXTERNE_ORGANISATIE = "externe_organisatie", _("External organisation")
        AANBESTEDING = "aanbesteding", _("Tender or subsidy scheme")
        FINANCIER = "financier", _("Funder")
        ANDERS = "anders", _("Other")

    class Weight(models.TextChoices):
        LAAG = "laag", _("Low")
        GEMIDDELD = "gemiddeld", _("Medium")
        HOOG = "hoog", _("High")

    Check = Check

    trajectory = models.OneToOneField(Trajectory, on_delete=models.CASCADE, related_name="assignment")

    # 1a
    question_origin = models.CharField(_("origin of the question"), max_length=30, choices=Origin.choices, blank=True)
    commissioner_contact = models.CharField(
        _("contact at the commissioner"), max_length=200, blank=True, help_text=_("Name and role.")
    )
    # 1b
    innovation_question = models.TextField(_("innovation question"), blank=True, max_length=LONG_TEXT)
    goal = models.TextField(_("goal"), blank=True, max_length=LONG_TEXT)
    target_group = models.TextField(_("target group"), blank=True, max_length=LONG_TEXT)
    problem_definition = models.TextField(_("problem definition"), blank=True, max_length=LONG_TEXT)
    question_behind_question = models.TextField(_("question behind the question"), blank=True, max_length=LONG_TEXT)
    # 1c
    budget = models.DecimalField(
        _("budget (euro)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    frame_start = models.DateField(_("frame period from"), null=True, blank=True)
    frame_end = models.DateField(_("frame period until"), null=True, blank=True)
    scale = models.CharField(
        _("scale"), max_length=200, blank=True, help_text=_("For example: two districts, 150 households.")
    )
    capacity_fte = models.DecimalField(
        _("capacity (FTE)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    political_weight = models.CharField(_("political weight"), max_length=20, choices=Weight.choices, blank=True)
    policy_plan = models.CharField(
        _("policy plan"),
        max_length=200,
        blank=True,
        help_text=_("The policy plan the question is anchored in."),
    )
    policy_targets = models.TextField(_("targets in the policy plan"), blank=True, max_length=LONG_TEXT)
    legal_anchoring = models.TextField(_("legal anchoring"), blank=True, max_length=LONG_TEXT)
    # The two checks phase 1 asks for.
    is_realistic = models.CharField(
        _("realistic within the frame?"), max_length=20, choices=Check.choices, default=Check.ONBEKEND
    )
    realistic_note = models.TextField(_("explanation (realistic)"), blank=True, max_length=TEXT)
    is_ambitious = models.CharField(
        _("ambitious enough?"), max_length=20, choices=Check.choices, default=Check.ONBEKEND
    )
    ambitious_note = models.TextField(_("explanation (ambitious)"), blank=True, max_length=TEXT)

    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Raised by every save of the edit form, so a form opened before a colleague saved is refused (issue 16).
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history_records = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("assignment (phase 1)")
        verbose_name_plural = _("assignments (phase 1)")
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="assignment_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(capacity_fte__isnull=True) | Q(capacity_fte__gte=0),
                name="assignment_fte_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(frame_start__isnull=True)
                | Q(frame_end__isnull=True)
                | Q(frame_end__gte=models.F("frame_start")),
                name="assignment_frame_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory} · {_('assignment')}"
