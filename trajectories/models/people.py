"""Phase 4 (Versterken) and subphase 5a: key figures, their support, and the implementation team.

Support levels and team membership change over time; every change is an append-only row, so the
trend per key figure and the team's turnover can be shown without reconstructing anything.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fii.lib.history import HistoricalRecords
from fii.lib.limits import TEXT
from organisations.models import Person

from .core import AppendOnlyModel, Trajectory


class Side(models.TextChoices):
    """Figure 9 of the handreiking: who takes part."""

    GEVEND = "gevend", _("Giving organisation")
    ONTVANGEND = "ontvangend", _("Receiving organisation")
    DERDEN = "derden", _("Third party")


class Level(models.TextChoices):
    """The levels at which subphase 4a looks for key figures."""

    WETHOUDER = "wethouder", _("Alderman (wethouder)")
    BELEIDSMEDEWERKER = "beleidsmedewerker", _("Policy officer")
    LIJNMANAGER = "lijnmanager", _("Line manager")
    PROJECTLEIDER = "projectleider", _("Project leader")
    UITVOERDER = "uitvoerder", _("Executive professional")
    BURGER = "burger", _("Citizen or residents' platform")
    EXTERN = "extern", _("External organisation")


class Support(models.TextChoices):
    ONBEKEND = "onbekend", _("Unknown")
    TEGEN = "tegen", _("Against")
    NEUTRAAL = "neutraal", _("Neutral")
    STEUNEND = "steunend", _("Supportive")
    AMBASSADEUR = "ambassadeur", _("Ambassador")


# Position on the scale; unknown has none (it is not "against").
SUPPORT_RANK = {Support.TEGEN: 1, Support.NEUTRAAL: 2, Support.STEUNEND: 3, Support.AMBASSADEUR: 4}
KEY_FIGURE_INFLUENCE = 4


class Stakeholder(models.Model):
    """A person in one trajectory's stakeholder register (subphase 4a)."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="stakeholders")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="stakeholder_roles", verbose_name=_("person")
    )
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    influence = models.PositiveSmallIntegerField(
        _("influence"), help_text=_("1 (little) to 5 (decisive) on the success of the implementation.")
    )
    support = models.CharField(_("current support"), max_length=20, choices=Support.choices, default=Support.ONBEKEND)
    desired_support = models.CharField(
        _("desired support"), max_length=20, choices=Support.choices, default=Support.STEUNEND
    )
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Raised by every save of the edit form, so a form opened before a colleague saved is refused (issue 16).
    version = models.PositiveIntegerField(default=1, editable=False)

    history_records = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["-influence", "person__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "person"], name="stakeholder_unique_person_per_trajectory"),
            models.CheckConstraint(condition=Q(influence__gte=1, influence__lte=5), name="stakeholder_influence_1_5"),
            models.CheckConstraint(condition=Q(side__in=Side.values), name="stakeholder_side_valid"),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="stakeholder_level_valid"),
            models.CheckConstraint(condition=Q(support__in=Support.values), name="stakeholder_support_valid"),
            models.CheckConstraint(
                condition=Q(desired_support__in=Support.values), name="stakeholder_desired_support_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.trajectory}"

    def get_absolute_url(self) -> str:
        return reverse("trajectories:stakeholder", args=[self.trajectory_id, self.pk])

    @property
    def is_key_figure(self) -> bool:
        return self.influence >= KEY_FIGURE_INFLUENCE

    @property
    def support_gap(self) -> bool:
        """Support is known and below what the team wants."""
        have, want = SUPPORT_RANK.get(self.support), SUPPORT_RANK.get(self.desired_support)
        return have is not None and want is not None and have < want


class ContactKind(models.TextChoices):
    GESPREK = "gesprek", _("Conversation")
    OVERLEG = "overleg", _("Meeting")
    TELEFOON = "telefoon", _("Phone call")
    EMAIL = "email", _("E-mail")
    BIJEENKOMST = "bijeenkomst", _("Event or presentation")


class Contact(models.Model):
    """A contact or meeting with a stakeholder (subphase 4b)."""

    Kind = ContactKind

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GESPREK)
    note = models.CharField(_("short note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["stakeholder", "-date"])]
        constraints = [models.CheckConstraint(condition=Q(kind__in=ContactKind.values), name="contact_kind_valid")]

    def __str__(self) -> str:
        return f"{self.stakeholder} · {self.date:%Y-%m-%d}"


class SupportChange(AppendOnlyModel):
    """A stakeholder's support level moved (or was first set): the trend per stakeholder."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="support_changes")
    from_support = models.CharField(_("from"), max_length=20, choices=Support.choices, blank=True)
    to_support = models.CharField(_("to"), max_length=20, choices=Support.choices)

    class Meta:
        verbose_name = _("support change")
        verbose_name_plural = _("support changes")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(to_support__in=Support.values), name="supportchange_to_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder}: {self.from_support or '—'} → {self.to_support}"


class ReportBack(models.Model):
    """Support could not be restored, and the team told the commissioner (end of subphase 4b)."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="report_backs")
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_backs",
        verbose_name=_("about stakeholder"),
    )
    reported_on = models.DateField(_("date"), default=timezone.localdate)
    content = models.TextField(_("what was reported"), max_length=TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("report-back to the commissioner")
        verbose_name_plural = _("report-backs to the commissioner")
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.trajectory} · {self.reported_on:%Y-%m-%d}"


class Competency(models.TextChoices):
    """The competencies subphase 5a wants present in the implementation team."""

    LEIDERSCHAP = "leiderschap", _("Leadership")
    INHOUDELIJK = "inhoudelijk", _("Content knowledge")
    PRAKTIJK = "praktijk", _("Practical experience")
    COMMUNICATIE = "communicatie", _("Communication & marketing")
    COORDINATIE = "coordinatie", _("Coordination & administration")


COMPETENCY_FIELDS = {
    Competency.LEIDERSCHAP: "has_leadership",
    Competency.INHOUDELIJK: "has_content_knowledge",
    Competency.PRAKTIJK: "has_practical_experience",
    Competency.COMMUNICATIE: "has_communication",
    Competency.COORDINATIE: "has_coordination",
}
TEAM_SIZE_MIN, TEAM_SIZE_MAX = 2, 3


class TeamMember(models.Model):
    """A member of the implementation team (subphase 5a), chosen from the stakeholder register."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="team_members")
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.PROTECT, related_name="team_memberships", verbose_name=_("person")
    )
    team_role = models.CharField(
        _("role in the team"), max_length=150, blank=True, help_text=_("For example: chair, secretary.")
    )
    has_leadership = models.BooleanField(Competency.LEIDERSCHAP.label, default=False)
    has_content_knowledge = models.BooleanField(Competency.INHOUDELIJK.label, default=False)
    has_practical_experience = models.BooleanField(Competency.PRAKTIJK.label, default=False)
    has_communication = models.BooleanField(Competency.COMMUNICATIE.label, default=False)
    has_coordination = models.BooleanField(Competency.COORDINATIE.label, default=False)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    # Raised by every save of the edit form, so a form opened before a colleague saved is refused (issue 16).
    version = models.PositiveIntegerField(default=1, editable=False)

    history_records = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "stakeholder"],
                condition=Q(left_on__isnull=True),
                name="teammember_once_active_per_trajectory",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="teammember_left_not_before_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder.person} · {self.trajectory}"

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    def competency_flags(self) -> list[bool]:
        """One flag per competency, in the model's order (for tables)."""
        return [getattr(self, name) for name in COMPETENCY_FIELDS.values()]

    def competencies(self) -> list[Competency]:
        return [c for c, name in COMPETENCY_FIELDS.items() if getattr(self, name)]


class TeamMandate(models.Model):
    """Whether the implementation team has enough mandate, and who gave it."""

    trajectory = models.OneToOneField(Trajectory, on_delete=models.CASCADE, related_name="team_mandate")
    sufficient = models.BooleanField(_("the team has sufficient mandate"), default=False)
    note = models.TextField(
        _("who gave the mandate"), blank=True, help_text=_("Who gave it, and for which decisions."), max_length=TEXT
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Raised by every save of the edit form, so a form opened before a colleague saved is refused (issue 16).
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history_records = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("team mandate")
        verbose_name_plural = _("team mandates")

    def __str__(self) -> str:
        return f"{self.trajectory} · {self.sufficient}"


class TeamChangeKind(models.TextChoices):
    JOINED = "erbij", _("Joined")
    LEFT = "eraf", _("Left")


class TeamChange(AppendOnlyModel):
    """A member joined or left the implementation team: the change log (turnover is a risk)."""

    Kind = TeamChangeKind

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="team_changes")
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("team change")
        verbose_name_plural = _("team changes")
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TeamChangeKind.values), name="teamchange_kind_valid")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_kind_display()}"
