"""Reads for phase 6 (Borgen): fidelity rates per checklist item, the evaluations and the phase overview."""

from __future__ import annotations

from django.db.models import Count, Q

from .models import (
    FidelityAnswer,
    FidelityChecklist,
    Improvement,
    QualityMonitoring,
    Trajectory,
)

__all__ = ["borgen_overview", "evaluations", "fidelity_rates"]


def fidelity_rates(checklist: FidelityChecklist) -> list[dict]:
    """Per item of the checklist: the answers counted over all observations, and the fidelity rate.

    The rate is the share of observations, where the component applied, in which it was carried out
    fully as intended: yes / (yes + partly + no). "Not applicable" is left out of the denominator;
    "partly" counts as not as intended (it is shown separately). ``rate`` is None without a scored answer.
    """
    items = checklist.items.annotate(
        yes=Count("scores", filter=Q(scores__answer=FidelityAnswer.JA)),
        partly=Count("scores", filter=Q(scores__answer=FidelityAnswer.DEELS)),
        no=Count("scores", filter=Q(scores__answer=FidelityAnswer.NEE)),
        not_applicable=Count("scores", filter=Q(scores__answer=FidelityAnswer.NVT)),
    ).order_by("position")
    rows = []
    for item in items:
        scored = item.yes + item.partly + item.no
        rate = round(100 * item.yes / scored) if scored else None
        rows.append(
            {
                "item": item,
                "yes": item.yes,
                "partly": item.partly,
                "no": item.no,
                "not_applicable": item.not_applicable,
                "scored": scored,
                "rate": rate,
                "bar": 2 * rate if rate is not None else 0,  # width in the 200-wide SVG bar
            }
        )
    return rows


def borgen_overview(trajectory: Trajectory, *, light: bool = False) -> dict:
    """Phase 6 at a glance. ``light`` leaves out what the quality page lists in full anyway."""
    checklists = list(trajectory.fidelity_checklists.select_related("method_version").annotate(n=Count("observations")))
    quality = QualityMonitoring.objects.filter(trajectory=trajectory).first()
    if light:
        return {"quality": quality, "checklists": checklists}
    return {
        "quality": quality,
        "checklists": checklists,
        "checklist": checklists[0] if checklists else None,
        "rates": fidelity_rates(checklists[0]) if checklists else [],
        "open_improvements": list(
            Improvement.objects.filter(evaluation__trajectory=trajectory, done_on__isnull=True).select_related(
                "evaluation"
            )
        ),
        "feedback_count": trajectory.feedback.count(),
        "evaluation_count": trajectory.evaluations.count(),
    }


def evaluations(trajectory: Trajectory) -> list:
    return list(trajectory.evaluations.select_related("created_by").prefetch_related("improvements"))
