"""Link trajectory checklist lines to the owner's template line they were copied from (issue 22).

Used by the data migration ``0026_i22_learning_template_item`` with the historical models, and by the tests with
the current ones, so it takes the two model classes instead of importing them. New lines get their link when
they are copied (``services.checklists.checklist_copy_from_template``); this fills the link for lines copied
before it existed.
"""

from __future__ import annotations

from typing import Any


def link_to_template_lines(checklist_item_model: Any, template_item_model: Any) -> int:
    """Give every unlinked line the owner's template line of the same phase and wording; returns the count.

    When an organisation's template has the same wording twice in a phase, the oldest template line wins.
    Lines that match no template line (the product's defaults, a team's own lines, reworded copies) stay
    unlinked: the learning page groups them by wording.
    """
    linked = 0
    templates = template_item_model.objects.order_by("pk").values_list("pk", "organisation_id", "phase", "text")
    for pk, organisation_id, phase, text in templates.iterator():
        linked += checklist_item_model.objects.filter(
            template_item__isnull=True, trajectory__owner_id=organisation_id, phase=phase, text=text
        ).update(template_item=pk)
    return linked
