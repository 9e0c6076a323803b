"""Key figures, their support and the implementation team of the demo trajectories (phase 4 and 5a).

``load_fii_data`` calls :func:`load_people` for every trajectory row in ``fixtures/demo.json``, after its
reviews. A row may hold, all optional::

    "stakeholders": [{"name": "…", "function": "…", "employer": "…", "email": "…@example.nl", "phone": "…",
                      "side": "gevend|ontvangend|derden", "level": "wethouder|…", "influence": 1-5,
                      "support": "onbekend|tegen|neutraal|steunend|ambassadeur", "desired_support": "…",
                      "notes": "…", "days_ago": 200,
                      "support_history": [{"days_ago": 120, "to": "steunend", "reason": "…"}],
                      "contacts": [{"days_ago": 30, "kind": "gesprek", "note": "…"}],
                      "present_at_reviews": [84, 56]}],
    "team": {"members": [{"name": "…", "role": "…", "competencies": ["leiderschap", …],
                          "joined_days_ago": 300, "left_days_ago": 100, "reason": "…"}],
             "mandate": {"sufficient": true, "note": "…"}},
    "report_backs": [{"days_ago": 40, "about": "<stakeholder name>", "content": "…"}]

``support`` is the level when registered; ``support_history`` moves it later, oldest first.
``present_at_reviews`` lists the ``days_ago`` of the trajectory's reviews the person attended. Team members
and ``about`` name stakeholders of the same trajectory. A name and e-mail address already loaded for the
same giving organisation is the same person, now in one more trajectory. Every person is fictional.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from organisations.models import Person
from trajectories import services
from trajectories.models import Contact, Level, Review, Side, Support, Trajectory

from ._demo_reviews import check_keys

STAKEHOLDER_KEYS = {
    "name",
    "function",
    "employer",
    "email",
    "phone",
    "side",
    "level",
    "influence",
    "support",
    "desired_support",
    "notes",
    "days_ago",
    "support_history",
    "contacts",
    "present_at_reviews",
}
REQUIRED_STAKEHOLDER_KEYS = {"name", "side", "level", "influence", "support", "desired_support", "days_ago"}
MEMBER_KEYS = {"name", "role", "competencies", "joined_days_ago", "left_days_ago", "reason"}


def _day(days_ago: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days_ago)


def _moment(days_ago: int) -> dt.datetime:
    return min(timezone.now() - dt.timedelta(days=days_ago, hours=-1), timezone.now())


def _choice(value, choices, where: str, name: str):
    if value not in choices:
        raise CommandError(f"{where}: {name} must be one of {list(choices)}, got {value!r}.")
    return value


def load_people(trajectory: Trajectory, row: dict, *, by) -> int:
    """Load the rows' stakeholders, team and report-backs; returns the number of stakeholders."""
    where = row["title"]
    reviews = {r.held_on: r for r in Review.objects.filter(trajectory=trajectory)}
    stakeholders = {}
    for n, data in enumerate(row.get("stakeholders", []), start=1):
        here = f"{where}, stakeholder {n}"
        check_keys(data, allowed=STAKEHOLDER_KEYS, required=sorted(REQUIRED_STAKEHOLDER_KEYS), where=here)
        _choice(data["side"], Side.values, here, "side")
        _choice(data["level"], Level.values, here, "level")
        for key in ("support", "desired_support"):
            _choice(data[key], Support.values, here, key)
        # The same person (name and e-mail) in several trajectories of one organisation is one record.
        known = Person.objects.filter(
            organisation=trajectory.owner, name=data["name"], email=data.get("email", "")
        ).first()
        s = services.stakeholder_add(
            trajectory=trajectory,
            by=by,
            person=known,
            person_fields={k: data.get(k, "") for k in ("name", "function", "employer", "email", "phone")},
            side=data["side"],
            level=data["level"],
            influence=data["influence"],
            support=data["support"],
            desired_support=data["desired_support"],
            notes=data.get("notes", ""),
            at=_moment(data["days_ago"]),
        )
        for change in data.get("support_history", []):
            services.stakeholder_update(
                stakeholder=s,
                by=by,
                support=_choice(change["to"], Support.values, here, "support_history.to"),
                reason=change.get("reason", ""),
                at=_moment(change["days_ago"]),
            )
        for contact in data.get("contacts", []):
            services.contact_record(
                stakeholder=s,
                by=by,
                date=_day(contact["days_ago"]),
                kind=_choice(contact["kind"], Contact.Kind.values, here, "contacts.kind"),
                note=contact.get("note", ""),
            )
        for days_ago in data.get("present_at_reviews", []):
            review = reviews.get(_day(days_ago))
            if review is None:
                raise CommandError(f"{here}: no review {days_ago} days ago to be present at.")
            review.stakeholders_present.add(s)
        stakeholders[data["name"]] = s

    def stakeholder(name: str, here: str):
        if name not in stakeholders:
            raise CommandError(f"{here}: {name!r} is not a stakeholder of this trajectory.")
        return stakeholders[name]

    team = row.get("team", {})
    check_keys(team, allowed={"members", "mandate"}, where=f"{where}, team")
    for n, data in enumerate(team.get("members", []), start=1):
        here = f"{where}, team member {n}"
        check_keys(data, allowed=MEMBER_KEYS, required=["name", "joined_days_ago"], where=here)
        member = services.team_member_add(
            trajectory=trajectory,
            by=by,
            stakeholder=stakeholder(data["name"], here),
            team_role=data.get("role", ""),
            competencies=data.get("competencies", []),
            joined_on=_day(data["joined_days_ago"]),
        )
        if "left_days_ago" in data:
            services.team_member_leave(
                member=member, by=by, left_on=_day(data["left_days_ago"]), reason=data.get("reason", "")
            )
    if mandate := team.get("mandate"):
        services.team_mandate_set(trajectory=trajectory, by=by, sufficient=mandate["sufficient"], note=mandate["note"])
    for n, data in enumerate(row.get("report_backs", []), start=1):
        here = f"{where}, report-back {n}"
        check_keys(data, allowed={"days_ago", "about", "content"}, required=["days_ago", "content"], where=here)
        services.report_back_record(
            trajectory=trajectory,
            by=by,
            reported_on=_day(data["days_ago"]),
            content=data["content"],
            stakeholder=stakeholder(data["about"], here) if data.get("about") else None,
        )
    return len(stakeholders)
