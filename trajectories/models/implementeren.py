"""Selecting, training and coaching the professionals who carry the intervention (subphase 5c of
Implementeren): the training log and the professionals with the history of their states."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fii.lib.history import HistoricalRecords
from fii.lib.limits import TEXT

from .core import AppendOnlyModel, Trajectory


class TrainingKind(models.TextChoices):
    SELECTIE = "selectie", _("Selection")
    TRAINING = "training", _("Training")
    COACHING = "coaching", _("Coaching")


class TrainingActivity(models.Model):
    """One selection, training or coaching activity (5c)."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="training_activities")
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices)
    participants = models.PositiveIntegerField(_("number of participants"), validators=[MinValueValidator(0)])
    trainer = models.CharField(_("trainer or coach"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("training activity")
        verbose_name_plural = _("training activities")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TrainingKind.values), name="trainingactivity_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.held_on:%Y-%m-%d}"


class ProfessionalState(models.TextChoices):
    GESELECTEERD = "geselecteerd", _("Selected")
    GETRAIND = "getraind", _("Trained")
    GECOACHT = "gecoacht", _("Coached")
    AMBASSADEUR = "ambassadeur", _("Ambassador")
    VERTROKKEN = "vertrokken", _("Left")


class Professional(models.Model):
    """A professional of the receiving organisation who works (or will work) with the intervention."""

    State = ProfessionalState

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="professionals")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ProfessionalState.choices, default=ProfessionalState.GESELECTEERD
    )
    state_since = models.DateField(_("since"), default=timezone.localdate)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("professional")
        verbose_name_plural = _("professionals")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ProfessionalState.values), name="professional_state_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class ProfessionalStateChange(AppendOnlyModel):
    """Every state a professional went through, dated by when it happened (turnover is counted from these)."""

    professional = models.ForeignKey(Professional, on_delete=models.CASCADE, related_name="state_changes")
    from_state = models.CharField(_("from"), max_length=20, choices=ProfessionalState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=ProfessionalState.choices)
    changed_on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("state change of a professional")
        verbose_name_plural = _("state changes of professionals")
        ordering = ["-changed_on", "-pk"]
