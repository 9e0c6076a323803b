from django.urls import path

from . import account_views as views

app_name = "account"

urlpatterns = [
    path("account/", views.account_overview, name="overview"),
    path("account/tweestapsverificatie/instellen/", views.totp_enrol, name="totp_enrol"),
    path("account/tweestapsverificatie/reservecodes/", views.backup_codes, name="backup_codes"),
    path("account/tweestapsverificatie/uitzetten/", views.totp_disable, name="totp_disable"),
]
