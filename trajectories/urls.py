from django.urls import path

from .views import (
    access,
    archive,
    borgen,
    calendar,
    checklists,
    exports,
    history,
    implementeren,
    innoveren,
    notifications,
    outcomes,
    people,
    persons,
    reports,
    reviews,
    transfer,
    verkennen,
)
from .views import trajectories as views

app_name = "trajectories"

urlpatterns = [
    # "Mijn week" is the home page and the page after login; the portfolio is one click away.
    path("", notifications.my_week, name="my_week"),
    path("portefeuille/", views.portfolio, name="portfolio"),
    path("meldingen/", notifications.notification_list, name="notifications"),
    path("meldingen/gelezen/", notifications.notification_read, name="notification_read"),
    path("account/meldingsinstellingen/", notifications.notification_settings, name="notification_settings"),
    # From the link in a mail, without logging in (signed token; only the POST changes anything).
    path("meldingen/afmelden/<str:token>/", notifications.unsubscribe, name="unsubscribe"),
    path("trajecten/nieuw/", views.trajectory_create, name="create"),
    path("trajecten/<int:pk>/", views.trajectory_detail, name="detail"),
    path("trajecten/<int:pk>/bewerken/", views.trajectory_edit, name="edit"),
    path("trajecten/<int:pk>/organisaties/", views.trajectory_organisations, name="organisations"),
    path("trajecten/<int:pk>/organisaties/toevoegen/", views.participant_add, name="participant_add"),
    path(
        "trajecten/<int:pk>/organisaties/<int:organisation_pk>/verwijderen/",
        views.participant_remove,
        name="participant_remove",
    ),
    path("trajecten/<int:pk>/fase/<slug:phase>/", views.phase_detail, name="phase"),
    path("trajecten/<int:pk>/deelfase/<str:code>/", views.subphase_edit, name="subphase_edit"),
    path("trajecten/<int:pk>/opdracht/", views.assignment_edit, name="assignment_edit"),
    path("trajecten/<int:pk>/faseovergang/", views.trajectory_transition, name="transition"),
    # Export and import of whole trajectories (docs/export-format.md).
    path("trajecten/<int:pk>/export.json", transfer.trajectory_export, name="trajectory_export"),
    path("organisaties/<int:org_pk>/trajecten-export.json", transfer.organisation_export, name="organisation_export"),
    path("organisaties/<int:org_pk>/trajecten-importeren/", transfer.organisation_import, name="organisation_import"),
    # Archive instead of delete, and the change history of every tracked object.
    path("trajecten/<int:pk>/toegang/", access.organisation_access, name="organisation_access"),
    path(
        "trajecten/<int:pk>/toegang/<int:org_pk>/eerste-beheerder/",
        access.first_beheerder_invite,
        name="first_beheerder_invite",
    ),
    path("archief/", archive.archive_list, name="archive_list"),
    path("trajecten/<int:pk>/archiveren/", archive.trajectory_archive, name="archive"),
    path("trajecten/<int:pk>/herstellen/", archive.trajectory_restore, name="restore"),
    path("trajecten/<int:pk>/geschiedenis/<slug:kind>/<int:obj_pk>/", history.object_history, name="history"),
    # Verkennen (phase 2): shortlist (2a), talks, choice and agreement (2b), plan of approach (2c).
    path("trajecten/<int:pk>/shortlist/", verkennen.shortlist, name="shortlist"),
    path("trajecten/<int:pk>/shortlist/vergelijking/", verkennen.shortlist_compare, name="shortlist_compare"),
    path("trajecten/<int:pk>/kandidaten/<int:candidate_pk>/", verkennen.candidate_detail, name="candidate"),
    path(
        "trajecten/<int:pk>/kandidaten/<int:candidate_pk>/beoordelen/",
        verkennen.candidate_assess,
        name="candidate_assess",
    ),
    path(
        "trajecten/<int:pk>/kandidaten/<int:candidate_pk>/status/", verkennen.candidate_status, name="candidate_status"
    ),
    path("trajecten/<int:pk>/kandidaten/<int:candidate_pk>/gesprekken/", verkennen.talk_create, name="talk_create"),
    path(
        "trajecten/<int:pk>/kandidaten/<int:candidate_pk>/kiezen/", verkennen.candidate_choose, name="candidate_choose"
    ),
    path("trajecten/<int:pk>/overeenkomst/", verkennen.agreement, name="agreement"),
    path(
        "trajecten/<int:pk>/overeenkomst/<int:agreement_pk>/document/",
        verkennen.agreement_document,
        name="agreement_document",
    ),
    path("trajecten/<int:pk>/plan-van-aanpak/", verkennen.plan, name="plan"),
    path("trajecten/<int:pk>/plan-van-aanpak/bewerken/", verkennen.plan_edit, name="plan_edit"),
    path("trajecten/<int:pk>/plan-van-aanpak/mijlpalen/", verkennen.milestone_create, name="milestone_create"),
    path(
        "trajecten/<int:pk>/plan-van-aanpak/mijlpalen/<int:milestone_pk>/",
        verkennen.milestone_edit,
        name="milestone_edit",
    ),
    path("trajecten/<int:pk>/plan-van-aanpak/taken/", verkennen.plan_task_create, name="plan_task_create"),
    path(
        "trajecten/<int:pk>/plan-van-aanpak/wisselingen/", verkennen.people_change_create, name="people_change_create"
    ),
    path(
        "trajecten/<int:pk>/plan-van-aanpak/wisselingen/<int:change_pk>/",
        verkennen.people_change_revisit,
        name="people_change_revisit",
    ),
    # Innoveren (phase 3): implementability (3a), method description (3b), CFIR assessments.
    path("trajecten/<int:pk>/innoveren/balans/", innoveren.implementability, name="implementability"),
    path("trajecten/<int:pk>/methode/", innoveren.method, name="method"),
    path("trajecten/<int:pk>/methode/bewerken/", innoveren.method_edit, name="method_edit"),
    path("trajecten/<int:pk>/methode/versies/<int:number>/", innoveren.method_version, name="method_version"),
    path("trajecten/<int:pk>/cfir/", innoveren.cfir_list, name="cfir_list"),
    path("trajecten/<int:pk>/cfir/<int:assessment_pk>/", innoveren.cfir_detail, name="cfir"),
    path("trajecten/<int:pk>/cfir/<int:assessment_pk>/beoordelen/", innoveren.cfir_rate, name="cfir_rate"),
    path("trajecten/<int:pk>/cfir/vergelijken/", innoveren.cfir_compare, name="cfir_compare"),
    path(
        "trajecten/<int:pk>/cfir/<int:assessment_pk>/belemmering/<int:rating_pk>/strategie/",
        innoveren.cfir_strategy_take_up,
        name="cfir_strategy_take_up",
    ),
    path("strategieen/", innoveren.strategy_list, name="strategies"),
    # Training (5c) and Borgen (6a, 6b).
    path("trajecten/<int:pk>/training/", implementeren.training, name="training"),
    path("trajecten/<int:pk>/training/professionals/", implementeren.professional_create, name="professional_create"),
    path(
        "trajecten/<int:pk>/training/professionals/<int:professional_pk>/status/",
        implementeren.professional_state,
        name="professional_state",
    ),
    path("trajecten/<int:pk>/borgen/", borgen.quality, name="quality"),
    path("trajecten/<int:pk>/borgen/kwaliteitsbewaking/", borgen.quality_edit, name="quality_edit"),
    path("trajecten/<int:pk>/borgen/checklists/", borgen.fidelity_create, name="fidelity_create"),
    path("trajecten/<int:pk>/borgen/checklists/<int:checklist_pk>/", borgen.fidelity, name="fidelity"),
    path(
        "trajecten/<int:pk>/borgen/checklists/<int:checklist_pk>/observaties/",
        borgen.fidelity_observe,
        name="fidelity_observe",
    ),
    path("trajecten/<int:pk>/borgen/feedback/", borgen.feedback_create, name="feedback_create"),
    path("trajecten/<int:pk>/borgen/evaluaties/", borgen.evaluation_create, name="evaluation_create"),
    path(
        "trajecten/<int:pk>/borgen/evaluaties/<int:evaluation_pk>/verbeteringen/",
        borgen.improvement_create,
        name="improvement_create",
    ),
    path(
        "trajecten/<int:pk>/borgen/verbeteringen/<int:improvement_pk>/gedaan/",
        borgen.improvement_done,
        name="improvement_done",
    ),
    path("trajecten/<int:pk>/borgen/booster/", outcomes.booster_action, name="booster_action"),
    # Outcomes and reach (issue 22).
    path("trajecten/<int:pk>/uitkomsten/", outcomes.outcomes, name="outcomes"),
    path("trajecten/<int:pk>/uitkomsten/indicatoren/", outcomes.indicator_create, name="indicator_create"),
    path("trajecten/<int:pk>/uitkomsten/suggesties/", outcomes.indicator_suggest, name="indicator_suggest"),
    path(
        "trajecten/<int:pk>/uitkomsten/indicatoren/<int:indicator_pk>/",
        outcomes.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "trajecten/<int:pk>/uitkomsten/indicatoren/<int:indicator_pk>/metingen/",
        outcomes.measurement_create,
        name="measurement_create",
    ),
    # Stoplight method (subphase 5b): checklists, reviews and actions.
    path("trajecten/<int:pk>/checklist/<slug:phase>/", checklists.checklist, name="checklist"),
    path("trajecten/<int:pk>/checklist/<slug:phase>/vullen/", checklists.checklist_fill, name="checklist_fill"),
    path("trajecten/<int:pk>/checklistpunt/<int:item_pk>/", checklists.checklist_item, name="checklist_item"),
    path("organisaties/<int:org_pk>/checklists/<slug:phase>/", checklists.template, name="template"),
    path(
        "organisaties/<int:org_pk>/checklistpunt/<int:item_pk>/",
        checklists.template_item,
        name="template_item",
    ),
    path("trajecten/<int:pk>/stoplicht/", reviews.review_list, name="reviews"),
    path("trajecten/<int:pk>/stoplicht/nieuw/", reviews.review_start, name="review_start"),
    path("trajecten/<int:pk>/stoplicht/<int:review_pk>/", reviews.review_detail, name="review"),
    path("trajecten/<int:pk>/stoplicht/<int:review_pk>/gegevens/", reviews.review_edit, name="review_edit"),
    path(
        "trajecten/<int:pk>/stoplicht/<int:review_pk>/punt/<int:item_pk>/",
        reviews.review_item,
        name="review_item",
    ),
    path("trajecten/<int:pk>/stoplicht/<int:review_pk>/afronden/", reviews.review_finalise, name="review_finalise"),
    path("trajecten/<int:pk>/stoplicht/<int:review_pk>/heropenen/", reviews.review_reopen, name="review_reopen"),
    path("trajecten/<int:pk>/acties/", reviews.action_list, name="actions"),
    path("trajecten/<int:pk>/acties/<int:action_pk>/", reviews.action_detail, name="action"),
    path("acties/", reviews.my_actions, name="my_actions"),
    # Key figures, support and the implementation team (phase 4 and subphase 5a).
    path("trajecten/<int:pk>/sleutelfiguren/", people.stakeholder_list, name="stakeholders"),
    path("trajecten/<int:pk>/sleutelfiguren/nieuw/", people.stakeholder_add, name="stakeholder_add"),
    path("trajecten/<int:pk>/sleutelfiguren/kaart/", people.stakeholder_map, name="stakeholder_map"),
    path("trajecten/<int:pk>/sleutelfiguren/<int:stakeholder_pk>/", people.stakeholder_detail, name="stakeholder"),
    path(
        "trajecten/<int:pk>/sleutelfiguren/<int:stakeholder_pk>/bewerken/",
        people.stakeholder_edit,
        name="stakeholder_edit",
    ),
    path("trajecten/<int:pk>/sleutelfiguren/<int:stakeholder_pk>/contact/", people.contact_add, name="contact_add"),
    path("trajecten/<int:pk>/terugkoppeling/", people.report_backs, name="report_backs"),
    path("trajecten/<int:pk>/implementatieteam/", people.team, name="team"),
    path("trajecten/<int:pk>/implementatieteam/nieuw/", people.team_member_add, name="team_member_add"),
    path("trajecten/<int:pk>/implementatieteam/mandaat/", people.team_mandate, name="team_mandate"),
    path("trajecten/<int:pk>/implementatieteam/<int:member_pk>/", people.team_member, name="team_member"),
    # Reports (HTML with a print stylesheet, and the same as PDF) and exports.
    path("trajecten/<int:pk>/voortgangsrapportage/", reports.progress_report, name="progress_report"),
    path("trajecten/<int:pk>/voortgangsrapportage.pdf", reports.progress_report_pdf, name="progress_report_pdf"),
    path(
        "trajecten/<int:pk>/voortgangsrapportage-pdf/",
        reports.progress_report_pdf_job,
        name="progress_report_pdf_job",
    ),
    path(
        "trajecten/<int:pk>/voortgangsrapportage/uitbrengen/",
        reports.progress_report_issue,
        name="progress_report_issue",
    ),
    path("trajecten/<int:pk>/fase/<slug:phase>/rapport/", reports.phase_report, name="phase_report"),
    path("trajecten/<int:pk>/fase/<slug:phase>/rapport.pdf", reports.phase_report_pdf, name="phase_report_pdf"),
    # Learning across the organisation's trajectories (issue 22): a page, and the same as a PDF for managers.
    path("organisaties/<int:org_pk>/leren/", reports.learning_page, name="learning"),
    path("organisaties/<int:org_pk>/leren.pdf", reports.learning_pdf, name="learning_pdf"),
    path("organisaties/<int:org_pk>/portefeuillerapport/", reports.portfolio_report, name="portfolio_report"),
    path(
        "organisaties/<int:org_pk>/portefeuillerapport.pdf", reports.portfolio_report_pdf, name="portfolio_report_pdf"
    ),
    path("export/portefeuille.<str:fmt>", exports.portfolio_export, name="portfolio_export"),
    path("export/acties.<str:fmt>", exports.actions_export, name="actions_export"),
    path("export/metingen.<str:fmt>", exports.measurements_export, name="measurements_export"),
    # Calendar feeds: authenticated by the secret token in the URL, not by the session.
    path("agenda/", calendar.calendar_settings, name="calendar"),
    path("agenda/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("agenda/<str:token>/traject-<int:pk>.ics", calendar.trajectory_calendar_feed, name="trajectory_calendar_feed"),
    # A person's data rights, under the organisation that keeps the person (organisations:persons lists them).
    path("organisaties/<int:pk>/personen/<int:person_pk>/export.json", persons.person_export, name="person_export"),
    path("organisaties/<int:pk>/personen/<int:person_pk>/wissen/", persons.person_erase, name="person_erase"),
]
