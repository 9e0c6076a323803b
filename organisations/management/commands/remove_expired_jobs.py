"""Delete background jobs (exports, imports) past their expiry, with their files (organisations/jobs.py).

``send_notifications`` does the same on every run; this command is for installations that run it apart.
"""

from django.core.management.base import BaseCommand

from organisations.jobs import jobs_remove_expired


class Command(BaseCommand):
    help = "Delete downloads (background jobs and their files) whose seven days have passed."

    def handle(self, *args, **options):
        removed = jobs_remove_expired()
        self.stdout.write(f"Expired downloads removed: {removed}.")
