from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectoriesConfig(AppConfig):
    name = "trajectories"
    verbose_name = _("Trajectories")

    def ready(self):
        from organisations import audit

        from . import jobs, revisions, structure, visibility
        from .models import Notification

        visibility.connect()  # before revisions: both read what a saved trajectory was loaded with
        revisions.connect()
        visibility.connect_last()  # moves what a saved trajectory was loaded with on, after both compared
        # The background work this app knows (exports, imports), run by organisations.jobs' task.
        jobs.register_runners()
        # The audit log (a lower app) learns from the declaration which trajectory, and so which giving
        # organisation, an event about a part of a trajectory belongs to.
        audit.register_organisation_resolver(structure.audit_organisation, structure.trajectory_owners)
        # A trajectory is named by its title; its revision is a cache counter (revisions.py), not a change.
        audit.register_label("trajectories.Trajectory", name_field="title")
        # Notifications are the application's own messages to a person, written by the scheduler and marked
        # read by their recipient: no change of anyone's data, so the audit log leaves them out.
        audit.leave_out(Notification)
