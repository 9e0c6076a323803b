"""Phase 3 (Innoveren): the balance between innovation and implementability (3a), the versioned method
description with its active components (3b), and CFIR assessments.

The CFIR constructs and the effectiveness ladder are reference data in ``fii.cfir`` and ``fii.model``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fii.cfir import RATING_VALUES, RATINGS, CfirVersion, Framework, all_construct_codes, framework
from fii.eric import STRATEGY_CODES
from fii.lib.history import HistoricalRecords
from fii.lib.limits import LONG_TEXT, TEXT
from fii.model import EffectivenessLevel, InterventionDatabase, RecognitionLevel, RegistrationStatus

from .core import AppendOnlyModel, Check, Trajectory


class Degree(models.TextChoices):
    LAAG = "laag", _("Low")
    MIDDEN = "midden", _("Medium")
    HOOG = "hoog", _("High")


class ImplementabilityAssessment(models.Model):
    """One dated look at the balance between innovation and implementability (3a). A new one is added
    each time the team looks again, so the balance can be followed as talks progress."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="implementability")
    assessed_on = models.DateField(_("date"), default=timezone.localdate)
    complexity = models.CharField(_("complexity"), max_length=10, choices=Degree.choices)
    complexity_rationale = models.TextField(_("why this complexity"), blank=True, max_length=TEXT)
    adaptability = models.CharField(_("adaptability"), max_length=10, choices=Degree.choices)
    adaptability_rationale = models.TextField(_("why this adaptability"), blank=True, max_length=TEXT)
    scalable = models.CharField(_("scalable?"), max_length=20, choices=Check.choices, default=Check.ONBEKEND)
    scalable_note = models.TextField(_("note on scalability"), blank=True, max_length=TEXT)
    affordable = models.CharField(_("affordable?"), max_length=20, choices=Check.choices, default=Check.ONBEKEND)
    affordable_note = models.TextField(_("note on affordability"), blank=True, max_length=TEXT)
    feasible = models.CharField(_("feasible?"), max_length=20, choices=Check.choices, default=Check.ONBEKEND)
    feasible_note = models.TextField(_("note on feasibility"), blank=True, max_length=TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("innovation and implementability assessment")
        verbose_name_plural = _("innovation and implementability assessments")
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(complexity__in=Degree.values) & Q(adaptability__in=Degree.values),
                name="implementability_levels_valid",
            ),
            models.CheckConstraint(
                condition=Q(scalable__in=Check.values) & Q(affordable__in=Check.values) & Q(feasible__in=Check.values),
                name="implementability_answers_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory} · {self.assessed_on:%Y-%m-%d}"

    @property
    def questions(self) -> list[tuple[str, str, str, str]]:
        """The three practical questions: (label, answer, answer label, note)."""
        return [
            (str(_("Scalable?")), self.scalable, self.get_scalable_display(), self.scalable_note),
            (str(_("Affordable?")), self.affordable, self.get_affordable_display(), self.affordable_note),
            (str(_("Feasible?")), self.feasible, self.get_feasible_display(), self.feasible_note),
        ]


class MethodVersion(AppendOnlyModel):
    """One saved version of the method description (3b). Versions are never changed: every save adds
    one, numbered per trajectory; the highest number is the current description."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="method_versions")
    number = models.PositiveIntegerField(_("version"))
    goal = models.TextField(_("goal"), max_length=LONG_TEXT)
    target_group = models.TextField(_("target group"), blank=True, max_length=LONG_TEXT)
    inclusion_criteria = models.TextField(_("inclusion criteria"), blank=True, max_length=LONG_TEXT)
    exclusion_criteria = models.TextField(_("exclusion criteria"), blank=True, max_length=LONG_TEXT)
    approach = models.TextField(_("approach"), blank=True, max_length=LONG_TEXT)
    preconditions = models.TextField(_("preconditions for execution"), blank=True, max_length=LONG_TEXT)
    theory = models.TextField(_("underlying theory and values"), blank=True, max_length=LONG_TEXT)
    effectiveness = models.CharField(
        _("position on the effectiveness ladder"),
        max_length=20,
        choices=EffectivenessLevel.choices,
        default=EffectivenessLevel.BESCHRIJVEND,
    )
    evidence = models.TextField(_("evidence for this position"), blank=True, max_length=LONG_TEXT)
    database = models.CharField(
        _("national database"), max_length=30, choices=InterventionDatabase.choices, default=InterventionDatabase.GEEN
    )
    registration_status = models.CharField(
        _("registration status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.NIET_AANGEMELD,
    )
    registration_date = models.DateField(_("date of the registration status"), null=True, blank=True)
    database_other = models.CharField(
        _("name of the other database"), max_length=200, blank=True, help_text=_("Only with “Other database”.")
    )
    recognition = models.CharField(
        _("recognition level"),
        max_length=30,
        choices=RecognitionLevel.choices,
        default=RecognitionLevel.GEEN,
        help_text=_("The level the Erkenningscommissie gave the intervention in this database."),
    )
    recognition_date = models.DateField(_("date of the recognition"), null=True, blank=True)

    class Meta:
        verbose_name = _("method description version")
        verbose_name_plural = _("method description versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "number"], name="methodversion_unique_number"),
            models.CheckConstraint(
                condition=Q(effectiveness__in=EffectivenessLevel.values), name="methodversion_effectiveness_valid"
            ),
            models.CheckConstraint(
                condition=Q(database__in=InterventionDatabase.values)
                & Q(registration_status__in=RegistrationStatus.values),
                name="methodversion_registration_valid",
            ),
            models.CheckConstraint(
                condition=Q(recognition__in=RecognitionLevel.values), name="methodversion_recognition_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory} · {_('version')} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("trajectories:method_version", args=[self.trajectory_id, self.number])


class ActiveComponent(models.Model):
    """An active component (werkzaam bestanddeel) of one version: what a professional visibly does."""

    version = models.ForeignKey(MethodVersion, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("active component"), max_length=TEXT)

    class Meta:
        verbose_name = _("active component")
        verbose_name_plural = _("active components")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="activecomponent_unique_position"),
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs):
        # Components belong to an immutable version.
        if self.pk is not None and not self._state.adding:
            raise ValueError("Active components are part of an immutable version.")
        super().save(*args, **kwargs)


class CfirAssessment(models.Model):
    """A CFIR assessment of a trajectory, for example per candidate organisation or per moment.

    An assessment is made in one version of the framework; its ratings use that version's construct codes.
    New assessments use the updated CFIR (2022); assessments made before both versions existed are 2009.
    """

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="cfir_assessments")
    title = models.CharField(
        _("title"), max_length=200, help_text=_("For example the organisation or the moment it is about.")
    )
    version = models.CharField(
        _("CFIR version"),
        max_length=4,
        choices=CfirVersion.choices,
        default=CfirVersion.V2022,
        help_text=_(
            "The updated CFIR (2022) fits the social domain better. Choose 2009 to work with figure 10 of the "
            "handreiking or to compare with earlier assessments."
        ),
    )
    candidate = models.ForeignKey(
        "trajectories.Candidate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cfir_assessments",
        verbose_name=_("candidate organisation"),
        help_text=_("Optional: the organisation on the shortlist this assessment is about."),
    )
    assessed_on = models.DateField(_("date"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    # Raised by every save of the rating form, so a form opened before a colleague saved is refused (issue 16).
    # Not ``version``: that is the framework's.
    edit_version = models.PositiveIntegerField(default=1, editable=False)
    EDIT_COUNTER = "edit_version"

    history_records = HistoricalRecords(excluded_fields=["edit_version"])

    class Meta:
        verbose_name = _("CFIR assessment")
        verbose_name_plural = _("CFIR assessments")
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(version__in=CfirVersion.values), name="cfirassessment_version_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trajectories:cfir", args=[self.trajectory_id, self.pk])

    @property
    def framework(self) -> Framework:
        return framework(self.version)


class CfirRating(models.Model):
    """The rating of one construct in one assessment: −2 … +2, X (mixed) or M (missing data), with a rationale.

    ``needs_review`` marks an M given when the product still explained M as "should be there but is
    missing": such a rating may really be a negative one. It stays M until the team looks at it again.
    """

    assessment = models.ForeignKey(CfirAssessment, on_delete=models.CASCADE, related_name="ratings")
    construct = models.CharField(_("construct"), max_length=10, choices=[(c, c) for c in all_construct_codes()])
    rating = models.CharField(_("rating"), max_length=2, choices=RATINGS)
    rationale = models.TextField(_("rationale"), blank=True, max_length=TEXT)
    needs_review = models.BooleanField(
        _("to be reviewed"),
        default=False,
        help_text=_("An M from before M meant missing data; check whether the construct really hinders."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("CFIR rating")
        verbose_name_plural = _("CFIR ratings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "construct"], name="cfirrating_unique_construct"),
            models.CheckConstraint(condition=Q(construct__in=all_construct_codes()), name="cfirrating_construct_valid"),
            models.CheckConstraint(condition=Q(rating__in=RATING_VALUES), name="cfirrating_rating_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.construct}: {self.rating}"


class StrategyUptake(models.Model):
    """An ERIC implementation strategy the team took up for a CFIR barrier (issue 22): as a stoplight action
    or as a milestone on the plan's roadmap, exactly one of the two.

    The strategy comes from the expert matches in ``fii.eric``; the action (who, what, by when) shows up in the
    next review's open actions, the milestone on the plan page. One uptake per strategy and barrier, so a second
    click (or a replayed form) finds the action or milestone that is already there.
    """

    rating = models.ForeignKey(CfirRating, on_delete=models.CASCADE, related_name="uptakes")
    strategy = models.CharField(
        _("implementation strategy (ERIC)"), max_length=3, choices=[(c, c) for c in STRATEGY_CODES]
    )
    action = models.ForeignKey(
        "trajectories.Action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="strategy_uptakes",
        verbose_name=_("action"),
    )
    milestone = models.ForeignKey(
        "trajectories.Milestone",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="strategy_uptakes",
        verbose_name=_("milestone"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("strategy taken up")
        verbose_name_plural = _("strategies taken up")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "strategy"], name="strategyuptake_one_per_barrier"),
            models.CheckConstraint(condition=Q(strategy__in=STRATEGY_CODES), name="strategyuptake_strategy_valid"),
            models.CheckConstraint(
                condition=Q(action__isnull=False, milestone__isnull=True)
                | Q(action__isnull=True, milestone__isnull=False),
                name="strategyuptake_action_or_milestone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating} · {self.strategy}"
