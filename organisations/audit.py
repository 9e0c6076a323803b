"""The audit log (BIO/AVG): who did what to which object, when, from where, and with what result.

How an event reaches the database, and why this way:

- A successful change and its audit row commit together (issue 16): :func:`record` inside a
  ``transaction.atomic`` block writes the event at once, in the change's own transaction. When the
  connection drops before the commit, neither stands; when it drops after, both do. A change made
  outside any block (autocommit) has already been committed, so its event is written at once too.
- Within a request, :class:`AuditMiddleware` opens a collector (a context variable) that keeps every
  event of the request, with the user, IP address, path and method of the request. An event written
  inside a block registers a ``transaction.on_commit`` marker; when the block rolls back, Django drops the
  marker and the row vanishes with the change. After the view returned, outside every block, the
  middleware writes such an event again with result "rolled back": the attempt is kept, and the log says
  it did not happen. An event whose marker is still waiting (an enclosing block that is still open, as in
  tests) stands as written.
- A request that may change something (POST and the like) runs in one transaction (:class:`AuditMiddleware`),
  so a view that saves a row without a block of its own still commits the row and its event together; a
  view that fails (5xx) has that transaction rolled back.
- Refusals and failures (result other than "success") are attempts, not changes: they are written by
  the middleware after the view, with one INSERT, whatever happened to the view's transactions.
- Outside a request (management commands, the shell) :func:`record` writes at once; there is no later
  moment to wait for. A command that needs rollback-proof entries wraps its work in :func:`collecting`.

What is recorded:

- Every create, update and delete of a model of the organisations and trajectories apps, by one set of
  receivers (post_save, post_delete, m2m_changed) connected in :func:`connect_signals`; for updates the
  names of the changed fields, never their values. Memberships and a user's rights (active, staff,
  superuser, groups) are recorded as permission changes. Writes that bypass ``save()``
  (``save_versioned``, erasure) record themselves; bulk-created rows derived from a recorded parent
  (a review's items, a copied checklist) are covered by the parent's event. An import (bulk writes, issue 21)
  records one "create" event per trajectory and per person it made, with :func:`record_created`; the rows
  inside a trajectory are covered by the trajectory's event.
- Exports, PDFs and downloads are recorded by their views; logins, failed logins, logouts and lockouts
  by Django's auth signals and django-axes'.

The object label names only organisations and trajectories. Everything else, and in particular every
model that holds personal data (users, persons, stakeholders, contacts, team members, professionals),
is labelled "Stakeholder #12", so erasing a person never needs to rewrite the log.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, transaction

from .models import AuditEvent, Membership, Organisation, User

Action = AuditEvent.Action
Result = AuditEvent.Result

AUDITED_APPS = ("organisations", "trajectories")
# The outbox is a delivery queue, not data anyone changes: what a mail is about is audited where it is made.
# A form submission's token (submissions.py) is bookkeeping of the create it belongs to, which is audited itself.
NOT_AUDITED = {"organisations.AuditEvent", "organisations.OutgoingMail", "organisations.FormSubmission"}
# Model label → the field that names its rows in the log; a higher app adds its own with register_label().
NAMED_MODELS = {"organisations.Organisation": "name"}
# Fields whose change is not a change worth an event; a higher app adds its own with register_label().
# A login is an event of its own; the last-login timestamp it sets is not another change.
IGNORED_FIELDS = {"organisations.User": {"last_login", "unread_notifications", "language"}}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
USER_RIGHTS = {"is_active", "is_staff", "is_superuser", "groups", "user_permissions"}

_UNSET = object()


class _CommitWatch:
    """An on_commit callback that remembers whether it ran."""

    __slots__ = ("committed",)

    def __init__(self):
        self.committed = False

    def __call__(self):
        self.committed = True


@dataclass
class _Pending:
    event: AuditEvent
    watch: _CommitWatch | None
    using: str
    trajectory_id: int | None  # the organisation is the owner of this trajectory, looked up at flush
    written: bool = False  # already inserted with the change (in its transaction, or after its autocommit)


class Collector:
    def __init__(self, request=None):
        self.request = request
        self.pending: list[_Pending] = []
        self.owners: dict[int, int] = {}  # trajectory id → owner id, of trajectories this request loaded


def note_trajectory(trajectory) -> None:
    """Remember a trajectory's owner for this request (the scoped look-up calls this), so that events about
    its rows need no query to find their organisation."""
    collector = _current.get()
    if collector is not None:
        collector.owners[trajectory.pk] = trajectory.owner_id


_current: ContextVar[Collector | None] = ContextVar("fii_audit_collector", default=None)


def client_ip(request) -> str | None:
    """REMOTE_ADDR; the first X-Forwarded-For hop only when FII_TRUST_X_FORWARDED_FOR says a proxy sets it."""
    meta = getattr(request, "META", {})
    candidate = ""
    if settings.FII_TRUST_X_FORWARDED_FOR:
        candidate = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip()
    candidate = candidate or meta.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def register_label(model_label: str, *, name_field: str = "", ignored_fields: Iterable[str] = ()) -> None:
    """Called at start-up by a higher app (TrajectoriesConfig.ready): how the log names that app's rows, and
    which of their fields are bookkeeping rather than a change."""
    if name_field:
        NAMED_MODELS[model_label] = name_field
    if ignored_fields:
        IGNORED_FIELDS.setdefault(model_label, set()).update(ignored_fields)


def object_label(obj) -> str:
    field = NAMED_MODELS.get(obj._meta.label)
    if field:
        return str(getattr(obj, field, ""))[:200]
    return f"{obj._meta.object_name} #{obj.pk}"


# How an object of a higher app (trajectories) finds its organisation: that app registers a resolver at
# start-up (TrajectoriesConfig.ready), because this lower app may not import it. ``organisation_of(obj)``
# answers (organisation id, or None and the id of the trajectory whose owner it is) or None for a model it
# does not know; ``owners(trajectory ids)`` gives those owners.
_organisation_resolvers: list[Callable] = []
_owner_lookups: list[Callable[[set[int]], dict[int, int]]] = []


def register_organisation_resolver(organisation_of: Callable, owners: Callable[[set[int]], dict[int, int]]) -> None:
    if organisation_of not in _organisation_resolvers:
        _organisation_resolvers.append(organisation_of)
        _owner_lookups.append(owners)


@functools.cache
def _route(model) -> tuple[str, str] | None:
    """How to find the organisation an object's data belongs to (when no registered resolver knows it): its
    organisation, or its parent's."""
    fks = {f.name: f for f in model._meta.concrete_fields if f.many_to_one}
    if "organisation" in fks and fks["organisation"].related_model is Organisation:
        return ("organisation", "organisation")
    for name, field in fks.items():
        parent = field.related_model
        if parent in (User, Organisation, model) or parent._meta.app_label not in AUDITED_APPS:
            continue
        if _route(parent) is not None:
            return ("parent", name)
    return None


def _organisation_of(obj) -> tuple[int | None, int | None]:
    """(organisation id, trajectory id whose owner is the organisation, when not known yet)."""
    if obj._meta.label == "organisations.Organisation":
        return obj.pk, None
    for resolve in _organisation_resolvers:
        found = resolve(obj)
        if found is not None:
            return found
    route = _route(type(obj)._meta.concrete_model)
    if route is None:
        return None, None
    kind, name = route
    if kind == "organisation":
        return obj.organisation_id, None
    try:
        parent = getattr(obj, name)
    except ObjectDoesNotExist:
        return None, None
    return _organisation_of(parent) if parent is not None else (None, None)


def _request_user(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def record(
    action: str,
    *,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    label: str = "",
    organisation=_UNSET,
    changed_fields: Iterable[str] = (),
    detail: str = "",
    result: str = Result.SUCCESS,
    actor=_UNSET,
    actor_email: str = "",
    request=None,
) -> AuditEvent:
    """Record one event; see the module docstring for when it is written."""
    collector = _current.get()
    if request is None and collector is not None:
        request = collector.request
    event = AuditEvent(action=action, result=result, detail=detail[:200], changed_fields=sorted(changed_fields))
    trajectory_id = None
    using = DEFAULT_DB_ALIAS
    if obj is not None:
        event.object_type = obj._meta.label
        event.object_id = str(obj.pk or "")
        event.object_label = object_label(obj)
        using = obj._state.db or DEFAULT_DB_ALIAS
    event.object_type = object_type or event.object_type
    event.object_id = str(object_id or event.object_id)[:64]
    event.object_label = (label or event.object_label)[:200]
    if organisation is _UNSET:
        org_id, trajectory_id = _organisation_of(obj) if obj is not None else (None, None)
    else:
        org_id = getattr(organisation, "pk", organisation)
    event.organisation_id = org_id
    if actor is _UNSET:
        actor = _request_user(request)
    if actor is not None:
        event.actor_id = actor.pk
        event.actor_email = actor.email
    else:
        event.actor_email = actor_email[:254]
    if request is not None:
        event.ip_address = client_ip(request)
        event.path = getattr(request, "path", "")[:500]
        event.method = getattr(request, "method", "") or ""

    if collector is None:
        if trajectory_id is not None:
            event.organisation_id = _owners({trajectory_id}).get(trajectory_id)
        event.save()
        return event
    if result != Result.SUCCESS:
        # An attempt that was refused or failed: written after the view, whatever its transactions did.
        collector.pending.append(_Pending(event, None, using, trajectory_id))
        return event
    if trajectory_id is not None:
        owner = collector.owners.get(trajectory_id)
        event.organisation_id = owner if owner is not None else _owners({trajectory_id}).get(trajectory_id)
    watch = None
    if transaction.get_connection(using).in_atomic_block:
        watch = _CommitWatch()
        transaction.on_commit(watch, using=using)
    pending = _Pending(event, watch, using, trajectory_id)
    collector.pending.append(pending)  # first: if the write fails, the attempt is still kept at flush
    event.save()  # with the change: in its transaction, or right after its autocommit
    pending.written = True
    return event


def record_created(objs: Iterable, *, detail: str = "") -> list[AuditEvent]:
    """One "create" event for each of ``objs`` (saved rows of one model, made by a bulk write), written with one
    INSERT: what :func:`record` does for each, for a service that creates many rows at once (an import)."""
    objs = list(objs)
    if not objs:
        return []
    collector = _current.get()
    request = collector.request if collector is not None else None
    actor = _request_user(request)
    using = objs[0]._state.db or DEFAULT_DB_ALIAS
    found = [_organisation_of(obj) for obj in objs]
    missing = {t for _org, t in found if t is not None}
    owners = _owners(missing) if missing else {}
    events = []
    for obj, (org_id, trajectory_id) in zip(objs, found, strict=True):
        event = AuditEvent(
            action=Action.CREATE,
            result=Result.SUCCESS,
            detail=detail[:200],
            changed_fields=[],
            object_type=obj._meta.label,
            object_id=str(obj.pk)[:64],
            object_label=object_label(obj)[:200],
            organisation_id=org_id if trajectory_id is None else owners.get(trajectory_id),
        )
        if actor is not None:
            event.actor_id, event.actor_email = actor.pk, actor.email
        if request is not None:
            event.ip_address = client_ip(request)
            event.path = getattr(request, "path", "")[:500]
            event.method = getattr(request, "method", "") or ""
        events.append(event)
    watch = None
    if collector is not None and transaction.get_connection(using).in_atomic_block:
        watch = _CommitWatch()
        transaction.on_commit(watch, using=using)
    pending = [_Pending(event, watch, using, None) for event in events]
    if collector is not None:
        collector.pending.extend(pending)  # first: if the write fails, the attempts are still kept at flush
    AuditEvent.objects.using(using).bulk_create(events)
    for p in pending:
        p.written = True
    return events


def _owners(trajectory_ids: set[int]) -> dict[int, int]:
    owners: dict[int, int] = {}
    for lookup in _owner_lookups:
        owners.update(lookup(trajectory_ids))
    return owners


def _rolled_back(pending: _Pending) -> bool:
    if pending.watch is None or pending.watch.committed:
        return False
    waiting = transaction.get_connection(pending.using).run_on_commit
    return not any(entry[1] is pending.watch for entry in waiting)


def _copy(event: AuditEvent) -> AuditEvent:
    fields = {f.attname: getattr(event, f.attname) for f in AuditEvent._meta.concrete_fields if not f.primary_key}
    return AuditEvent(**fields)


def flush(collector: Collector) -> None:
    """Write the request's attempts that are not in the log yet with one INSERT: refusals and failures, and
    the changes that rolled back (their row written with the change vanished with it)."""
    pending, collector.pending = collector.pending, []
    to_write = []
    for p in pending:
        rolled_back = _rolled_back(p)
        if p.written and not rolled_back:
            continue  # it stands with its change
        again = _copy(p.event)
        if rolled_back and again.result == Result.SUCCESS:
            again.result = Result.ROLLED_BACK
        to_write.append(_Pending(again, None, p.using, p.trajectory_id))
    if not to_write:
        return
    owners = collector.owners
    missing = {p.trajectory_id for p in to_write if p.trajectory_id is not None and p.event.organisation_id is None}
    if missing - owners.keys():
        owners = {**owners, **_owners(missing - owners.keys())}
    for p in to_write:
        if p.trajectory_id is not None and p.event.organisation_id is None:
            p.event.organisation_id = owners.get(p.trajectory_id)
    events = [p.event for p in to_write]
    try:
        AuditEvent.objects.bulk_create(events)
    except (OperationalError, InterfaceError):
        # The connection dropped during the request (the attempt is why we write): once more on a new one.
        connection = transaction.get_connection()
        if connection.in_atomic_block:
            raise
        connection.close()
        AuditEvent.objects.bulk_create(events)


def collecting_now() -> bool:
    """Whether events are being collected (within a request, or a :func:`collecting` block)."""
    return _current.get() is not None


def changes_recorded() -> int:
    """How many successful changes the current collector has heard of so far (0 without a collector)."""
    collector = _current.get()
    if collector is None:
        return 0
    return sum(1 for p in collector.pending if p.event.result == Result.SUCCESS)


@contextlib.contextmanager
def collecting(request=None) -> Iterator[Collector]:
    """Collect events and write them when the block ends, whatever happened to its transactions."""
    collector = Collector(request)
    token = _current.set(collector)
    try:
        yield collector
    finally:
        _current.reset(token)
        flush(collector)


class AuditMiddleware:
    """Runs a request that may change something in one transaction, and writes the attempts that are not in the
    log yet (refusals, failures, rollbacks) after it (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with collecting(request):
            if request.method in SAFE_METHODS:
                return self.get_response(request)
            # A change and its audit row commit together, also where the view writes without a block of its own
            # (a single save() commits at once, and its row would follow in a second commit). Savepoint-free:
            # nested in an enclosing block (tests), this adds no queries and leaves the outcome to that block.
            outermost = not transaction.get_connection().in_atomic_block
            with transaction.atomic(savepoint=False):
                response = self.get_response(request)
                if response.status_code >= 500 and outermost:
                    transaction.set_rollback(True)  # the view failed: nothing it did stands
            return response


# Generic hooks for the domain models -----------------------------------------------------------------


def _is_history_copy(model) -> bool:
    """django-simple-history's copy of a model's rows: written with the row, so its event says it all."""
    return any(field.name == "history_id" for field in model._meta.concrete_fields)


def _audited(model) -> bool:
    meta = model._meta
    return (
        meta.app_label in AUDITED_APPS
        and meta.label not in NOT_AUDITED
        and not meta.auto_created
        and not _is_history_copy(model)
    )


def _on_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before an update without update_fields, read the stored row to learn which fields change.

    With update_fields the caller named the fields, and no query is spent: the htmx light change must stay
    within its query budget.
    """
    if raw or update_fields is not None or instance._state.adding or not _audited(sender):
        return
    fields = [f for f in sender._meta.concrete_fields if not f.primary_key]
    stored = sender._base_manager.filter(pk=instance.pk).values(*(f.attname for f in fields)).first()
    if stored is not None:
        instance._audit_changed = [f.name for f in fields if stored[f.attname] != getattr(instance, f.attname)]


def _permission_detail(membership: Membership) -> str:
    return f"user #{membership.user_id}: {membership.role}"


def _record_user_rights(user: User, changed: Iterable[str]) -> None:
    """A change of a user's rights concerns every organisation the user is a member of."""
    org_ids = list(Membership.objects.filter(user_id=user.pk).values_list("organisation_id", flat=True)) or [None]
    for org_id in org_ids:
        record(Action.PERMISSION, obj=user, organisation=org_id, changed_fields=changed)


def _on_post_save(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw or not _audited(sender):
        return
    label = sender._meta.label
    changed: list[str] | None = None
    if not created:
        changed = instance.__dict__.pop("_audit_changed", None)
        if changed is None and update_fields is not None:
            changed = sorted(update_fields)
        if changed is not None:
            changed = [name for name in changed if name not in IGNORED_FIELDS.get(label, ())]
            if not changed:
                return  # saved without a change
    if label == "organisations.Membership":
        record(Action.PERMISSION, obj=instance, changed_fields=changed or (), detail=_permission_detail(instance))
    elif label == "organisations.User" and set(changed or ()) & USER_RIGHTS:
        _record_user_rights(instance, changed)
    else:
        record(Action.CREATE if created else Action.UPDATE, obj=instance, changed_fields=changed or ())


def _on_post_delete(sender, instance, **kwargs):
    if not _audited(sender):
        return
    if sender._meta.label == "organisations.Membership":
        record(Action.PERMISSION, obj=instance, detail=f"user #{instance.user_id}: removed")
    else:
        record(Action.DELETE, obj=instance)


@functools.cache
def _m2m_names() -> dict:
    from django.apps import apps

    names = {}
    for app in AUDITED_APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.local_many_to_many:
                names[field.remote_field.through] = field.name
    names.update({User.groups.through: "groups", User.user_permissions.through: "user_permissions"})
    return names


def _on_m2m_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or not _audited(type(instance)):
        return
    if action != "post_clear" and not pk_set:
        return
    name = _m2m_names().get(sender, "")
    if instance._meta.label == "organisations.User" and name in USER_RIGHTS:
        _record_user_rights(instance, [name])
    else:
        record(Action.UPDATE, obj=instance, changed_fields=[name] if name and not reverse else ())


# Logins --------------------------------------------------------------------------------------------


def _on_login(sender, request, user, **kwargs):
    record(Action.LOGIN, obj=user, organisation=None, actor=user, request=request)


def _on_logout(sender, request, user, **kwargs):
    record(Action.LOGOUT, obj=user, organisation=None, actor=user, request=request)


def _user_named(username) -> tuple[User | None, str]:
    """The account for a typed user name, and the name itself when it looks like an e-mail address
    (never other text: someone may have typed their password into the wrong field)."""
    typed = str(username or "").strip()[:254]
    if "@" not in typed:
        return None, ""
    return User.objects.filter(email__iexact=typed).first(), typed


def _on_login_failed(sender, credentials, request=None, **kwargs):
    user, typed = _user_named(credentials.get("username") or credentials.get("email"))
    record(
        Action.LOGIN_FAILED,
        obj=user,
        object_type="" if user else "organisations.User",
        organisation=None,
        actor=user,
        actor_email=typed,
        result=Result.FAILED,
        request=request,
    )


def _on_locked_out(sender, request=None, username=None, **kwargs):
    user, typed = _user_named(username)
    record(
        Action.LOCKOUT,
        obj=user,
        object_type="" if user else "organisations.User",
        organisation=None,
        actor=user,
        actor_email=typed,
        result=Result.REFUSED,
        request=request,
    )


def connect_signals() -> None:
    from axes.signals import user_locked_out
    from django.apps import apps
    from django.contrib.auth import signals as auth
    from django.db.models import signals

    # Per model, not for every sender: a post_delete receiver turns off Django's fast delete of a model.
    for app in AUDITED_APPS:
        for model in apps.get_app_config(app).get_models():
            if not _audited(model):
                continue
            uid = f"fii.audit.{model._meta.label}"
            signals.pre_save.connect(_on_pre_save, sender=model, dispatch_uid=uid)
            signals.post_save.connect(_on_post_save, sender=model, dispatch_uid=uid)
            signals.post_delete.connect(_on_post_delete, sender=model, dispatch_uid=uid)
    for through in _m2m_names():
        signals.m2m_changed.connect(_on_m2m_changed, sender=through, dispatch_uid=f"fii.audit.{through._meta.label}")
    auth.user_logged_in.connect(_on_login, dispatch_uid="fii.audit.login")
    auth.user_logged_out.connect(_on_logout, dispatch_uid="fii.audit.logout")
    auth.user_login_failed.connect(_on_login_failed, dispatch_uid="fii.audit.login_failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="fii.audit.locked_out")


def leave_out(model) -> None:
    """Leave a higher app's model out of the log (from its AppConfig.ready(), after :func:`connect_signals`):
    for rows that record no change of anyone's data, such as the application's own notifications."""
    from django.db.models import signals

    NOT_AUDITED.add(model._meta.label)
    uid = f"fii.audit.{model._meta.label}"
    for signal in (signals.pre_save, signals.post_save, signals.post_delete):
        signal.disconnect(sender=model, dispatch_uid=uid)


# Reading the log ----------------------------------------------------------------------------------

ACCOUNT_ACTIONS = [Action.LOGIN, Action.LOGIN_FAILED, Action.LOGOUT, Action.LOCKOUT]


def events_for_organisation(organisation, *, van=None, tot=None, action="", user=None, object_type=""):
    """What a beheerder sees: events about the organisation's data, and its members' logins and logouts."""
    from django.db.models import Q

    members = Membership.objects.filter(organisation=organisation).values("user_id")
    events = AuditEvent.objects.filter(
        Q(organisation=organisation) | Q(organisation__isnull=True, action__in=ACCOUNT_ACTIONS, actor_id__in=members)
    )
    if van:
        events = events.filter(created_at__date__gte=van)
    if tot:
        events = events.filter(created_at__date__lte=tot)
    if action:
        events = events.filter(action=action)
    if user is not None:
        events = events.filter(actor=user)
    if object_type:
        events = events.filter(object_type=object_type)
    return events.order_by("-created_at", "-pk")


@functools.cache
def object_type_names() -> dict[str, str]:
    """Model label → its (lazy) verbose name, for every model the log may name."""
    from django.apps import apps

    return {
        model._meta.label: model._meta.verbose_name
        for app in AUDITED_APPS
        for model in apps.get_app_config(app).get_models()
        if (model._meta.label not in NOT_AUDITED or model is AuditEvent) and not _is_history_copy(model)
    }
