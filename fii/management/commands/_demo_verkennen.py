"""Phase 2 (Verkennen) of the demo trajectories, replayed through the services.

A trajectory row in ``fixtures/demo.json`` may hold a ``verkennen`` object::

    {"candidates": [
        {"organisation": "Welzijn Zuid", "days_ago": 60, "motivation": "…",
         "facts": {"financing": "wettelijk", "financing_need": "visie", "financing_note": "…", "caseload": 40,
                   "average_length_months": "6",
                   "maximum_length_months": "12"},
         "ratings": {"bedoeling": ["ja", "note"], …},
         "talks": [{"days_ago": 40, "management": "…", "project_leaders": "…", "executors": "…",
                    "learnt": "…", "sees_added_value": "ja", "fits_practice": "deels",
                    "commits_resources": "onbekend", "joins_team": "ja"}],
         "status": {"to": "teruggetrokken", "days_ago": 5, "reason": "…"}}],
     "choose": {"organisation": "…", "days_ago": 230, "rationale": "…", "by": "beheerder@example.org"},
     "agreement": {"days_ago": 228, "parties": "…", "terms": "…"},
     "plan": {"horizon": "…", "kickoff_days_ago": 225, "kickoff_participants": "…", "kickoff_notes": "…",
              "meeting_notes": "…"},
     "milestones": [{"title": "…", "due_days_ago": 150, "reached_days_ago": 155,
                     "tasks": [{"description": "…", "assignee": "bewerker@example.org", "due_days_ago": 170,
                                "closed_days_ago": 168}]}],
     "people_changes": [{"side": "ontvangend", "days_ago": 20, "role": "…", "description": "…",
                         "revisited_days_ago": 10, "revisit_note": "…"}]}

Every organisation must be in the file's ``organisations``; ``*_days_ago`` count back from today and a
negative ``due_days_ago`` lies in the future. Every email must be a demo account; without demo
accounts (DEBUG off) tasks simply have nobody assigned.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.management.base import CommandError
from django.utils import timezone

from fii.model import Criterion
from trajectories import services
from trajectories.forms import TalkForm
from trajectories.models import Check, Trajectory

from ._demo_reviews import check_keys

KEYS = {"candidates", "choose", "agreement", "plan", "milestones", "people_changes"}
CANDIDATE_KEYS = {"organisation", "days_ago", "motivation", "facts", "ratings", "talks", "status"}
# A talk in the file has the form's fields, with days_ago instead of the date.
TALK_KEYS = {"days_ago", *TalkForm.Meta.fields} - {"held_on"}
FACT_KEYS = {
    "financing",
    "financing_need",
    "financing_note",
    "caseload",
    "average_length_months",
    "maximum_length_months",
}


def _day(days_ago: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days_ago)


def _moment(days_ago: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


def load_verkennen(trajectory: Trajectory, row: dict, *, orgs: dict, user) -> int:
    """Replay the ``verkennen`` object of a trajectory row; returns the number of candidates added.

    ``user(email, where)`` resolves a demo account (or None without demo accounts).
    """
    data = row.get("verkennen")
    if not data:
        return 0
    where = f"{row['title']}, verkennen"
    check_keys(data, allowed=KEYS, where=where)
    by = user(row["by"], where)
    candidates = {}
    for number, item in enumerate(data.get("candidates", []), start=1):
        here = f"{where}, candidate {number}"
        check_keys(item, allowed=CANDIDATE_KEYS, required=["organisation", "days_ago"], where=here)
        if item["organisation"] not in orgs:
            raise CommandError(f"{here}: unknown organisation {item['organisation']!r}.")
        candidate = services.candidate_add(
            trajectory=trajectory,
            by=by,
            organisation=orgs[item["organisation"]],
            motivation=item.get("motivation", ""),
            at=_moment(item["days_ago"]),
        )
        facts = item.get("facts", {})
        check_keys(facts, allowed=FACT_KEYS, where=f"{here}, facts")
        for name in ("average_length_months", "maximum_length_months"):
            if facts.get(name) is not None:
                facts[name] = Decimal(facts[name])
        ratings = {}
        for code, (answer, note) in item.get("ratings", {}).items():
            if code not in Criterion.values or answer not in Check.values:
                raise CommandError(f"{here}: unknown criterion or answer {code!r}: {answer!r}.")
            ratings[code] = (answer, note)
        services.candidate_rate(candidate=candidate, by=by, facts=facts, ratings=ratings)
        for talk in item.get("talks", []):
            check_keys(talk, allowed=TALK_KEYS, required=["days_ago"], where=f"{here}, talk")
            fields = {key: value for key, value in talk.items() if key != "days_ago"}
            services.talk_record(
                candidate=candidate, by=by, held_on=_day(talk["days_ago"]), at=_moment(talk["days_ago"]), **fields
            )
        if status := item.get("status"):
            check_keys(status, allowed={"to", "days_ago", "reason"}, required=["to", "days_ago", "reason"], where=here)
            services.candidate_set_status(
                candidate=candidate, by=by, status=status["to"], reason=status["reason"], at=_moment(status["days_ago"])
            )
        candidates[item["organisation"]] = candidate

    if choose := data.get("choose"):
        check_keys(choose, allowed={"organisation", "days_ago", "rationale"}, required=choose.keys(), where=where)
        if choose["organisation"] not in candidates:
            raise CommandError(f"{where}: {choose['organisation']!r} is not on the shortlist.")
        services.candidate_choose(
            candidate=candidates[choose["organisation"]],
            by=by,
            rationale=choose["rationale"],
            at=_moment(choose["days_ago"]),
        )
        trajectory.refresh_from_db()
    if agreement := data.get("agreement"):
        check_keys(agreement, allowed={"days_ago", "parties", "terms"}, required=agreement.keys(), where=where)
        services.agreement_record(
            trajectory=trajectory,
            by=by,
            agreed_on=_day(agreement["days_ago"]),
            parties=agreement["parties"],
            terms=agreement["terms"],
            at=_moment(agreement["days_ago"]),
        )
    if plan := data.get("plan"):
        allowed = {"horizon", "kickoff_days_ago", "kickoff_participants", "kickoff_notes", "meeting_notes"}
        check_keys(plan, allowed=allowed, where=f"{where}, plan")
        fields = {key: value for key, value in plan.items() if key != "kickoff_days_ago"}
        if "kickoff_days_ago" in plan:
            fields["kickoff_on"] = _day(plan["kickoff_days_ago"])
        services.plan_update(
            trajectory=trajectory,
            by=by,
            expected_version=None,
            review_interval=trajectory.review_interval,
            **fields,
        )
    for milestone in data.get("milestones", []):
        _load_milestone(trajectory, milestone, by=by, user=user, where=f"{where}, milestone")
    for change in data.get("people_changes", []):
        allowed = {"side", "days_ago", "role", "description", "revisited_days_ago", "revisit_note"}
        check_keys(change, allowed=allowed, required=["side", "days_ago", "role", "description"], where=where)
        recorded = services.people_change_record(
            trajectory=trajectory,
            by=by,
            side=change["side"],
            occurred_on=_day(change["days_ago"]),
            role=change["role"],
            description=change["description"],
        )
        if "revisited_days_ago" in change:
            services.people_change_revisit(
                change=recorded,
                by=by,
                revisited_on=_day(change["revisited_days_ago"]),
                note=change.get("revisit_note", ""),
            )
    return len(candidates)


def _load_milestone(trajectory: Trajectory, data: dict, *, by, user, where: str) -> None:
    check_keys(data, allowed={"title", "due_days_ago", "reached_days_ago", "tasks"}, required=["title"], where=where)
    milestone = services.milestone_save(
        trajectory=trajectory,
        by=by,
        title=data["title"],
        due_on=_day(data["due_days_ago"]),
        reached_on=_day(data["reached_days_ago"]) if "reached_days_ago" in data else None,
    )
    for task in data.get("tasks", []):
        allowed = {"description", "assignee", "due_days_ago", "closed_days_ago"}
        check_keys(task, allowed=allowed, required=["description", "due_days_ago"], where=f"{where}, task")
        action = services.action_create(
            trajectory=trajectory,
            by=by,
            description=task["description"],
            assignee=user(task["assignee"], where) if task.get("assignee") else None,
            due_on=_day(task["due_days_ago"]),
            milestone=milestone,
            at=_moment(max(task["due_days_ago"], 0) + 14),
        )
        if "closed_days_ago" in task:
            services.action_close(
                action=action, by=by, note="", expected_version=None, at=_moment(task["closed_days_ago"])
            )
