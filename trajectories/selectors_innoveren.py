"""Reads for phase 3 (Innoveren): the CFIR overview and comparison, the method and the phase overview.
Subphase 5c reads in ``selectors_implementeren.py``, phase 6 in ``selectors_borgen.py``."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count

from fii import eric
from fii.cfir import NUMERIC, rating_label

from .models import (
    CfirAssessment,
    ImplementabilityAssessment,
    MethodVersion,
    StrategyUptake,
    Trajectory,
)

# How a rating looks in the heat map: a CSS modifier (colour and border pattern) and a word for screen readers.
CELL_STYLE = {
    "+2": "pos2",
    "+1": "pos1",
    "0": "zero",
    "-1": "neg1",
    "-2": "neg2",
    "X": "mixed",
    "M": "missing",
    "": "none",
}
STRONGEST = 8  # how many barriers and facilitators the overview lists


def cfir_overview(assessment: CfirAssessment) -> dict:
    """Domain rows with one cell per construct of the assessment's version, the strongest barriers and
    facilitators, and the gaps in the data.

    Barriers are constructs rated −2 or −1 (most negative first), facilitators +2 or +1 (most positive
    first); X (mixed), 0 and unrated constructs are neither. M means missing data: it is no judgement on the
    construct, so it is listed as a gap in what the team knows, never as a barrier. Ties keep the
    framework's order.
    """
    framework = assessment.framework
    constructs = framework.constructs
    ratings = {r.construct: r for r in assessment.ratings.all() if r.construct in constructs}
    domains = []
    for domain in framework.domains:
        cells = []
        for construct in domain.constructs:
            row = ratings.get(construct.code)
            value = row.rating if row else ""
            cells.append(
                {
                    "construct": construct,
                    "value": value,
                    "label": rating_label(value),
                    "style": CELL_STYLE[value],
                    "rationale": row.rationale if row else "",
                    "needs_review": bool(row and row.needs_review),
                }
            )
        domains.append({"domain": domain, "cells": cells})
    order = {code: i for i, code in enumerate(constructs)}
    scored = [r for r in ratings.values() if r.rating in NUMERIC]

    def listed(rows, limit=None):
        items = [
            {
                "construct": constructs[r.construct],
                "label": rating_label(r.rating),
                "rationale": r.rationale,
                "needs_review": r.needs_review,
            }
            for r in rows
        ]
        return items[:limit] if limit else items

    barriers = sorted(
        (r for r in scored if NUMERIC[r.rating] < 0), key=lambda r: (NUMERIC[r.rating], order[r.construct])
    )
    facilitators = sorted(
        (r for r in scored if NUMERIC[r.rating] > 0), key=lambda r: (-NUMERIC[r.rating], order[r.construct])
    )
    missing = sorted((r for r in ratings.values() if r.rating == "M"), key=lambda r: order[r.construct])
    counts = Counter(r.rating for r in ratings.values())
    return {
        "assessment": assessment,
        "framework": framework,
        "domains": domains,
        "rated": len(ratings),
        "total": len(constructs),
        "counts": counts,
        "barriers": listed(barriers, STRONGEST),
        "facilitators": listed(facilitators, STRONGEST),
        "missing": listed(missing),
        "to_review": sum(1 for r in ratings.values() if r.needs_review),
        "strategies": barrier_strategies(assessment, barriers),
    }


def barrier_strategies(assessment: CfirAssessment, barriers) -> list[dict]:
    """Per barrier (every construct rated −1 or −2, most negative first): the verified expert suggestions
    of ``fii.eric`` (level 1 first, then level 2, by percentage) and the strategies already taken up, each
    with its action or milestone. One query for the uptakes of the whole assessment."""
    taken: dict[int, dict[str, StrategyUptake]] = {}
    for uptake in StrategyUptake.objects.filter(rating__assessment=assessment).select_related("action", "milestone"):
        taken.setdefault(uptake.rating_id, {})[uptake.strategy] = uptake
    constructs = assessment.framework.constructs
    rows = []
    for rating in barriers:
        mine = taken.get(rating.pk, {})
        suggested = eric.suggestions(assessment.version, rating.construct)
        rows.append(
            {
                "rating": rating,
                "construct": constructs[rating.construct],
                "label": rating_label(rating.rating),
                "via_2009": [] if assessment.version == "2009" else eric.MAPPING_2022_TO_2009.get(rating.construct, ()),
                "suggestions": [{"match": m, "uptake": mine.get(m.strategy.code)} for m in suggested],
                "taken": [{"strategy": eric.BY_CODE[code], "uptake": u} for code, u in mine.items()],
            }
        )
    return rows


def cfir_comparison(assessments: list[CfirAssessment]) -> dict:
    """Assessments of one trajectory side by side, in date order, one row per construct.

    Only assessments of the same CFIR version can be compared construct by construct; the version is
    that of the newest selected assessment and the others are returned as ``left_out``. A cell is marked
    ``changed`` when its rating differs from the previous assessment's (rated versus unrated counts as a
    change), with ``direction`` "better"/"worse" when both are scores.
    """
    if not assessments:
        return {"version": None, "columns": [], "domains": [], "left_out": [], "changes": 0}
    ordered = sorted(assessments, key=lambda a: (a.assessed_on, a.pk))
    version = ordered[-1].version
    columns = [a for a in ordered if a.version == version]
    left_out = [a for a in ordered if a.version != version]
    framework = columns[-1].framework
    by_assessment = {a.pk: {r.construct: r for r in a.ratings.all()} for a in columns}
    domains = []
    changes = 0
    for domain in framework.domains:
        rows = []
        for construct in domain.constructs:
            cells = []
            previous = ""  # read only from the second column on, after the first has set it
            for index, a in enumerate(columns):
                row = by_assessment[a.pk].get(construct.code)
                value = row.rating if row else ""
                changed = index > 0 and value != previous
                direction = ""
                if changed and value in NUMERIC and previous in NUMERIC:
                    direction = "better" if NUMERIC[value] > NUMERIC[previous] else "worse"
                changes += changed
                cells.append(
                    {
                        "value": value,
                        "label": rating_label(value),
                        "style": CELL_STYLE[value],
                        "changed": changed,
                        "direction": direction,
                        "previous": rating_label(previous) if index > 0 else "",
                        "rationale": row.rationale if row else "",
                    }
                )
                previous = value
            rows.append({"construct": construct, "cells": cells, "changed": any(c["changed"] for c in cells)})
        domains.append({"domain": domain, "rows": rows})
    return {"version": version, "columns": columns, "domains": domains, "left_out": left_out, "changes": changes}


def method_current(trajectory: Trajectory) -> MethodVersion | None:
    return (
        MethodVersion.objects.filter(trajectory=trajectory)
        .select_related("created_by")
        .prefetch_related("components")
        .order_by("-number")
        .first()
    )


def innoveren_overview(trajectory: Trajectory) -> dict:
    assessments = cfir_assessments(trajectory)
    return {
        "balance": ImplementabilityAssessment.objects.filter(trajectory=trajectory).first(),
        "method": method_current(trajectory),
        "version_count": trajectory.method_versions.count(),
        "cfir_assessments": assessments,
        "cfir": cfir_overview(assessments[0]) if assessments else None,
    }


__all__ = ["cfir_assessments", "cfir_comparison", "cfir_overview", "innoveren_overview", "method_current"]


def cfir_assessments(trajectory: Trajectory) -> list[CfirAssessment]:
    return list(trajectory.cfir_assessments.select_related("created_by", "candidate").annotate(rated=Count("ratings")))
