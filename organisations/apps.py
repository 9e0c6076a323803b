from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations and users")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import access, audit, notices
        from .models import Membership, Organisation

        audit.connect_signals()
        post_save.connect(access.membership_written, sender=Membership, dispatch_uid="fii-access-membership-save")
        post_delete.connect(access.membership_written, sender=Membership, dispatch_uid="fii-access-membership-delete")
        post_save.connect(notices.organisation_written, sender=Organisation, dispatch_uid="fii-notices-organisation")
