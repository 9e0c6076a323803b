from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from fii.lib.fields import DatabaseCounterField
from fii.lib.history import HistoricalRecords


class UserManager(BaseUserManager):
    use_in_migrations = True

    def make_user(self, email: str, password: str | None, **extra):
        """The user :meth:`create_user` saves, not saved yet (an import creates many with one INSERT)."""
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        return user

    def _create_user(self, email: str, password: str | None, **extra):
        user = self.make_user(email, password, **extra)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in, with the e-mail address as user name."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("May log in to the back office (admin).")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Mails and notifications go out in this language; the language switcher in the header sets it for a
    # logged-in user (organisations.account_views.set_language), and logging in opens the pages in it.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Part of the session hash: raising it ends every session of the user at their next request.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # The unread count in the header of every page, kept by the notifications (trajectories/services/
    # notifications.py) in the same transaction as the rows it counts: read with the user, so no page pays a query.
    unread_notifications = DatabaseCounterField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def _get_session_auth_hash(self, secret=None):
        # Django's hash covers the password; ours covers the session epoch too (see end_sessions).
        key_salt = "organisations.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()

    def end_sessions(self) -> None:
        """Log the user out everywhere: on deactivation or when they leave an organisation."""
        User.objects.filter(pk=self.pk).update(session_epoch=models.F("session_epoch") + 1)
        self.refresh_from_db(fields=["session_epoch"])

    def save(self, *args, **kwargs):
        if self.pk is not None and not self.is_active:
            was_active = User.objects.filter(pk=self.pk, is_active=True).exists()
            if was_active:
                self.session_epoch += 1  # a deactivated account keeps no session anywhere
        super().save(*args, **kwargs)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        GEMEENTE = "gemeente", _("Municipality")
        WELZIJN = "welzijnsorganisatie", _("Welfare organisation")
        STICHTING = "stichting", _("Foundation")
        KENNISINSTELLING = "kennisinstelling", _("Knowledge institution")
        FINANCIER = "financier", _("Funder")
        ANDERS = "anders", _("Other")

    class Financing(models.TextChoices):
        # Figure 3 of the handreiking: statutory frames versus external funders.
        WETTELIJK = "wettelijk", _("Statutory frames (e.g. Wmo, Wgs)")
        EXTERN = "extern", _("External funding")
        GEMENGD = "gemengd", _("Mixed")
        ONBEKEND = "onbekend", _("Unknown")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.ANDERS)
    financing = models.CharField(
        _("financing structure"), max_length=20, choices=Financing.choices, default=Financing.ONBEKEND
    )
    retention_months = models.PositiveSmallIntegerField(
        _("retention period (months)"),
        null=True,
        blank=True,
        help_text=_(
            "How long after a trajectory was completed or stopped its personal data is kept. After this period "
            "names, contact details and notes about people are anonymised automatically; the rest of the "
            "trajectory stays. Leave empty to keep personal data until someone erases it."
        ),
    )
    # The team's fidelity threshold (issue 22): a trajectory of this organisation starts with it and may set its own.
    fidelity_threshold = models.PositiveSmallIntegerField(
        _("fidelity threshold (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Below this percentage of active components carried out as intended, the Borgen page suggests a "
            "booster. New trajectories of this organisation start with it; each trajectory can set its own."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Raised by every save of the retention form, so a form opened before a colleague saved is refused (issue 16).
    version = models.PositiveIntegerField(default=1, editable=False)

    history_records = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fidelity_threshold__gte=1, fidelity_threshold__lte=100),
                name="organisation_fidelity_threshold_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.name,)


class Role(models.TextChoices):
    """A member's role in an organisation; each role includes the rights of the ones below it."""

    LEZER = "lezer", _("Reader")
    BEWERKER = "bewerker", _("Editor")
    BEHEERDER = "beheerder", _("Administrator")

    @property
    def rank(self) -> int:
        return ROLE_RANK[self]

    def allows(self, needed: Role) -> bool:
        return ROLE_RANK[self] >= ROLE_RANK[needed]


ROLE_RANK = {Role.LEZER: 1, Role.BEWERKER: 2, Role.BEHEERDER: 3}


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LEZER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history_records = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_organisation"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"


ERASED_NAME = "verwijderde persoon"


class Person(models.Model):
    """Someone a trajectory needs (a key figure or team member), who may not have an account.

    Data minimisation: only name, function, employer and work contact details. The record is kept by
    one organisation, whose beheerders may export or erase it; everybody else sees a person only inside
    the trajectories it is linked to.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="persons", verbose_name=_("kept by")
    )
    name = models.CharField(_("name"), max_length=150)
    function = models.CharField(_("function"), max_length=150, blank=True)
    employer = models.CharField(_("organisation"), max_length=200, blank=True, help_text=_("Where this person works."))
    email = models.EmailField(_("work e-mail"), blank=True)
    phone = models.CharField(_("work phone"), max_length=30, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Raised by every edit of the person's details, so an edit form opened before a colleague saved is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    history_records = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name", "pk"]
        constraints = [
            # An erased person keeps nothing but the anonymous placeholder name.
            models.CheckConstraint(
                condition=models.Q(erased_at__isnull=True)
                | models.Q(name=ERASED_NAME, function="", employer="", email="", phone=""),
                name="person_erased_is_anonymous",
            ),
        ]

    def __str__(self) -> str:
        return str(_("deleted person")) if self.is_erased else self.name

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class AuditEventQuerySet(models.QuerySet):
    """Audit events are only ever added: a queryset refuses to change or remove them."""

    def update(self, **kwargs):
        raise AuditLogImmutable("Audit events cannot be changed.")

    def delete(self):
        raise AuditLogImmutable("Audit events cannot be deleted.")

    _raw_delete = delete


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEvent(models.Model):
    """Who did what to which object, when, from where, and with what result (BIO/AVG audit log).

    Append-only: rows are inserted (see organisations/audit.py) and never changed or deleted; on
    PostgreSQL a trigger refuses UPDATE and DELETE as well. The object label never holds a person's
    name, so erasing a person (AVG) never needs to rewrite this log; the actor's e-mail address is kept
    as text so the entry survives when the account is removed.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")
        PDF = "pdf", _("PDF downloaded")
        ERASE = "erase", _("Personal data erased")
        PERMISSION = "permission", _("Permission changed")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Login failed")
        LOGOUT = "logout", _("Logged out")
        LOCKOUT = "lockout", _("Locked out")

    class Result(models.TextChoices):
        SUCCESS = "success", _("Success")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Failed")
        ROLLED_BACK = "rolled_back", _("Rolled back")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # No database constraint and DO_NOTHING: removing a user or organisation must not touch the log.
    actor = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_email = models.CharField(_("e-mail address"), max_length=254, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("organisation"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    method = models.CharField(_("method"), max_length=10, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, default=Result.SUCCESS)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="auditevent_org_created")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_email or '-'} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable("Audit events cannot be changed.")
        kwargs["force_insert"] = True  # never an UPDATE, not even of a row with the same id
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("Audit events cannot be deleted.")


class ExternalIdentity(models.Model):
    """A login at an OpenID Connect identity provider, keyed on issuer + subject (never on e-mail alone)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities", verbose_name=_("user"))
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        ordering = ["issuer", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique_issuer_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} · {self.subject}"


MAIL_BODY_LIMIT = 500_000


class OutgoingMail(models.Model):
    """One mail to one person, rendered when it was queued and sent by the background worker
    (organisations/mail.py). The key makes queuing idempotent: the same notification is never stored twice."""

    key = models.CharField(_("key"), max_length=255, unique=True)
    to = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=10, default="nl")
    subject = models.CharField(_("subject"), max_length=255)
    # Rendered by the application, not typed by a user; the limit keeps one mail (a long digest) bounded.
    text = models.TextField(_("plain text"), max_length=MAIL_BODY_LIMIT)
    html = models.TextField(_("HTML"), blank=True, max_length=MAIL_BODY_LIMIT)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, max_length=2000)
    # When the worker tries again after a failure; empty once sent, or when it gave up.
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="outgoingmail_pending")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


INVITATION_VALID_DAYS = 7


class Invitation(models.Model):
    """An invitation by e-mail to become a member of an organisation with a role.

    The link carries a random secret; only its SHA-256 hash is stored, so a copy of the database opens no
    invitation. The link works once, for seven days, until it is revoked or sent again (a new secret). An
    address that already has an account is asked to accept: nothing changes until that account accepts.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LEZER)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("invited by")
    )
    # The first beheerder of an organisation without members, invited by a beheerder of the giving organisation
    # of a trajectory it takes part in: that organisation, and the trajectory's title for the mail.
    on_behalf_of = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    trajectory_title = models.CharField(_("trajectory"), max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    send_count = models.PositiveSmallIntegerField(default=1, editable=False)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("accepted by")
    )
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="invitation_role_valid"),
            # One open invitation per address and organisation: inviting again renews it.
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True, declined_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_address",
            ),
        ]

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        EXPIRED = "expired", _("Expired")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def state(self) -> Invitation.State:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.declined_at:
            return self.State.DECLINED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.OPEN

    @property
    def is_closed(self) -> bool:
        """Accepted, declined or revoked: it can no longer be sent again."""
        return bool(self.accepted_at or self.declined_at or self.revoked_at)


class Notice(models.Model):
    """Something an organisation's beheerders are told in the application.

    Issue 16: when another organisation adds this one to a trajectory (as participant, or as receiving
    organisation chosen in 2b), its members get access with their own role; the beheerders are told here,
    on the portfolio and on the organisation page. The text is kept as it was when the notice was made
    (the trajectory may be renamed later); this app knows nothing of trajectories, so the link is a path.
    """

    class Kind(models.TextChoices):
        PARTICIPANT_ADDED = "deelnemer", _("Added as participating organisation")
        RECEIVING_CHOSEN = "ontvangend", _("Chosen as receiving organisation")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="notices", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("about"), max_length=200)
    by_organisation = models.CharField(_("by organisation"), max_length=200)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="notice_org_created")]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["deelnemer", "ontvangend"]), name="notice_kind_valid")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_kind_display()} · {self.subject}"


class FormSubmission(models.Model):
    """A create form that was sent and did what it asked (issue 16, finding 6): its one-time token, and the
    page its answer led to. A retried submission with the same token is sent there instead of creating the
    same thing again (organisations/submissions.py). Forgotten after a few days by ``apply_retention``."""

    token = models.CharField(_("token"), max_length=32, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    result_url = models.CharField(_("result"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return f"{self.token[:8]}… → {self.result_url}"


JOB_KEEP_DAYS = 7


def job_file_path(instance: Job, filename: str) -> str:
    # A random name under a private folder: the file is only served through a view that checks its owner.
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"jobs/{uuid.uuid4().hex}.{suffix}"


class Job(models.Model):
    """Long work a user asked for, done by the background worker: an export, an import or a large report.

    The layer that knows the work (``trajectories/jobs.py``) registers a runner per ``kind``; this model only
    records who asked, how far it got, why it failed (in the user's language; details go to the log), and the
    result file, which is personal: only the user who asked sees the job and downloads the file, until
    ``expires_at`` (``JOB_KEEP_DAYS``), when ``jobs_remove_expired`` deletes row and file.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("asked by"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=40)
    # What the work is about, for the list ("Trajecten van Gemeente Testdam"); written when the job is made.
    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=10, default="nl")
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    error = models.CharField(_("reason of failure"), max_length=2000, blank=True)
    summary = models.CharField(_("outcome"), max_length=2000, blank=True)
    source = models.FileField(_("uploaded file"), upload_to=job_file_path, blank=True)
    result = models.FileField(_("result"), upload_to=job_file_path, blank=True)
    result_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_recent")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "failed"]), name="job_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")), name="job_done_within_total"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {self.status}"

    def save(self, *args, **kwargs):
        if self.expires_at is None:
            self.expires_at = self.created_at + dt.timedelta(days=JOB_KEEP_DAYS)
        super().save(*args, **kwargs)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
