from django.urls import path

from . import invitation_views, views

app_name = "organisations"

urlpatterns = [
    path("organisaties/", views.organisation_list, name="list"),
    path("organisaties/<int:pk>/", views.organisation_detail, name="detail"),
    path("organisaties/<int:pk>/leden/<int:membership_pk>/", views.member_update, name="member_update"),
    path(
        "organisaties/<int:pk>/uitnodigingen/<int:invitation_pk>/opnieuw/",
        invitation_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "organisaties/<int:pk>/uitnodigingen/<int:invitation_pk>/intrekken/",
        invitation_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("uitnodiging/<str:token>/", invitation_views.invitation_accept, name="invitation_accept"),
    path("organisaties/<int:pk>/personen/", views.person_list, name="persons"),
    path("organisaties/<int:pk>/bewaartermijn/", views.retention_edit, name="retention"),
    path("organisaties/<int:pk>/getrouwheid/", views.fidelity_threshold_edit, name="fidelity_threshold"),
    path("organisaties/<int:pk>/auditlog/", views.audit_log, name="audit_log"),
    path("organisaties/<int:pk>/auditlog.<str:fmt>", views.audit_log_export, name="audit_log_export"),
]
