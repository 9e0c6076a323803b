"""Checklist templates per organisation and the checklists trajectories copy from them."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone, translation

from fii.checklists import DEFAULT_CHECKLISTS
from organisations.models import Organisation

from ..history import bulk_create_tracked
from ..models import ChecklistItem, ChecklistTemplateItem, Trajectory
from ..writes import bulk_create_recorded, bulk_update_recorded
from .versioning import differing, save_versioned

__all__ = [
    "TemplateLine",
    "checklist_copy_from_template",
    "checklist_item_add",
    "checklist_item_move",
    "checklist_item_retire",
    "checklist_item_reword",
    "template_customise",
    "template_lines",
    "template_uses_defaults",
]


@dataclass(frozen=True)
class TemplateLine:
    subphase: str
    text: str
    template_item_id: int | None = None  # the organisation's own template line; None for a product default


def template_uses_defaults(organisation: Organisation, phase: str) -> bool:
    return not ChecklistTemplateItem.objects.filter(organisation=organisation, phase=phase).exists()


def template_lines(organisation: Organisation, phase: str) -> list[TemplateLine]:
    """The active lines a trajectory of this organisation gets when ``phase`` starts."""
    own = ChecklistTemplateItem.objects.filter(organisation=organisation, phase=phase)
    if own.exists():
        return [TemplateLine(i.subphase, i.text, i.pk) for i in own.filter(retired_at__isnull=True)]
    # The defaults are stored in the product's language, whoever happens to trigger the copy.
    with translation.override(settings.LANGUAGE_CODE):
        return [TemplateLine(d.subphase, str(d.text)) for d in DEFAULT_CHECKLISTS[phase]]


@transaction.atomic
def template_customise(*, organisation: Organisation, phase: str) -> None:
    """Give the organisation its own copy of the default template for ``phase``, once."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if not template_uses_defaults(organisation, phase):
        return
    bulk_create_tracked(
        ChecklistTemplateItem,
        (
            ChecklistTemplateItem(
                organisation=organisation, phase=phase, subphase=line.subphase, text=line.text, position=n
            )
            for n, line in enumerate(template_lines(organisation, phase), start=1)
        ),
    )


@transaction.atomic
def checklist_copy_from_template(*, trajectory: Trajectory, phase: str, by) -> int:
    """Copy the owner's template into the trajectory when the phase starts; a no-op once it has items."""
    # Two people starting a review (or filling the checklist) at once would both see an empty checklist
    # and both copy it; the trajectory's row lock makes the second one see the first one's items.
    Trajectory.objects.select_for_update().filter(pk=trajectory.pk).values_list("pk", flat=True).first()
    if ChecklistItem.objects.filter(trajectory=trajectory, phase=phase).exists():
        return 0
    items = bulk_create_recorded(  # bulk_create() sends no signal
        ChecklistItem,
        (
            ChecklistItem(
                trajectory=trajectory,
                phase=phase,
                subphase=line.subphase,
                text=line.text,
                template_item_id=line.template_item_id,
                position=n,
                created_by=by,
            )
            for n, line in enumerate(template_lines(trajectory.owner, phase), start=1)
        ),
    )
    return len(items)


def _next_position(siblings: QuerySet) -> int:
    return (siblings.aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def checklist_item_add(
    *, owner: Trajectory | Organisation, phase: str, text: str, subphase: str = "", by=None
) -> ChecklistItem | ChecklistTemplateItem:
    """Add a line at the end of a trajectory's checklist or of an organisation's template."""
    if isinstance(owner, Trajectory):
        # The first own line of a phase comes on top of the template, never instead of it.
        checklist_copy_from_template(trajectory=owner, phase=phase, by=by)
        return ChecklistItem.objects.create(
            trajectory=owner,
            phase=phase,
            subphase=subphase,
            text=text,
            position=_next_position(ChecklistItem.objects.filter(trajectory=owner, phase=phase)),
            created_by=by,
        )
    template_customise(organisation=owner, phase=phase)
    siblings = ChecklistTemplateItem.objects.filter(organisation=owner, phase=phase)
    return ChecklistTemplateItem.objects.create(
        organisation=owner, phase=phase, subphase=subphase, text=text, position=_next_position(siblings)
    )


def checklist_item_reword(
    *, item: ChecklistItem | ChecklistTemplateItem, text: str, subphase: str, expected_version: int | None = None
) -> None:
    """Reword a line; with ``expected_version`` (the form) only if nobody reworded it since the form was
    opened, else :class:`StaleEdit`."""
    changes = differing(item, {"text": text, "subphase": subphase})
    save_versioned(type(item), item, expected_version, **changes)


def checklist_item_retire(*, item: ChecklistItem | ChecklistTemplateItem, retire: bool = True) -> None:
    """Retired lines leave the checklist but keep their history; restoring brings them back."""
    item.retired_at = timezone.now() if retire else None
    item.save(update_fields=["retired_at"])


@transaction.atomic
def checklist_item_move(*, item: ChecklistItem | ChecklistTemplateItem, up: bool) -> None:
    """Swap the item with its neighbour among the active lines of the same list."""
    model = type(item)
    scope = (
        {"trajectory_id": item.trajectory_id}
        if isinstance(item, ChecklistItem)
        else {"organisation_id": item.organisation_id}
    )
    lines = list(model.objects.select_for_update().filter(phase=item.phase, retired_at__isnull=True, **scope))
    index = next((n for n, line in enumerate(lines) if line.pk == item.pk), None)
    if index is None:
        return
    other = index - 1 if up else index + 1
    if not 0 <= other < len(lines):
        return
    lines[index], lines[other] = lines[other], lines[index]
    for position, line in enumerate(lines, start=1):
        line.position = position
    bulk_update_recorded(model, lines, ["position"], audited=[item])  # bulk_update() sends no signal
