"""Reads about the state of a phase: the checklist points that are still open when a phase is completed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import (
    Assignment,
    ChecklistItem,
    Light,
    Plan,
    ProfessionalState,
    QualityMonitoring,
    ReviewItem,
    Stakeholder,
    TeamMember,
    Trajectory,
)
from .models.reviews import light_label


def phase_open_points(trajectory: Trajectory, phase: str) -> list[dict]:
    """The phase's current checklist items that are not green in their latest assessment, in checklist order.

    The latest assessment of an item is its row in the most recent review that covered it (an open review
    counts: the team is looking at it now). An item no review has looked at yet is "not assessed".
    """
    items = list(
        ChecklistItem.objects.filter(trajectory=trajectory, phase=phase, retired_at__isnull=True).order_by(
            "position", "pk"
        )
    )
    latest: dict[int, str] = {}
    rows = (
        ReviewItem.objects.filter(item__in=items)
        .order_by("item_id", "-review__held_on", "-review_id")
        .values_list("item_id", "colour")
    )
    for item_id, colour in rows:
        latest.setdefault(item_id, colour)
    return [
        {
            "item": item,
            "text": item.text,
            "colour": latest.get(item.pk, ""),
            "label": light_label(latest.get(item.pk, "")),
        }
        for item in items
        if latest.get(item.pk, "") != Light.GROEN
    ]


def format_open_points(points: list[dict]) -> str:
    """The open points as the transition keeps them: one line per item, its light in words first."""
    return "\n".join(f"{point['label']}: {point['text']}" for point in points)


def open_points_summary(points: list[dict]) -> str:
    counts = {colour: sum(1 for p in points if p["colour"] == colour) for colour in (Light.ROOD, Light.ORANJE, "")}
    return _("%(red)s red, %(orange)s orange, %(grey)s not assessed") % {
        "red": counts[Light.ROOD],
        "orange": counts[Light.ORANJE],
        "grey": counts[""],
    }


# Statuses from the work ------------------------------------------------------------------------------

# For each subphase: what counts as "something recorded" (the subphase is then at least in progress) and what
# its tools must hold before the page suggests "completed". A suggestion is only a suggestion: the team
# confirms it on the subphase form. Subphases that the model describes as ongoing work (4b keep feeding
# support, 5b the stoplight rhythm, 6b keep improving) never get a completion suggestion.
ONGOING = {"4b", "5b", "6b"}


def _filled(obj, *names) -> bool:
    return obj is not None and all(getattr(obj, name) not in (None, "") for name in names)


def _any_filled(obj, *names) -> bool:
    return obj is not None and any(getattr(obj, name) not in (None, "") for name in names)


def subphase_work(trajectory: Trajectory, phase: str) -> dict[str, dict]:
    """Per subphase of ``phase``: ``recorded`` (work is recorded in its tools), ``complete`` (its tools
    hold what the completion criterion asks) and ``basis`` (what that judgement rests on, for the page)."""
    t = trajectory
    if phase == "signaleren":
        a = Assignment.objects.filter(trajectory=t).first()
        return {
            "1a": _work(
                bool(t.commissioner) or _any_filled(a, "question_origin", "commissioner_contact"),
                bool(t.commissioner) and _filled(a, "question_origin"),
                _("commissioner and where the question comes from"),
            ),
            "1b": _work(
                _any_filled(a, "innovation_question", "goal", "target_group", "problem_definition"),
                _filled(a, "innovation_question", "goal", "target_group", "problem_definition"),
                _("innovation question, goal, target group and problem definition"),
            ),
            "1c": _work(
                _any_filled(a, "budget", "frame_start", "frame_end", "scale", "capacity_fte", "policy_plan"),
                _filled(a, "budget", "frame_end", "scale", "capacity_fte"),
                _("budget, time frame, scale and capacity"),
            ),
        }
    if phase == "verkennen":
        candidates = t.candidates.count()
        plan = Plan.objects.filter(trajectory=t).first()
        return {
            "2a": _work(candidates > 0, candidates >= 2, _("two to four candidates on the shortlist")),
            "2b": _work(
                t.candidates.filter(talks__isnull=False).exists() or t.agreements.exists(),
                t.agreements.exists(),
                _("orientation talks and an agreement with the chosen organisation"),
            ),
            "2c": _work(
                _any_filled(plan, "horizon", "kickoff_on", "meeting_notes") or t.milestones.exists(),
                _filled(plan, "horizon", "kickoff_on") and t.milestones.exists(),
                _("a point on the horizon, a kick-off and a roadmap in the plan of approach"),
            ),
        }
    if phase == "innoveren":
        version = t.method_versions.order_by("-number").first()
        return {
            "3a": _work(t.implementability.exists(), t.implementability.exists(), _("an assessment of the balance")),
            "3b": _work(
                version is not None,
                version is not None
                and _filled(version, "goal", "target_group", "approach")
                and version.components.exists(),
                _("a method description with goal, target group, approach and active components"),
            ),
        }
    if phase == "versterken":
        key = Stakeholder.objects.filter(trajectory=t, influence__gte=4)
        return {
            "4a": _work(
                t.stakeholders.exists(),
                key.filter(side="gevend").exists() and key.filter(side="ontvangend").exists(),
                _("key figures (influence 4 or 5) at the giving and the receiving organisation"),
            ),
            "4b": _work(
                t.report_backs.exists() or Stakeholder.objects.filter(trajectory=t, contacts__isnull=False).exists(),
                False,
                _("contacts, support changes and reports to the commissioner"),
            ),
        }
    if phase == "implementeren":
        active = TeamMember.objects.filter(trajectory=t, left_on__isnull=True).count()
        trained = (
            t.professionals.filter(
                state__in=[ProfessionalState.GETRAIND, ProfessionalState.GECOACHT, ProfessionalState.AMBASSADEUR]
            ).exists()
            and t.training_activities.exists()
        )
        return {
            "5a": _work(active > 0, 2 <= active <= 3, _("an implementation team of two or three people")),
            "5b": _work(t.reviews.exists(), False, _("stoplight reviews")),
            "5c": _work(
                t.training_activities.exists() or t.professionals.exists(),
                trained,
                _("training activities and trained professionals"),
            ),
        }
    if phase == "borgen":
        quality = QualityMonitoring.objects.filter(trajectory=t).first()
        return {
            "6a": _work(
                _any_filled(quality, "guard_name", "instrument") or t.feedback.exists(),
                _filled(quality, "guard_name", "instrument"),
                _("a quality guard and a monitoring instrument"),
            ),
            "6b": _work(t.evaluations.exists(), False, _("evaluations with the executors and improvements")),
        }
    return {}


def _work(recorded: bool, complete: bool, basis) -> dict:
    return {"recorded": bool(recorded or complete), "complete": bool(complete), "basis": basis}
