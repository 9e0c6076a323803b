"""Queue a test mail, to check the mail settings: `manage.py send_test_mail you@example.org` (the worker sends it)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.crypto import get_random_string

from organisations.mail import mail_enqueue


class Command(BaseCommand):
    help = "Queue a test mail to the given address; the background worker (db_worker) sends it."

    def add_arguments(self, parser):
        parser.add_argument("address")
        parser.add_argument("--language", default="nl", choices=["nl", "en"])

    def handle(self, *args, address, language, **options):
        with transaction.atomic():
            mail = mail_enqueue(
                key=f"test-message:{get_random_string(16)}",
                to=address,
                template="test_message",
                context={},
                language=language,
            )
        self.stdout.write(f"Queued mail {mail.pk} to {address}; the worker (manage.py db_worker) sends it.")
