"""One permission matrix over every URL name: anonymous, outsider, lezer, bewerker, beheerder."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.factories import OrganisationFactory, make_trajectory
from trajectories import services
from trajectories.models import CalendarToken, ChecklistItem, ChecklistTemplateItem, SubphaseState, Trajectory

PERSONAS = ["anonymous", "outsider", "lezer", "bewerker", "beheerder"]
LOGIN = 302  # anonymous users are sent to the login page

READ = {"anonymous": LOGIN, "outsider": 404, "lezer": 200, "bewerker": 200, "beheerder": 200}
WRITE_FORM = {"anonymous": LOGIN, "outsider": 404, "lezer": 403, "bewerker": 200, "beheerder": 200}
ANY_USER = {"anonymous": LOGIN, "outsider": 200, "lezer": 200, "bewerker": 200, "beheerder": 200}
# Starting a job about what the user sees (the actions export): everyone may, and is sent to the job's page.
READ_POST = {**READ, "lezer": 302, "bewerker": 302, "beheerder": 302}  # a member starts a job, then sees it
ANY_USER_POST = {"anonymous": LOGIN, "outsider": 302, "lezer": 302, "bewerker": 302, "beheerder": 302}
PUBLIC = dict.fromkeys(PERSONAS, 200)
REDIRECTS = dict.fromkeys(PERSONAS, 302)
WRITE_POST = {"anonymous": LOGIN, "outsider": 404, "lezer": 403, "bewerker": 302, "beheerder": 302}
BEHEERDER_ONLY = {"anonymous": LOGIN, "outsider": 404, "lezer": 403, "bewerker": 403, "beheerder": 200}
OWNER_BEHEERDER_POST = {"anonymous": LOGIN, "outsider": 404, "lezer": 403, "bewerker": 403, "beheerder": 302}
# An empty POST names no organisation: the page again, with the error at the search field.
OWNER_BEHEERDER_BAD_POST = {"anonymous": LOGIN, "outsider": 404, "lezer": 403, "bewerker": 403, "beheerder": 400}


def trajectory_args(t):
    return [t.pk]


def open_review(t):
    return t.reviews.filter(finalised_at__isnull=True).first() or services.review_start(
        trajectory=t, by=t.created_by, held_on=timezone.localdate(), phases=[t.current_phase]
    )


def finalised_review(t):
    return services.review_finalise(review=open_review(t), by=t.created_by)


def review_args(t):
    return [t.pk, open_review(t).pk]


def review_item_args(t):
    review = open_review(t)
    return [t.pk, review.pk, review.items.first().pk]


def action_args(t):
    return [t.pk, services.action_create(trajectory=t, by=t.created_by, description="Bellen").pk]


def template_item_args(t):
    services.template_customise(organisation=t.owner, phase="verkennen")
    return [t.owner_id, ChecklistTemplateItem.objects.filter(organisation=t.owner).first().pk]


def candidate_args(t):
    candidate = t.candidates.first() or services.candidate_add(
        trajectory=t, by=t.created_by, organisation=OrganisationFactory(name="Kandidaat Welzijn")
    )
    return [t.pk, candidate.pk]


def agreement_document_args(t):
    _pk, candidate_pk = candidate_args(t)
    services.candidate_choose(candidate=t.candidates.get(pk=candidate_pk), by=t.created_by, rationale="Past")
    t.refresh_from_db()
    document = SimpleUploadedFile("overeenkomst.pdf", b"%PDF-1.4 test")
    agreement = services.agreement_record(
        trajectory=t, by=t.created_by, agreed_on=timezone.localdate(), parties="Beide", terms="Samen", document=document
    )
    return [t.pk, agreement.pk]


def milestone_args(t):
    milestone = services.milestone_save(trajectory=t, by=t.created_by, title="Start", due_on=timezone.localdate())
    return [t.pk, milestone.pk]


def people_change_args(t):
    change = services.people_change_record(
        trajectory=t,
        by=t.created_by,
        side="gevend",
        occurred_on=timezone.localdate(),
        role="Projectleider",
        description="Weg",
    )
    return [t.pk, change.pk]


def participant_args(t):
    organisation = t.participants.first() or OrganisationFactory(name="Deelnemer Welzijn")
    t.participants.add(organisation)
    return [t.pk, organisation.pk]


def stakeholder_of(t):
    return t.stakeholders.first() or services.stakeholder_add(
        trajectory=t,
        by=t.created_by,
        person_fields={"name": "Fenna Wethouder", "email": "fenna@example.nl"},
        side="derden",
        level="wethouder",
        influence=5,
        support="neutraal",
        desired_support="steunend",
    )


def stakeholder_args(t):
    return [t.pk, stakeholder_of(t).pk]


def team_member_args(t):
    member = services.team_member_add(trajectory=t, by=t.created_by, stakeholder=stakeholder_of(t))
    return [t.pk, member.pk]


def person_args(t):
    return [t.owner_id, stakeholder_of(t).person_id]


def token_of_creator(t):
    return [CalendarToken.objects.get_or_create(user=t.created_by)[0].token]


def unsubscribe_args(t):
    return [services.unsubscribe_token(t.created_by, "action_due")]


def method_version_args(t):
    version = t.method_versions.first() or services.method_save(
        trajectory=t, by=t.created_by, based_on=None, components=["Bezoekt het gezin thuis"], goal="Doel"
    )
    return [t.pk, version.number]


def cfir_args(t):
    assessment = t.cfir_assessments.first() or services.cfir_assessment_create(
        trajectory=t, by=t.created_by, title="Welzijn Noord", assessed_on=timezone.localdate()
    )
    return [t.pk, assessment.pk]


def barrier_args(t):
    """A CFIR barrier with verified expert suggestions: Reflecting & Evaluating (2022 V.H, 2009 V.D) at −2."""
    from trajectories.models import CfirRating

    pk, assessment_pk = cfir_args(t)
    rating, _ = CfirRating.objects.get_or_create(
        assessment_id=assessment_pk, construct="V.H", defaults={"rating": "-2", "rationale": "Geen evaluatie"}
    )
    return [pk, assessment_pk, rating.pk]


def professional_args(t):
    professional = services.professional_add(
        trajectory=t, by=t.created_by, name="Sanne de Vries", state="geselecteerd", state_since=timezone.localdate()
    )
    return [t.pk, professional.pk]


def fidelity_args(t):
    _pk, number = method_version_args(t)
    checklist = t.fidelity_checklists.first() or services.fidelity_checklist_create(
        trajectory=t, by=t.created_by, version=t.method_versions.get(number=number), title="Checklist"
    )
    return [t.pk, checklist.pk]


def indicator_args(t):
    indicator = t.indicators.first() or services.indicator_create(
        trajectory=t, by=t.created_by, name="Bereik", kind="bereik", unit="aantal", target=50
    )
    return [t.pk, indicator.pk]


def evaluation_args(t):
    evaluation = services.evaluation_record(
        trajectory=t, by=t.created_by, held_on=timezone.localdate(), findings="Loopt goed"
    )
    return [t.pk, evaluation.pk]


def improvement_args(t):
    _pk, evaluation_pk = evaluation_args(t)
    improvement = services.improvement_add(
        evaluation=t.evaluations.get(pk=evaluation_pk), description="Intervisie plannen", owner="Teamleider"
    )
    return [t.pk, improvement.pk]


def archived_args(t):
    """A second, archived trajectory of the same organisations, so ``t`` itself stays writable for other pages."""
    archived = make_trajectory(owner=t.owner, by=t.created_by, title="Gearchiveerd traject")
    Trajectory.objects.filter(pk=archived.pk).update(archived_at=timezone.now(), archive_reason="Klaar")
    return [archived.pk]


def invitation_args(t):
    from organisations.invitations import invitation_create

    invitation = invitation_create(organisation=t.owner, email="nieuw@testdam.nl", role="lezer", by=t.created_by)
    return [t.owner_id, invitation.pk]


def invitation_token(t):
    from tests.organisations.test_invitations import link_of

    _org, pk = invitation_args(t)
    return [link_of(pk).rstrip("/").rsplit("/", 1)[1]]


def member_less_participant_args(t):
    participant = OrganisationFactory(name="Welzijn Zonder Leden")
    t.participants.add(participant)
    return [t.pk, participant.pk]


def job_args(t):
    """A finished export of the beheerder of the trajectory's giving organisation, with its file."""
    from django.core.files.base import ContentFile

    from organisations.models import Job, Membership, Role

    asker = Membership.objects.filter(organisation_id=t.owner_id, role=Role.BEHEERDER).first().user
    job = Job(user=asker, organisation_id=t.owner_id, kind="trajectories_export", title="Export", status="done")
    job.result.save("export.json", ContentFile(b"{}"), save=False)
    job.result_name = "export.json"
    job.save()
    return [job.pk]


OWN_JOB = {"anonymous": LOGIN, "outsider": 404, "lezer": 404, "bewerker": 404, "beheerder": 200}


MATRIX = {
    # url name: (args builder, method, expected status per persona)
    "healthz": (None, "get", PUBLIC),
    "security_txt": (None, "get", PUBLIC),
    "accessibility": (None, "get", PUBLIC),
    "set_language": (None, "post", REDIRECTS),
    "login": (None, "get", {**REDIRECTS, "anonymous": 200}),
    "logout": (None, "post", REDIRECTS),
    # "Blijf ingelogd" before the idle logout: 401 (not the login page) once the session has ended.
    "session_keepalive": (None, "post", {**dict.fromkeys(PERSONAS, 200), "anonymous": 401}),
    # The second login step: without a pending login it sends you back (or on, when logged in).
    "login_code": (None, "get", REDIRECTS),
    # Everybody's own account page and two-factor settings (the personas have no authenticator yet,
    # so making backup codes and switching 2FA off redirect with a message).
    "account:overview": (None, "get", ANY_USER),
    "account:password_change": (None, "get", ANY_USER),
    # "Wachtwoord vergeten?": open to everybody; a made-up link gets the "no longer works" page.
    "password_reset": (None, "get", PUBLIC),
    "password_reset_done": (None, "get", PUBLIC),
    "password_reset_confirm": (lambda t: ["MQ", "abc-123"], "get", PUBLIC),
    "password_reset_complete": (None, "get", PUBLIC),
    "account:totp_enrol": (None, "get", ANY_USER),
    # Downloads (issue 21): everybody's own list; a job and its file only for the user who asked (here the
    # beheerder), a 404 to anybody else, colleagues of the same organisation too.
    "account:downloads": (None, "get", ANY_USER),
    "account:job": (job_args, "get", OWN_JOB),
    "account:job_file": (job_args, "get", OWN_JOB),
    "account:backup_codes": (None, "post", REDIRECTS),
    "account:totp_disable": (None, "post", REDIRECTS),
    "fii_model": (None, "get", ANY_USER),
    "trajectories:portfolio": (None, "get", ANY_USER),
    # My week (the home page), notifications and their settings: everybody's own (issue 17).
    "trajectories:my_week": (None, "get", ANY_USER),
    "trajectories:notifications": (None, "get", ANY_USER),
    "trajectories:notification_read": (None, "post", {**REDIRECTS, "anonymous": LOGIN}),
    "trajectories:notification_settings": (None, "get", ANY_USER),
    # The unsubscribe link in a mail works without logging in; its GET only asks (here the bewerker's link).
    "trajectories:unsubscribe": (unsubscribe_args, "get", PUBLIC),
    "organisations:list": (None, "get", ANY_USER),
    # Members of the municipality only; the trajectory's organisation is the municipality.
    "organisations:detail": (lambda t: [t.owner_id], "get", READ),
    # Invitations: resent and revoked by the organisation's beheerders; the link itself works for anyone who
    # holds it (here a new address: everybody gets the page, logged-in users are told to log out first).
    "organisations:invitation_resend": (invitation_args, "post", {**BEHEERDER_ONLY, "beheerder": 302}),
    "organisations:invitation_revoke": (invitation_args, "post", {**BEHEERDER_ONLY, "beheerder": 302}),
    "organisations:invitation_accept": (invitation_token, "get", PUBLIC),
    # The first beheerder of an organisation without members: beheerders of the giving organisation.
    "trajectories:organisation_access": (trajectory_args, "get", BEHEERDER_ONLY),
    "trajectories:first_beheerder_invite": (member_less_participant_args, "get", BEHEERDER_ONLY),
    "organisations:member_update": (
        lambda t: [t.owner_id, t.owner.memberships.get(role="lezer").pk],
        "post",
        {"anonymous": LOGIN, "outsider": 404, "lezer": 403, "bewerker": 403, "beheerder": 302},
    ),
    # The outsider is beheerder of their own organisation, so they may start trajectories there.
    "trajectories:create": (None, "get", {**WRITE_FORM, "outsider": 200}),
    "trajectories:detail": (trajectory_args, "get", READ),
    "trajectories:phase": (lambda t: [t.pk, "verkennen"], "get", READ),
    "trajectories:edit": (trajectory_args, "get", WRITE_FORM),
    # Who takes part (issue 16): everyone on the trajectory reads it, only the giving organisation's beheerders change.
    "trajectories:organisations": (trajectory_args, "get", READ),
    "trajectories:participant_add": (trajectory_args, "post", OWNER_BEHEERDER_BAD_POST),
    "trajectories:participant_remove": (participant_args, "post", OWNER_BEHEERDER_POST),
    "trajectories:subphase_edit": (lambda t: [t.pk, "2a"], "get", WRITE_FORM),
    "trajectories:assignment_edit": (trajectory_args, "get", WRITE_FORM),
    "trajectories:transition": (trajectory_args, "get", WRITE_FORM),
    # Verkennen (phase 2): shortlist, talks, choice, agreement and plan of approach.
    "trajectories:shortlist": (trajectory_args, "get", READ),
    "trajectories:shortlist_compare": (trajectory_args, "get", READ),
    "trajectories:candidate": (candidate_args, "get", READ),
    "trajectories:candidate_assess": (candidate_args, "get", WRITE_FORM),
    "trajectories:candidate_status": (candidate_args, "post", WRITE_POST),
    "trajectories:talk_create": (candidate_args, "post", WRITE_POST),
    "trajectories:candidate_choose": (candidate_args, "get", BEHEERDER_ONLY),  # issue 16: the owner decides
    "trajectories:agreement": (trajectory_args, "get", READ),
    "trajectories:agreement_document": (agreement_document_args, "get", READ),
    "trajectories:plan": (trajectory_args, "get", READ),
    "trajectories:plan_edit": (trajectory_args, "get", WRITE_FORM),
    "trajectories:milestone_create": (trajectory_args, "post", WRITE_POST),
    "trajectories:milestone_edit": (milestone_args, "get", WRITE_FORM),
    "trajectories:plan_task_create": (trajectory_args, "post", WRITE_POST),
    "trajectories:people_change_create": (trajectory_args, "post", WRITE_POST),
    "trajectories:people_change_revisit": (people_change_args, "get", WRITE_FORM),
    # Innoveren, training, borging and CFIR (issue 6).
    "trajectories:implementability": (trajectory_args, "get", READ),
    "trajectories:method": (trajectory_args, "get", READ),
    "trajectories:method_edit": (trajectory_args, "get", WRITE_FORM),
    "trajectories:method_version": (method_version_args, "get", READ),
    "trajectories:cfir_list": (trajectory_args, "get", READ),
    "trajectories:cfir": (cfir_args, "get", READ),
    "trajectories:cfir_rate": (cfir_args, "get", WRITE_FORM),
    "trajectories:cfir_strategy_take_up": (barrier_args, "post", WRITE_POST),
    "trajectories:strategies": (None, "get", ANY_USER),
    "trajectories:cfir_compare": (trajectory_args, "get", READ),
    "trajectories:training": (trajectory_args, "get", READ),
    "trajectories:professional_create": (trajectory_args, "post", WRITE_POST),
    "trajectories:professional_state": (professional_args, "get", WRITE_FORM),
    "trajectories:quality": (trajectory_args, "get", READ),
    "trajectories:quality_edit": (trajectory_args, "get", WRITE_FORM),
    "trajectories:fidelity_create": (lambda t: method_version_args(t)[:1], "post", WRITE_POST),
    "trajectories:fidelity": (fidelity_args, "get", READ),
    "trajectories:fidelity_observe": (fidelity_args, "post", WRITE_POST),
    "trajectories:feedback_create": (trajectory_args, "post", WRITE_POST),
    "trajectories:evaluation_create": (trajectory_args, "post", WRITE_POST),
    "trajectories:improvement_create": (evaluation_args, "get", WRITE_FORM),
    "trajectories:improvement_done": (improvement_args, "post", WRITE_POST),
    # Outcomes and reach, fidelity over time (issue 22).
    "trajectories:outcomes": (trajectory_args, "get", READ),
    "trajectories:indicator_create": (trajectory_args, "post", WRITE_POST),
    "trajectories:indicator_suggest": (trajectory_args, "post", WRITE_POST),
    "trajectories:indicator_edit": (indicator_args, "get", WRITE_FORM),
    "trajectories:measurement_create": (indicator_args, "post", WRITE_POST),
    "trajectories:booster_action": (trajectory_args, "post", WRITE_POST),
    # Stoplight reviews.
    "trajectories:checklist": (lambda t: [t.pk, "verkennen"], "get", READ),
    "trajectories:checklist_fill": (lambda t: [t.pk, "borgen"], "post", WRITE_POST),
    "trajectories:checklist_item": (
        lambda t: [t.pk, ChecklistItem.objects.filter(trajectory=t).first().pk],
        "get",
        READ,
    ),
    "trajectories:template": (lambda t: [t.owner_id, "verkennen"], "get", READ),
    "trajectories:template_item": (template_item_args, "post", {**BEHEERDER_ONLY, "beheerder": 302}),
    "trajectories:reviews": (trajectory_args, "get", READ),
    "trajectories:review_start": (trajectory_args, "get", WRITE_FORM),
    "trajectories:review": (review_args, "get", READ),
    "trajectories:review_edit": (review_args, "get", WRITE_FORM),
    "trajectories:review_item": (review_item_args, "post", WRITE_POST),
    "trajectories:review_finalise": (review_args, "post", WRITE_POST),
    "trajectories:review_reopen": (lambda t: [t.pk, finalised_review(t).pk], "get", BEHEERDER_ONLY),
    "trajectories:actions": (trajectory_args, "get", READ),
    "trajectories:action": (action_args, "get", READ),
    "trajectories:my_actions": (None, "get", ANY_USER),
    "trajectories:progress_report": (trajectory_args, "get", READ),
    "trajectories:progress_report_pdf": (trajectory_args, "get", READ),
    "trajectories:progress_report_pdf_job": (trajectory_args, "post", READ_POST),
    "trajectories:progress_report_issue": (trajectory_args, "post", WRITE_POST),
    "trajectories:phase_report": (lambda t: [t.pk, "verkennen"], "get", READ),
    "trajectories:phase_report_pdf": (lambda t: [t.pk, "verkennen"], "get", READ),
    "trajectories:portfolio_report": (lambda t: [t.owner_id], "get", READ),
    "trajectories:portfolio_report_pdf": (lambda t: [t.owner_id], "post", READ_POST),
    # Learning across trajectories (issue 22): only members of the organisation.
    "trajectories:learning": (lambda t: [t.owner_id], "get", READ),
    "trajectories:learning_pdf": (lambda t: [t.owner_id], "post", READ_POST),
    # Exports list only what the user may see; an outsider gets their own (empty) list.
    "trajectories:portfolio_export": (lambda t: ["csv"], "get", ANY_USER),
    "trajectories:actions_export": (lambda t: ["xlsx"], "post", ANY_USER_POST),
    "trajectories:measurements_export": (lambda t: ["csv"], "get", ANY_USER),
    "trajectories:calendar": (None, "get", ANY_USER),
    # Feeds authenticate by the secret token in the URL (here the bewerker's), not by the session.
    "trajectories:calendar_feed": (token_of_creator, "get", PUBLIC),
    "trajectories:trajectory_calendar_feed": (lambda t: [token_of_creator(t)[0], t.pk], "get", PUBLIC),
    # Key figures, support and team (issue 5).
    "trajectories:stakeholders": (trajectory_args, "get", READ),
    "trajectories:stakeholder_add": (trajectory_args, "get", WRITE_FORM),
    "trajectories:stakeholder_map": (trajectory_args, "get", READ),
    "trajectories:stakeholder": (stakeholder_args, "get", READ),
    "trajectories:stakeholder_edit": (stakeholder_args, "get", WRITE_FORM),
    "trajectories:contact_add": (stakeholder_args, "post", WRITE_POST),
    "trajectories:report_backs": (trajectory_args, "get", READ),
    "trajectories:team": (trajectory_args, "get", READ),
    "trajectories:team_member_add": (trajectory_args, "get", WRITE_FORM),
    "trajectories:team_member": (team_member_args, "get", WRITE_FORM),
    "trajectories:team_mandate": (trajectory_args, "get", WRITE_FORM),
    # Persons: only the beheerders of the organisation that keeps them.
    "organisations:persons": (lambda t: [t.owner_id], "get", BEHEERDER_ONLY),
    "trajectories:person_export": (person_args, "get", BEHEERDER_ONLY),
    "trajectories:person_erase": (person_args, "get", BEHEERDER_ONLY),
    # Export and import of whole trajectories: only beheerders of the giving organisation.
    "trajectories:trajectory_export": (trajectory_args, "get", BEHEERDER_ONLY),
    # Queues a background job (issue 21); its page and file are the asker's own (see job_args).
    "trajectories:organisation_export": (lambda t: [t.owner_id], "post", OWNER_BEHEERDER_POST),
    "trajectories:organisation_import": (lambda t: [t.owner_id], "get", BEHEERDER_ONLY),
    "organisations:retention": (lambda t: [t.owner_id], "get", BEHEERDER_ONLY),
    "organisations:fidelity_threshold": (lambda t: [t.owner_id], "get", BEHEERDER_ONLY),
    # Archive instead of delete (beheerders of the giving organisation), and the history of every object.
    "trajectories:archive_list": (None, "get", ANY_USER),
    "trajectories:archive": (trajectory_args, "get", BEHEERDER_ONLY),
    "trajectories:restore": (archived_args, "get", BEHEERDER_ONLY),
    "trajectories:history": (lambda t: [t.pk, "traject", t.pk], "get", READ),
    # The audit log: only the organisation's beheerders.
    "organisations:audit_log": (lambda t: [t.owner_id], "get", BEHEERDER_ONLY),
    "organisations:audit_log_export": (lambda t: [t.owner_id, "csv"], "get", BEHEERDER_ONLY),
}

# POST bodies for the matrix, where an empty body would be invalid.
POST_DATA = {
    # As a plan milestone: the action route is covered in tests/trajectories/test_eric.py.
    "trajectories:cfir_strategy_take_up": {"strategy": "E26", "due_on": "2099-12-31", "target": "milestone"},
    "set_language": {"language": "nl", "next": "/"},
    "trajectories:template_item": {"op": "up"},
    "trajectories:review_item": {"colour": "groen"},
    "trajectories:review_finalise": {"confirmed": "1"},
    "trajectories:candidate_status": {"status": "afgewezen", "reason": "Past niet"},
    "trajectories:talk_create": {
        "held_on": "2026-01-05",
        "management": "Directeur",
        "sees_added_value": "ja",
        "fits_practice": "ja",
        "commits_resources": "ja",
        "joins_team": "ja",
    },
    "trajectories:milestone_create": {"title": "Kick-off", "due_on": "2026-12-01"},
    "trajectories:plan_task_create": {"task-description": "Bellen"},
    "trajectories:people_change_create": {
        "change-side": "ontvangend",
        "change-occurred_on": "2026-01-05",
        "change-role": "Teamleider",
        "change-description": "Nieuw",
    },
    "trajectories:contact_add": {"date": "2026-01-05", "kind": "gesprek", "note": "Koffie"},
    # Innoveren, training, borging and CFIR (issue 6).
    "trajectories:professional_create": {
        "pro-name": "Sanne de Vries",
        "pro-state": "geselecteerd",
        "pro-state_since": "2026-01-05",
    },
    "trajectories:fidelity_create": {"checklist-title": "Checklist"},
    "trajectories:fidelity_observe": {"observed_on": "2026-01-05", "answer_1": "ja"},
    "trajectories:feedback_create": {
        "feedback-received_on": "2026-01-05",
        "feedback-source": "deelnemers",
        "feedback-summary": "Fijn",
    },
    "trajectories:evaluation_create": {"evaluation-held_on": "2026-01-05", "evaluation-findings": "Loopt goed"},
    "trajectories:indicator_create": {
        "indicator-name": "Bereikte cliënten",
        "indicator-kind": "bereik",
        "indicator-unit": "aantal",
        "indicator-target": "50",
        "indicator-direction": "minimaal",
    },
    "trajectories:indicator_suggest": {"suggestion": "bereik-aantal"},
    "trajectories:measurement_create": {"measurement-measured_on": "2026-01-05", "measurement-value": "12"},
    "trajectories:archive": {"reason": "Afgerond en overgedragen"},
    "organisations:retention": {"retention_months": "24"},
    "organisations:fidelity_threshold": {"fidelity_threshold": "70"},
}


def all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from all_url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_name_is_in_the_matrix():
    names = {name for name in all_url_names() if not name.startswith("admin:")}
    missing = names - set(MATRIX)
    assert not missing, f"Add these URL names to the permission matrix: {sorted(missing)}"
    assert not set(MATRIX) - names, "The matrix lists URL names that no longer exist."


@pytest.fixture
def client_for(client, personas):
    def _client(persona):
        client.logout()
        if persona != "anonymous":
            client.force_login(personas[persona])
        return client

    return _client


@pytest.fixture
def world_client_for(client, world):
    """Like ``client_for``, for the personas of the shared world (tests/conftest.py)."""

    def _client(persona):
        client.logout()
        if persona != "anonymous":
            client.force_login(world[1][persona])
        return client

    return _client


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(name, persona, world_client_for, world):
    trajectory = world[0]
    client_for = world_client_for
    args_for, method, expected = MATRIX[name]
    url = reverse(name, args=args_for(trajectory) if args_for else None)
    client = client_for(persona)
    data = POST_DATA.get(name, {})
    response = getattr(client, method)(url, data)
    assert response.status_code == expected[persona], f"{persona} on {name}: {response.status_code}"
    if response.status_code == LOGIN and persona == "anonymous" and name not in ("set_language", "logout", "login"):
        assert response["Location"].startswith(reverse("login"))


WRITES = {
    "trajectories:edit": (
        trajectory_args,
        {"title": "Gekaapt", "start_date": "2026-01-01", "status": "actief"},
    ),
    "trajectories:subphase_edit": (lambda t: [t.pk, "2a"], {"status": "afgerond", "notes": "Gekaapt"}),
    "trajectories:assignment_edit": (
        trajectory_args,
        {"goal": "Gekaapt", "is_realistic": "ja", "is_ambitious": "ja"},
    ),
    "trajectories:transition": (trajectory_args, {"to_phase": "borgen", "reason": "Gekaapt"}),
}


@pytest.mark.parametrize("name", sorted(WRITES))
@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("lezer", 403), ("anonymous", 302)])
def test_writes_are_refused_and_change_nothing(name, persona, status, world_client_for, world):
    trajectory, client_for = world[0], world_client_for
    args_for, data = WRITES[name]
    response = client_for(persona).post(reverse(name, args=args_for(trajectory)), data)
    assert response.status_code == status
    trajectory.refresh_from_db()
    assert trajectory.title == "Schuldhulp Vroeg"
    assert trajectory.current_phase == "verkennen"
    assert trajectory.assignment.goal == ""
    assert SubphaseState.objects.get(trajectory=trajectory, subphase="2a").notes == ""


def test_participating_organisation_reads_with_its_own_role(client, trajectory, outsider, outsider_org):
    trajectory.participants.add(outsider_org)
    client.force_login(outsider)  # beheerder of a participating organisation
    assert client.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 200
    assert client.get(reverse("trajectories:edit", args=[trajectory.pk])).status_code == 200


def test_receiving_organisation_members_get_access(client, trajectory, outsider, outsider_org):
    trajectory.receiving_organisation = outsider_org
    trajectory.save()
    client.force_login(outsider)
    assert client.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 200


def test_portfolio_lists_only_visible_trajectories(client, trajectory, outsider, outsider_org):
    from tests.factories import make_trajectory

    make_trajectory(owner=outsider_org, title="Elders Traject")
    client.force_login(outsider)
    content = client.get(reverse("trajectories:portfolio")).content.decode()
    assert "Elders Traject" in content
    assert "Schuldhulp Vroeg" not in content


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("beheerder", 302)])
def test_admin_is_only_for_staff(persona, status, client_for):
    response = client_for(persona).get(reverse("admin:index"))
    assert response.status_code == status
    assert "/admin/login/" in response["Location"]


def test_admin_works_for_staff_in_dutch(admin_client, trajectory):
    response = admin_client.get(reverse("admin:trajectories_trajectory_change", args=[trajectory.pk]))
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()


def test_404_and_403_pages_are_in_dutch_and_reveal_nothing(client, outsider, lezer, trajectory):
    client.force_login(outsider)
    response = client.get(reverse("trajectories:detail", args=[trajectory.pk]))
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()
    assert trajectory.title not in response.content.decode()
    client.force_login(lezer)
    response = client.get(reverse("trajectories:edit", args=[trajectory.pk]))
    assert response.status_code == 403
    assert "Geen toestemming" in response.content.decode()
