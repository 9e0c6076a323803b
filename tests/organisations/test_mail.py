"""The outbox (organisations/mail.py): idempotent queuing, sending by the worker, retries with back-off."""

import datetime as dt

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from organisations.mail import absolute_reverse, mail_enqueue, render_mail, retry_delay
from organisations.models import OutgoingMail
from tests.mailhelpers import body_of, run_queued_tasks

pytestmark = pytest.mark.django_db


def queue(key="test:1", to="fenna@testdam.nl", **kwargs):
    return mail_enqueue(key=key, to=to, template="test_message", context=kwargs.pop("context", {}), **kwargs)


def test_the_same_key_is_stored_and_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = queue()
        second = queue()
    assert first is not None and second is None
    assert OutgoingMail.objects.count() == 1
    assert len(callbacks) == 1  # one task queued, for the first call only
    assert DBTaskResult.objects.count() == 1
    run_queued_tasks()
    assert [m.to for m in django_mail.outbox] == [["fenna@testdam.nl"]]
    first.refresh_from_db()
    assert first.sent_at is not None and first.attempts == 1


def test_nothing_is_queued_when_the_callers_transaction_rolls_back(django_capture_on_commit_callbacks):
    from django.db import transaction

    class Abort(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Abort), transaction.atomic():
        queue()
        raise Abort
    assert not callbacks
    assert not OutgoingMail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_mail_is_rendered_in_the_recipients_language_with_text_and_html(settings):
    settings.FII_BASE_URL = "https://fii.testdam.nl"
    subject_nl, text_nl, html_nl = render_mail(template="test_message", context={}, language="nl")
    subject_en, text_en, html_en = render_mail(
        template="test_message", context={"settings_url": "https://fii.testdam.nl/x"}, language="en"
    )
    assert subject_nl == "Testbericht van FII-trajecten"
    assert subject_en == "Test message from FII-trajecten"
    assert "Dit is een testbericht" in text_nl and "https://fii.testdam.nl/" in text_nl
    assert '<html lang="nl">' in html_nl and 'href="https://fii.testdam.nl/"' in html_nl
    # The footer links to the recipient's mail settings when the caller gives them.
    assert "https://fii.testdam.nl/x" in text_en and 'href="https://fii.testdam.nl/x"' in html_en
    assert "https://fii.testdam.nl/x" not in html_nl


def test_absolute_links_use_the_public_base_url_and_the_language(settings):
    settings.FII_BASE_URL = "https://fii.testdam.nl"
    assert absolute_reverse("account:overview") == "https://fii.testdam.nl/account/"
    assert absolute_reverse("account:overview", language="en") == "https://fii.testdam.nl/en/account/"


def test_a_real_smtp_server_receives_the_mail(smtp_server, django_capture_on_commit_callbacks):
    smtp_server.start()
    with django_capture_on_commit_callbacks(execute=True):
        queue(to="Fenna@Testdam.nl")
    assert run_queued_tasks() == 1
    (message,) = smtp_server.inbox.messages
    assert message["X-Envelope-To"] == "Fenna@Testdam.nl"
    assert message["Subject"] == "Testbericht van FII-trajecten"
    assert "Dit is een testbericht" in body_of(message, "plain")
    assert "<html" in body_of(message, "html")
    assert OutgoingMail.objects.get().sent_at is not None


def test_smtp_down_then_up_is_retried_with_back_off_and_delivered_once(
    smtp_server, clock, django_capture_on_commit_callbacks, settings
):
    settings.FII_MAIL_RETRY_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    # Nothing listens on the port: the first two attempts fail and are recorded.
    assert run_queued_tasks() == 1
    outgoing = OutgoingMail.objects.get()
    assert (outgoing.attempts, outgoing.sent_at) == (1, None)
    assert "ConnectionRefusedError" in outgoing.last_error
    assert outgoing.next_attempt_at == clock.now + dt.timedelta(minutes=1)
    assert run_queued_tasks() == 0  # the retry waits for its time
    clock.advance(minutes=1)
    assert run_queued_tasks() == 1
    outgoing.refresh_from_db()
    assert outgoing.attempts == 2
    assert outgoing.next_attempt_at == clock.now + dt.timedelta(minutes=2)  # back-off doubles
    # The server comes up; the third attempt delivers.
    smtp_server.start()
    clock.advance(minutes=2)
    assert run_queued_tasks() == 1
    outgoing.refresh_from_db()
    assert outgoing.sent_at == clock.now and outgoing.attempts == 3 and outgoing.next_attempt_at is None
    assert len(smtp_server.inbox.messages) == 1
    # A stray second task for the same row (two workers, a manual retry) sends nothing again.
    from organisations.mail import deliver_mail

    assert deliver_mail.call(outgoing.pk) == "already sent"
    clock.advance(hours=1)
    assert run_queued_tasks() == 0
    assert len(smtp_server.inbox.messages) == 1


def test_the_worker_gives_up_after_the_maximum_and_keeps_the_mail(smtp_server, clock, settings):
    settings.FII_MAIL_MAX_ATTEMPTS = 3
    from organisations.mail import deliver_mail

    outgoing = OutgoingMail.objects.create(key="k", to="a@b.nl", subject="S", text="T")
    outcomes = [deliver_mail.call(outgoing.pk) for _ in range(3)]
    assert outcomes[-1] == "failed, gave up"
    outgoing.refresh_from_db()
    assert (outgoing.attempts, outgoing.sent_at, outgoing.next_attempt_at) == (3, None, None)


def test_retry_delay_doubles(settings):
    settings.FII_MAIL_RETRY_SECONDS = 60
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


def test_without_smtp_mail_lands_in_a_folder_and_on_the_console(settings, tmp_path, capsys):
    backend = "fii.lib.mail_backend.FileAndConsoleBackend"
    settings.MAILERS = {"default": {"BACKEND": backend, "OPTIONS": {"file_path": tmp_path / "mail"}}}
    from organisations.mail import deliver_mail

    outgoing = OutgoingMail.objects.create(key="k", to="a@b.nl", subject="Onderwerp", text="Hallo daar")
    assert deliver_mail.call(outgoing.pk) == "sent"
    (eml,) = (tmp_path / "mail").glob("*.eml")
    assert b"Subject: Onderwerp" in eml.read_bytes()
    printed = capsys.readouterr().out
    assert "Mail to a@b.nl: Onderwerp" in printed and "Hallo daar" in printed and str(eml) in printed


def test_send_test_mail_command_queues_a_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_test_mail", "beheer@testdam.nl", stdout=__import__("io").StringIO())
    run_queued_tasks()
    assert [m.subject for m in django_mail.outbox] == ["Testbericht van FII-trajecten"]


def test_subject_and_text_are_not_html_escaped_but_html_is():
    context = {"organisation": "Amigo's & Co <Zuid>", "role": "Lezer", "url": "https://x/uitnodiging/a/"}
    context |= {"inviter": "", "on_behalf_of": "", "trajectory": "", "expires_at": None, "valid_days": 7}
    subject, text, html = render_mail(template="invitation_new", context=context)
    assert "Amigo's & Co <Zuid>" in subject and "Amigo's & Co <Zuid>" in text
    assert "Amigo&#x27;s &amp; Co &lt;Zuid&gt;" in html


def test_a_mail_whose_queued_send_was_lost_is_queued_again_and_sent_once():
    from organisations.mail import mail_requeue_stranded

    # The row committed but its task never reached the queue (a process died in between): no callbacks run.
    stored = queue()
    assert DBTaskResult.objects.count() == 0
    soon, later = stored.created_at + dt.timedelta(minutes=5), stored.created_at + dt.timedelta(minutes=11)
    assert mail_requeue_stranded(now=soon) == 0  # not yet overdue: a worker may still be about to send it
    assert mail_requeue_stranded(now=later) == 1
    assert mail_requeue_stranded(now=later) == 1  # queued twice (two schedulers) ...
    assert run_queued_tasks() == 2
    assert len(django_mail.outbox) == 1  # ... sent once
    assert mail_requeue_stranded(now=later) == 0  # a sent row is never queued again
