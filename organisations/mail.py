"""The outbox: every mail of the application is stored first and sent by the background worker.

- :func:`mail_enqueue` renders ``templates/mail/<template>.subject.txt``, ``.txt`` and ``.html`` in the
  recipient's language and stores the result as an :class:`OutgoingMail` row in the caller's transaction. A
  key that is already stored means the mail was queued before: nothing happens and it returns None, so a job
  that runs twice (or on two machines) sends nothing twice. When the transaction commits, the task
  :func:`deliver_mail` is queued (``django.tasks``; the worker is ``manage.py db_worker``).
- :func:`deliver_mail` locks the row, sends it if it was not sent yet and records when. When the SMTP server is
  down or refuses, it records the error and queues itself again after 1, 2, 4, … times
  ``FII_MAIL_RETRY_SECONDS``, at most ``FII_MAIL_MAX_ATTEMPTS`` tries; the row stays, so nothing is lost.
- Links in mails are absolute, built from ``FII_BASE_URL`` (:func:`absolute_url`), because the worker has no
  request to take the host from.

A mail is sent at most once as far as this application can know: an SMTP server that accepts a message but
drops the connection before confirming it can still make the worker try again (SMTP gives no stronger promise).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, models, transaction
from django.tasks import task
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse, translate_url
from django.utils import timezone, translation

from .models import OutgoingMail

logger = logging.getLogger(__name__)

# What a failing SMTP conversation raises: smtplib's own errors and network errors (refused, timeout, reset).
SEND_ERRORS = (smtplib.SMTPException, OSError)


def absolute_url(path: str, language: str = "") -> str:
    """``/trajecten/12/`` → ``https://fii.gemeente.nl/trajecten/12/`` (FII_BASE_URL); with a language, the same
    page in that language (``/en/trajecten/12/``) — stored links are paths in the default language."""
    if language and language != settings.LANGUAGE_CODE:
        with translation.override(settings.LANGUAGE_CODE):
            path = translate_url(path, language)
    return f"{settings.FII_BASE_URL}{path}"


def absolute_reverse(viewname: str, *, args=None, kwargs=None, language: str = "nl") -> str:
    """An absolute link to a page, in the given language (English pages live under /en/)."""
    with translation.override(language):
        return absolute_url(reverse(viewname, args=args, kwargs=kwargs))


def _render_plain(name: str, context: dict) -> str:
    """A subject or plain-text template without HTML escaping ("Amigo's", not "Amigo&#x27;s")."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render_mail(*, template: str, context: dict, language: str = "nl") -> tuple[str, str, str]:
    """(subject, plain text, HTML) of a mail template in the given language."""
    context = {
        "installation_name": settings.FII_INSTALLATION_NAME,
        "base_url": settings.FII_BASE_URL,
        "language": language,
        **context,
    }
    with translation.override(language):
        subject = _render_plain(f"mail/{template}.subject.txt", context)
        text = _render_plain(f"mail/{template}.txt", context)
        html = render_to_string(f"mail/{template}.html", context)
    subject = " ".join(subject.split())  # one line: a header may not contain line breaks
    return subject[:255], text.strip() + "\n", html


def mail_enqueue(*, key: str, to: str, template: str, context: dict, language: str = "nl") -> OutgoingMail | None:
    """Store a mail in the outbox and have the worker send it after the caller's transaction commits.

    Returns None, and changes nothing, when a mail with this key was queued before.
    """
    if OutgoingMail.objects.filter(key=key).exists():
        return None
    subject, text, html = render_mail(template=template, context=context, language=language)
    with transaction.atomic():
        # The savepoint keeps the caller's transaction usable when another process stored the key just now.
        mail, created = OutgoingMail.objects.get_or_create(
            key=key,
            defaults={"to": to, "language": language, "subject": subject, "text": text, "html": html},
        )
    if not created:
        return None
    transaction.on_commit(lambda: deliver_mail.enqueue(mail.pk))
    return mail


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8, … times FII_MAIL_RETRY_SECONDS after the 1st, 2nd, 3rd, … failed attempt."""
    return dt.timedelta(seconds=settings.FII_MAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def _send(mail: OutgoingMail) -> None:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers={"Auto-Submitted": "auto-generated", "Content-Language": mail.language},
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    message.send()


@task
def deliver_mail(mail_id: int) -> str:
    """Send one outbox row (the worker runs this); what happened is the task's result."""
    with transaction.atomic():
        rows = OutgoingMail.objects.filter(pk=mail_id)
        if connection.features.has_select_for_update_skip_locked:
            # Another worker holds the row: it is sending it right now, so this one leaves it alone.
            rows = rows.select_for_update(skip_locked=True)
        mail = rows.first()
        if mail is None:
            return "locked or gone"
        if mail.sent_at is not None:
            return "already sent"
        mail.attempts += 1
        try:
            _send(mail)
        except SEND_ERRORS as error:
            mail.last_error = f"{type(error).__name__}: {error}"[:2000]
            if mail.attempts < settings.FII_MAIL_MAX_ATTEMPTS:
                mail.next_attempt_at = timezone.now() + retry_delay(mail.attempts)
                run_after = mail.next_attempt_at
                transaction.on_commit(lambda: deliver_mail.using(run_after=run_after).enqueue(mail.pk))
                outcome = f"failed, next attempt at {run_after:%Y-%m-%d %H:%M:%S}"
                logger.warning("Mail %s to %s not sent (%s); %s", mail.pk, mail.to, mail.last_error, outcome)
            else:
                mail.next_attempt_at = None
                outcome = "failed, gave up"
                logger.error("Mail %s to %s not sent after %s attempts: %s", mail.pk, mail.to, mail.attempts, error)
            mail.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            return outcome
        mail.sent_at = timezone.now()
        mail.next_attempt_at = None
        mail.save(update_fields=["attempts", "sent_at", "next_attempt_at"])
        logger.info("Mail %s sent to %s: %s", mail.pk, mail.to, mail.subject)
        return "sent"


# A queued send is lost when a process dies between the commit of the row and the queuing of its task, or when
# the task queue is emptied; the row then waits unsent. Rows this much past their due moment are queued again.
STRANDED_AFTER = dt.timedelta(minutes=10)


def mail_requeue_stranded(*, now: dt.datetime | None = None) -> int:
    """Queue :func:`deliver_mail` again for unsent rows whose send is overdue; returns how many.

    Safe to call often and from several machines: :func:`deliver_mail` locks the row and never sends a sent
    row again, so a row queued twice is still sent once. ``send_notifications`` calls it on every run.
    """
    cutoff = (now or timezone.now()) - STRANDED_AFTER
    stranded = OutgoingMail.objects.filter(sent_at__isnull=True, attempts__lt=settings.FII_MAIL_MAX_ATTEMPTS).filter(
        models.Q(next_attempt_at__isnull=True, attempts=0, created_at__lt=cutoff) | models.Q(next_attempt_at__lt=cutoff)
    )
    ids = list(stranded.values_list("pk", flat=True)[:1000])
    for mail_id in ids:
        deliver_mail.enqueue(mail_id)
    if ids:
        logger.warning("Queued %s stranded mail(s) again.", len(ids))
    return len(ids)
