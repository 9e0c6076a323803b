from django.urls import path

from . import account_views as views
from . import job_views, passwords

app_name = "account"

urlpatterns = [
    path("account/", views.account_overview, name="overview"),
    path("account/downloads/", job_views.downloads, name="downloads"),
    path("account/downloads/<int:pk>/", job_views.job_detail, name="job"),
    path("account/downloads/<int:pk>/bestand/", job_views.job_file, name="job_file"),
    path("account/wachtwoord/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("account/tweestapsverificatie/instellen/", views.totp_enrol, name="totp_enrol"),
    path("account/tweestapsverificatie/reservecodes/", views.backup_codes, name="backup_codes"),
    path("account/tweestapsverificatie/uitzetten/", views.totp_disable, name="totp_disable"),
]
