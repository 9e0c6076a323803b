from django.urls import path

from . import account_views as views
from . import passwords

app_name = "account"

urlpatterns = [
    path("account/", views.account_overview, name="overview"),
    path("account/wachtwoord/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("account/tweestapsverificatie/instellen/", views.totp_enrol, name="totp_enrol"),
    path("account/tweestapsverificatie/reservecodes/", views.backup_codes, name="backup_codes"),
    path("account/tweestapsverificatie/uitzetten/", views.totp_disable, name="totp_disable"),
]
