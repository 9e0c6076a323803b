"""The stoplight method (subphase 5b): checklists per phase and the periodic review of them.

A checklist item belongs to one trajectory and one phase and is copied from the owner's template
when the phase starts. A review is one meeting of the core team: every active item of the phases it
covers gets a light (green, orange, red, or not yet assessed), a note, and where needed an action.
Actions live on the trajectory, not on the review, so open ones reappear at the next meeting.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fii.lib.history import HistoricalRecords
from fii.lib.limits import LONG_TEXT, TEXT
from fii.model import Phase, Subphase
from organisations.models import Organisation

from .core import AppendOnlyModel, Trajectory


class Light(models.TextChoices):
    """A stoplight colour. The empty value means "not assessed": grey, never silently green."""

    GROEN = "groen", _("Green")
    ORANJE = "oranje", _("Orange")
    ROOD = "rood", _("Red")


NOT_ASSESSED_LABEL = _("Not assessed")


def light_label(colour: str):
    return Light(colour).label if colour else NOT_ASSESSED_LABEL


LIGHT_SEVERITY = {Light.ROOD: 3, Light.ORANJE: 2, "": 1, Light.GROEN: 0}


def overall_light(colours: Iterable[str]) -> str:
    """Red if any item is red, else orange if any is orange, else green when every item is green.

    An item that is not assessed keeps the whole review grey (""): a review with open questions is
    never reported as green. A review without items is not assessed either.
    """
    colours = list(colours)
    if not colours:
        return ""
    return max(colours, key=lambda colour: LIGHT_SEVERITY[colour])


class ChecklistItemBase(models.Model):
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    subphase = models.CharField(_("subphase"), max_length=2, choices=Subphase.choices, blank=True)
    text = models.CharField(_("checklist item"), max_length=300)
    position = models.PositiveIntegerField(_("position"), default=0)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Raised by every rewording, so a rewording opened before a colleague's is refused (issue 16). Moving and
    # retiring are steps on the line as it is now and leave it alone.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.text

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class ChecklistTemplateItem(ChecklistItemBase):
    """An organisation's own checklist for a phase. Without rows for a phase, the defaults apply."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="checklist_template_items")

    history_records = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("checklist template item")
        verbose_name_plural = _("checklist template items")
        ordering = ["phase", "position", "pk"]
        indexes = [models.Index(fields=["organisation", "phase"])]
        constraints = [
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="templateitem_phase_valid"),
        ]


class ChecklistItem(ChecklistItemBase):
    """One line of a trajectory's checklist for a phase. Retired items stay for the history."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="checklist_items")
    # The owner's template line this line was copied from (issue 22), so the learning page groups one template
    # line over all trajectories even after a team rewords its copy. Empty for the product's default lines
    # (they have no row), for lines a team added itself and for lines that came in through an import.
    template_item = models.ForeignKey(
        ChecklistTemplateItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trajectory_items",
        verbose_name=_("template line"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history_records = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["phase", "position", "pk"]
        indexes = [models.Index(fields=["trajectory", "phase"])]
        constraints = [
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="checklistitem_phase_valid"),
        ]


class Review(models.Model):
    """One stoplight meeting of the core team."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("date"), default=timezone.localdate)
    phases = models.JSONField(_("phases"), default=list)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reviews_attended", verbose_name=_("attendees")
    )
    other_attendees = models.TextField(
        _("other attendees"),
        blank=True,
        help_text=_("Stakeholders without an account, one per line, for example “Wethouder Jansen”."),
        max_length=TEXT,
    )
    stakeholders_present = models.ManyToManyField(
        "trajectories.Stakeholder",
        blank=True,
        related_name="reviews_attended",
        verbose_name=_("stakeholders present"),
        help_text=_("Key figures from the stakeholder register who attended; counts as contact."),
    )
    summary = models.TextField(_("summary"), blank=True, max_length=LONG_TEXT)
    overall_light = models.CharField(
        _("overall light"), max_length=10, choices=Light.choices, blank=True, editable=False
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history_records = HistoricalRecords(excluded_fields=["version"])
    # Items without a light, set when the overall light is derived (services.reviews); not a column.
    unassessed: int

    class Meta:
        verbose_name = _("stoplight review")
        verbose_name_plural = _("stoplight reviews")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["trajectory", "-held_on"])]
        constraints = [
            # One meeting at a time: a trajectory has at most one review that is not finalised.
            models.UniqueConstraint(
                fields=["trajectory"], condition=Q(finalised_at__isnull=True), name="review_one_open_per_trajectory"
            ),
            models.CheckConstraint(
                condition=Q(overall_light__in=["", *Light.values]), name="review_overall_light_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory} · {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("trajectories:review", args=[self.trajectory_id, self.pk])

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None

    def phase_labels(self) -> list[str]:
        return [str(Phase(code).label) for code in self.phases]


class ReviewItem(models.Model):
    """The light of one checklist item in one review. Its rows over the reviews are the item's history."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="items")
    # RESTRICT: an assessed item cannot be deleted on its own (retire it), but goes with its trajectory.
    item = models.ForeignKey(ChecklistItem, on_delete=models.RESTRICT, related_name="assessments")
    # The wording at the time of the review; the item may be reworded later.
    text = models.CharField(_("checklist item"), max_length=300)
    position = models.PositiveIntegerField(default=0)
    colour = models.CharField(_("light"), max_length=10, choices=Light.choices, blank=True)
    carried_colour = models.CharField(
        _("light at the previous review"), max_length=10, choices=Light.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True, max_length=TEXT)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        ordering = ["position", "pk"]
        # The learning page reads every light of an organisation's finalised reviews (trajectories/learning.py:
        # the lines most often red or orange, red back to green). With the light in the index PostgreSQL answers
        # from the index alone instead of visiting each row; measured by bench/learning.py (BENCHMARKS.md).
        indexes = [models.Index(fields=["review", "item", "colour", "carried_colour"], name="reviewitem_lights")]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="reviewitem_unique_per_review"),
            models.CheckConstraint(condition=Q(colour__in=["", *Light.values]), name="reviewitem_colour_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.text}"

    @property
    def changed(self) -> bool:
        return self.colour != self.carried_colour


class ReviewEvent(AppendOnlyModel):
    """Finalising and re-opening a review, with who, when and why."""

    class Kind(models.TextChoices):
        FINALISED = "afgerond", _("Finalised")
        REOPENED = "heropend", _("Re-opened")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.review}: {self.get_kind_display()}"


class Action(models.Model):
    """Something to do because an item is not green: what, who and by when."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("checklist item"),
    )
    review = models.ForeignKey(
        Review,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions_raised",
        verbose_name=_("raised in review"),
    )
    milestone = models.ForeignKey(
        "Milestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("milestone"),
    )
    description = models.CharField(_("what"), max_length=300)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_actions",
        verbose_name=_("who"),
    )
    # A key figure or team member without an account can own an action too (issue 18): no mail, shown as such.
    # At most one of assignee and owner_person is set (constraint below).
    owner_person = models.ForeignKey(
        "trajectories.Stakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions_owned",
        verbose_name=_("who (without an account)"),
    )
    # The assignee's organisation among those taking part, kept for the ownership balance of 2c.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closing_note = models.TextField(_("closing note"), blank=True, max_length=TEXT)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history_records = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = [models.F("due_on").asc(nulls_last=True), "pk"]
        indexes = [
            models.Index(fields=["trajectory", "closed_at"]),
            # My actions (open, in this order, 50 a page) of a user who sees many trajectories: the page is read
            # from here in order instead of sorting every open action, and the count from here alone (issue 21).
            models.Index(
                fields=["due_on", "id", "trajectory"],  # the last for the count, read from the index alone
                condition=Q(closed_at__isnull=True),
                name="action_open_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee__isnull=True) | Q(owner_person__isnull=True), name="action_one_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def owner_name(self) -> str:
        """The owner's name, with or without an account; empty when nobody owns the action yet."""
        if self.assignee_id:
            return self.assignee.get_full_name()
        if self.owner_person_id:
            return str(self.owner_person.person)
        return ""

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < (today or timezone.localdate())


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a user's calendar feed URLs. Regenerating it invalidates every old link."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class ReportRecord(AppendOnlyModel):
    """A progress report that was issued (downloaded as PDF); the next report starts where it ended."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="report_records")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))

    class Meta:
        verbose_name = _("issued progress report")
        verbose_name_plural = _("issued progress reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.trajectory}: {self.period_start} – {self.period_end}"
