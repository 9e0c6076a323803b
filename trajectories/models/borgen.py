"""Sustaining the intervention (Borgen, 6a and 6b): quality monitoring with fidelity checklists, feedback,
evaluations and improvements. Training the professionals (5c) lives in ``implementeren.py``."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fii.lib.history import HistoricalRecords
from fii.lib.limits import LONG_TEXT, TEXT

from .core import Trajectory
from .implementeren import Professional
from .innoveren import MethodVersion

# The default of the team's default (Organisation.fidelity_threshold), which a trajectory's quality monitoring
# starts with; each trajectory can then set its own.
DEFAULT_FIDELITY_THRESHOLD = 80


class QualityMonitoring(models.Model):
    """How quality is kept (6a): the quality guard and the monitoring instrument."""

    trajectory = models.OneToOneField(Trajectory, on_delete=models.CASCADE, related_name="quality_monitoring")
    guard_name = models.CharField(_("quality guard"), max_length=200, blank=True)
    guard_since = models.DateField(_("appointed since"), null=True, blank=True)
    instrument = models.TextField(
        _("monitoring instrument"),
        blank=True,
        help_text=_("Which instrument is used, how often and by whom, for example the fidelity checklist."),
        max_length=TEXT,
    )
    # Below this share of components carried out as intended, the fidelity trend suggests a booster (issue 22).
    fidelity_threshold = models.PositiveSmallIntegerField(
        _("fidelity threshold (%)"),
        default=DEFAULT_FIDELITY_THRESHOLD,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Below this percentage of components carried out as intended, a booster is suggested."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Raised by every save of the edit form, so a form opened before a colleague saved is refused (issue 16).
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    history_records = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("quality monitoring")
        verbose_name_plural = _("quality monitoring")
        constraints = [
            models.CheckConstraint(
                condition=Q(fidelity_threshold__gte=1, fidelity_threshold__lte=100),
                name="quality_fidelity_threshold_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory} · {self.guard_name or '—'}"


class FidelityChecklist(models.Model):
    """A checklist generated from the active components of one method version. It keeps its own copy of
    the component texts, so a later version of the method description never rewrites what was scored."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="fidelity_checklists")
    method_version = models.ForeignKey(MethodVersion, on_delete=models.PROTECT, related_name="fidelity_checklists")
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("fidelity checklist")
        verbose_name_plural = _("fidelity checklists")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trajectories:fidelity", args=[self.trajectory_id, self.pk])


class FidelityItem(models.Model):
    checklist = models.ForeignKey(FidelityChecklist, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("active component"), max_length=TEXT)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "position"], name="fidelityitem_unique_position"),
        ]

    def __str__(self) -> str:
        return self.text


class FidelityAnswer(models.TextChoices):
    JA = "ja", _("Yes, as intended")
    DEELS = "deels", _("Partly")
    NEE = "nee", _("No")
    NVT = "nvt", _("Not applicable")


class FidelityObservation(models.Model):
    """One observation of practice, scored against every item of the checklist."""

    checklist = models.ForeignKey(FidelityChecklist, on_delete=models.CASCADE, related_name="observations")
    observed_on = models.DateField(_("date of the observation"))
    observer = models.CharField(_("observer"), max_length=200, blank=True)
    # The professional (5c) whose practice was observed, when the observation is about one person (issue 22).
    professional = models.ForeignKey(
        Professional,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fidelity_observations",
        verbose_name=_("professional observed"),
    )
    note = models.TextField(_("note"), blank=True, max_length=TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-observed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.checklist} · {self.observed_on:%Y-%m-%d}"


class FidelityScore(models.Model):
    observation = models.ForeignKey(FidelityObservation, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(FidelityItem, on_delete=models.CASCADE, related_name="scores")
    answer = models.CharField(_("answer"), max_length=10, choices=FidelityAnswer.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["observation", "item"], name="fidelityscore_unique_item"),
            models.CheckConstraint(condition=Q(answer__in=FidelityAnswer.values), name="fidelityscore_answer_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.answer}"


class FeedbackSource(models.TextChoices):
    GEBRUIKERS = "gebruikers", _("Users (professionals)")
    DEELNEMERS = "deelnemers", _("Participants (clients)")
    ANDERS = "anders", _("Other")


class Feedback(models.Model):
    """Feedback from users or participants (6a), and what was changed because of it."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="feedback")
    received_on = models.DateField(_("date"))
    source = models.CharField(_("from"), max_length=20, choices=FeedbackSource.choices)
    summary = models.TextField(_("feedback"), max_length=TEXT)
    change_made = models.TextField(_("what was changed because of it"), blank=True, max_length=TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=FeedbackSource.values), name="feedback_source_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.received_on:%Y-%m-%d}"


class Evaluation(models.Model):
    """An evaluation with the executors (6b)."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="evaluations")
    held_on = models.DateField(_("date"))
    participants = models.CharField(_("who took part"), max_length=300, blank=True)
    findings = models.TextField(_("findings"), max_length=LONG_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.trajectory} · {self.held_on:%Y-%m-%d}"


class Improvement(models.Model):
    """An improvement agreed at an evaluation: what, who, by when, and when it was done."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="improvements")
    description = models.TextField(_("improvement"), max_length=TEXT)
    owner = models.CharField(_("who"), max_length=200)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("improvement")
        verbose_name_plural = _("improvements")
        ordering = ["done_on", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.done_on is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()
