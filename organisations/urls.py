from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("organisaties/", views.organisation_list, name="list"),
    path("organisaties/<int:pk>/", views.organisation_detail, name="detail"),
    path("organisaties/<int:pk>/leden/<int:membership_pk>/", views.member_update, name="member_update"),
    path("organisaties/<int:pk>/personen/", views.person_list, name="persons"),
    path("organisaties/<int:pk>/bewaartermijn/", views.retention_edit, name="retention"),
    path("organisaties/<int:pk>/auditlog/", views.audit_log, name="audit_log"),
    path("organisaties/<int:pk>/auditlog.<str:fmt>", views.audit_log_export, name="audit_log_export"),
]
