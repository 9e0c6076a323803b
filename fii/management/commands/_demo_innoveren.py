"""Phases 3, 5c and 6 of the demo trajectories, replayed through the services.

A trajectory row in ``fixtures/demo.json`` may hold an ``innoveren`` object::

    {"balance": [{"days_ago": 300, "complexity": "midden", "complexity_rationale": "…", "adaptability": "hoog",
                  "adaptability_rationale": "…", "scalable": "ja", "scalable_note": "…", "affordable": "deels",
                  "affordable_note": "…", "feasible": "ja", "feasible_note": "…"}],
     "method": [{"days_ago": 280, "reason": "…", "goal": "…", "target_group": "…", "inclusion_criteria": "…",
                 "exclusion_criteria": "…", "approach": "…", "preconditions": "…", "theory": "…",
                 "effectiveness": "theoretisch", "evidence": "…", "database": "movisie",
                 "registration_status": "aangemeld", "registration_days_ago": 20, "components": ["…"]}],
     "cfir": [{"title": "…", "days_ago": 290, "version": "2022", "ratings": {"I.D": ["+2", "…"]},
               "strategies": {"III.A.3": ["E04"]}, "plan_strategies": {"III.A.3": ["E35"]}}],
     "training": [{"days_ago": 200, "kind": "training", "participants": 12, "trainer": "…", "notes": "…"}],
     "professionals": [{"name": "…", "role": "…", "states": [["geselecteerd", 220], ["getraind", 200]]}],
     "quality": {"guard_name": "…", "guard_since_days_ago": 150, "instrument": "…"},
     "fidelity": {"title": "…", "version": 2, "observations": [{"days_ago": 90, "observer": "…",
                  "answers": ["ja", "deels", "nee", "nvt"], "note": "…", "professional": "…"}]},
     "feedback": [{"days_ago": 60, "source": "deelnemers", "summary": "…", "change_made": "…"}],
     "evaluations": [{"days_ago": 45, "participants": "…", "findings": "…",
                      "improvements": [{"description": "…", "owner": "…", "due_days_ago": -10, "done_days_ago": 5}]}]}

Method versions are saved in the order given; ``fidelity.answers`` follow the components of that version.
All people are fictional.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone, translation

from fii.cfir import CfirVersion, framework
from trajectories import services
from trajectories.forms.innoveren import METHOD_FIELDS as METHOD_FORM_FIELDS
from trajectories.forms.innoveren import ImplementabilityForm
from trajectories.models import Trajectory

from ._demo_reviews import check_keys

KEYS = {"balance", "method", "cfir", "training", "professionals", "quality", "fidelity", "feedback", "evaluations"}
# The file uses the forms' own field names, with days_ago instead of a date.
BALANCE_KEYS = {"days_ago", *ImplementabilityForm.Meta.fields} - {"assessed_on"}
METHOD_FIELDS = set(METHOD_FORM_FIELDS) - {"registration_date", "recognition_date"}  # the file gives …_days_ago
METHOD_DAYS = {"days_ago", "registration_days_ago", "recognition_days_ago"}


def _day(days_ago: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days_ago)


def _moment(days_ago: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


def load_innoveren(trajectory: Trajectory, row: dict, *, user) -> int:
    """Replay the ``innoveren`` object of a trajectory row; returns the number of method versions saved."""
    data = row.get("innoveren")
    if not data:
        return 0
    where = f"{row['title']}, innoveren"
    check_keys(data, allowed=KEYS, where=where)
    by = user(row["by"], where)

    for item in data.get("balance", []):
        check_keys(item, allowed=BALANCE_KEYS, required=["days_ago", "complexity", "adaptability"], where=where)
        fields = {k: v for k, v in item.items() if k != "days_ago"}
        services.implementability_record(trajectory=trajectory, by=by, assessed_on=_day(item["days_ago"]), **fields)

    versions = []
    for item in data.get("method", []):
        here = f"{where}, method version {len(versions) + 1}"
        check_keys(
            item,
            allowed=METHOD_FIELDS
            | {"days_ago", "reason", "components", "registration_days_ago", "recognition_days_ago"},
            required=["days_ago", "goal", "components"],
            where=here,
        )
        fields = {k: v for k, v in item.items() if k in METHOD_FIELDS}
        if "registration_days_ago" in item:
            fields["registration_date"] = _day(item["registration_days_ago"])
        if "recognition_days_ago" in item:
            fields["recognition_date"] = _day(item["recognition_days_ago"])
        versions.append(
            services.method_save(
                trajectory=trajectory,
                by=by,
                based_on=versions[-1].number if versions else None,
                components=item["components"],
                reason=item.get("reason", ""),
                at=_moment(item["days_ago"]),
                **fields,
            )
        )

    for item in data.get("cfir", []):
        check_keys(
            item,
            allowed={"title", "days_ago", "version", "ratings", "strategies", "plan_strategies"},
            required=["title", "days_ago"],
            where=where,
        )
        version = item.get("version", CfirVersion.V2022)
        if version not in CfirVersion.values:
            raise CommandError(f"{where}: unknown CFIR version {version!r}.")
        if unknown := set(item.get("ratings", {})) - set(framework(version).constructs):
            raise CommandError(f"{where}: unknown CFIR {version} constructs {sorted(unknown)}.")
        assessment = services.cfir_assessment_create(
            trajectory=trajectory, by=by, title=item["title"], assessed_on=_day(item["days_ago"]), version=version
        )
        services.cfir_rate(
            assessment=assessment, by=by, ratings={code: tuple(value) for code, value in item["ratings"].items()}
        )
        # Suggested ERIC strategies the team took up for a barrier (fii.eric): "strategies" as open actions,
        # "plan_strategies" as milestones on the plan.
        for key, target in (
            ("strategies", services.UptakeTarget.ACTION),
            ("plan_strategies", services.UptakeTarget.MILESTONE),
        ):
            for code, strategies in item.get(key, {}).items():
                rating = assessment.ratings.filter(construct=code).first()
                if rating is None:
                    raise CommandError(f"{where}: strategies for {code}, which is not rated.")
                for strategy in strategies:
                    try:
                        with translation.override("nl"):
                            services.strategy_take_up(
                                rating=rating, strategy=strategy, by=by, target=target, at=_moment(item["days_ago"])
                            )
                    except services.NotSuggested as refused:
                        raise CommandError(f"{where}: {refused}") from None

    for item in data.get("training", []):
        check_keys(item, allowed={"days_ago", "kind", "participants", "trainer", "notes"}, where=where)
        fields = {k: v for k, v in item.items() if k != "days_ago"}
        services.training_record(trajectory=trajectory, by=by, held_on=_day(item["days_ago"]), **fields)

    for item in data.get("professionals", []):
        check_keys(item, allowed={"name", "role", "states"}, required=["name", "states"], where=where)
        (first, first_days), *rest = item["states"]
        professional = services.professional_add(
            trajectory=trajectory,
            by=by,
            name=item["name"],
            role=item.get("role", ""),
            state=first,
            state_since=_day(first_days),
        )
        for state, days_ago in rest:
            services.professional_set_state(professional=professional, by=by, state=state, changed_on=_day(days_ago))

    if quality := data.get("quality"):
        check_keys(
            quality, allowed={"guard_name", "guard_since_days_ago", "instrument", "fidelity_threshold"}, where=where
        )
        services.quality_update(
            trajectory=trajectory,
            by=by,
            guard_name=quality.get("guard_name", ""),
            guard_since=_day(quality["guard_since_days_ago"]) if "guard_since_days_ago" in quality else None,
            instrument=quality.get("instrument", ""),
            **({"fidelity_threshold": quality["fidelity_threshold"]} if "fidelity_threshold" in quality else {}),
        )

    if fidelity := data.get("fidelity"):
        check_keys(fidelity, allowed={"title", "version", "observations"}, required=["title", "version"], where=where)
        version = next((v for v in versions if v.number == fidelity["version"]), None)
        if version is None:
            raise CommandError(f"{where}: fidelity checklist from unknown version {fidelity['version']}.")
        checklist = services.fidelity_checklist_create(
            trajectory=trajectory, by=by, version=version, title=fidelity["title"]
        )
        items = list(checklist.items.all())
        for observation in fidelity.get("observations", []):
            check_keys(observation, allowed={"days_ago", "observer", "answers", "note", "professional"}, where=where)
            professional = None
            if name := observation.get("professional"):
                professional = trajectory.professionals.filter(name=name).first()
                if professional is None:
                    raise CommandError(f"{where}: an observation names an unknown professional {name!r}.")
            if len(observation["answers"]) != len(items):
                raise CommandError(f"{where}: an observation needs {len(items)} answers.")
            services.fidelity_observe(
                checklist=checklist,
                by=by,
                observed_on=_day(observation["days_ago"]),
                observer=observation.get("observer", ""),
                note=observation.get("note", ""),
                answers={it.pk: answer for it, answer in zip(items, observation["answers"], strict=True)},
                professional=professional,
            )

    for item in data.get("feedback", []):
        check_keys(item, allowed={"days_ago", "source", "summary", "change_made"}, where=where)
        fields = {k: v for k, v in item.items() if k != "days_ago"}
        services.feedback_record(trajectory=trajectory, by=by, received_on=_day(item["days_ago"]), **fields)

    for item in data.get("evaluations", []):
        check_keys(item, allowed={"days_ago", "participants", "findings", "improvements"}, where=where)
        evaluation = services.evaluation_record(
            trajectory=trajectory,
            by=by,
            held_on=_day(item["days_ago"]),
            participants=item.get("participants", ""),
            findings=item["findings"],
        )
        for improvement in item.get("improvements", []):
            check_keys(improvement, allowed={"description", "owner", "due_days_ago", "done_days_ago"}, where=where)
            added = services.improvement_add(
                evaluation=evaluation,
                description=improvement["description"],
                owner=improvement["owner"],
                due_on=_day(improvement["due_days_ago"]) if "due_days_ago" in improvement else None,
            )
            if "done_days_ago" in improvement:
                services.improvement_done(improvement=added, by=by, done_on=_day(improvement["done_days_ago"]))
    return len(versions)
