"""Every write to a trajectory, or to anything shown on its pages, raises the trajectory's revision.

Rendered page parts are cached under the revision (``trajectories/fragments.py``), so a cached part is
never served once the data under it has changed: the next request reads the new revision and renders
afresh. The revision is a number in the cache's own table (``fii/cache_versions.py``, scope :data:`REVISION`),
not a field of ``Trajectory``; the raise is one upsert (``INSERT … ON CONFLICT … DO UPDATE SET number = number
+ 1``) in the writer's own transaction, and a page reads it with the rows it reads anyway (:func:`number`).

Why signals here, when domain flow never uses them: a cache that depends on every one of sixty service
functions remembering a call is wrong the first time one forgets. The receivers below see every
``save()``, ``delete()`` and many-to-many change of every model that belongs to a trajectory; the path
from a model to its trajectory comes from the declaration of the trajectory (``trajectories/structure.py``). Writes
that bypass signals (``QuerySet.update()``, ``bulk_create()``, ``bulk_update()``) call :func:`bump` or
:func:`bump_for` themselves; ``tests/trajectories/test_revisions.py`` covers those services.

Data from outside a trajectory that its pages show is covered too: an organisation's name, a user's
name (assignees, attendees), memberships (who can be chosen as attendee or assignee) and a person's
details (stakeholders). Reference data (the checklist templates) is read only when a trajectory or
review is created, which raises the revision anyway.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import ForeignKey, ManyToManyField, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from fii import cache_versions
from organisations.access import access_changed

from . import structure
from .visibility import loaded_visibility

# User fields written by logging in and out; they show on no page.
USER_BOOKKEEPING_FIELDS = {"last_login", "password", "session_epoch", "unread_notifications", "language"}

# model → the foreign keys from it to Trajectory (the last one points at Trajectory), filled by connect().
PATHS: dict[type, tuple[ForeignKey, ...]] = {}
# Models of the trajectories app that no trajectory page renders, so they need no revision.
NOT_RENDERED = {entry.model.__name__ for entry in structure.OUTSIDE if entry.model._meta.app_label == "trajectories"}


# The scope of the trajectories' revisions in fii.CacheVersion.
REVISION = "trajectory-revision"


def number(trajectory_id: str = "pk"):
    """The revision of the trajectory whose id is in ``trajectory_id`` of the outer query, for ``annotate()``:
    read with the page's own rows, so it costs no statement (0 for a trajectory never written since)."""
    return cache_versions.number(REVISION, trajectory_id)


def _raise(trajectories) -> None:
    """Raise the revisions of ``trajectories``: a queryset of them, or a list of their ids (one statement either way,
    the ids without compiling a queryset). The one place every raise passes (tests/trajectories/test_concurrency.py
    switches it off)."""
    if isinstance(trajectories, list):
        cache_versions.raise_ids(REVISION, _trajectory_model(), trajectories)
    else:
        cache_versions.raise_for(REVISION, trajectories)


def _trajectory_model():
    return apps.get_model("trajectories", "Trajectory")


def _visibility_model():
    return apps.get_model("trajectories", "Visibility")


def bump(*trajectory_ids: int | None) -> None:
    ids = sorted({pk for pk in trajectory_ids if pk is not None})
    if ids:
        _raise(ids)


def bump_where(condition: Q) -> None:
    """Raise the revision of every trajectory matching ``condition`` (for data shown on many)."""
    Trajectory = _trajectory_model()
    _raise(Trajectory.objects.filter(pk__in=Trajectory.objects.filter(condition).values("pk")))


def bump_for(instance) -> None:
    """Raise the revision of the trajectory ``instance`` belongs to."""
    Trajectory = _trajectory_model()
    if isinstance(instance, Trajectory):
        bump(instance.pk)
        return
    if type(instance) not in PATHS:
        outside = structure.outside(type(instance))
        if outside is not None and outside.linked_from:  # a row outside the trajectories that they show (a person)
            bump_where(Q(pk__in=structure.linked_trajectory_ids(type(instance), instance.pk)))
        return
    path = PATHS[type(instance)]
    first_value = getattr(instance, path[0].attname)
    if first_value is None:
        return
    if len(path) == 1:
        bump(first_value)
        return
    loaded = _trajectory_id_loaded(instance, path)
    if loaded is not None:
        bump(loaded)
        return
    # The parent still exists when a child is deleted (a cascade deletes children first), so one
    # statement finds the trajectory through it.
    lookup = "__".join(field.name for field in path[1:]) + "_id"
    parent = path[0].related_model._base_manager.filter(pk=first_value).values(lookup)
    _raise(Trajectory.objects.filter(pk__in=parent))


def _trajectory_id_loaded(instance, path: tuple[ForeignKey, ...]) -> int | None:
    """The trajectory id through the parents already loaded on ``instance`` (a review item saved with its locked
    review: ``review.trajectory_id``), or None when one of them is not loaded. Saves the statement's subquery
    through the parent (issue 21). Sound because a part never moves to another trajectory, and Django drops a
    loaded parent when its foreign key is set to another row."""
    obj = instance
    for field in path[:-1]:
        if not field.is_cached(obj):
            return None
        obj = field.get_cached_value(obj)
        if obj is None:
            return None
    return getattr(obj, path[-1].attname)


def bump_for_pks(model, pks) -> None:
    Trajectory = _trajectory_model()
    if model is Trajectory:
        bump(*pks)
        return
    owners = model._base_manager.filter(pk__in=list(pks)).values(structure.trajectory_lookup(model))
    _raise(Trajectory.objects.filter(pk__in=owners))


def _on_write(sender, instance, raw=False, **kwargs):
    if not raw:
        bump_for(instance)


def _on_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        bump_for(instance)
        return
    # From the other side (organisation.participating_trajectories.add(…)): the changed rows are in pk_set,
    # or, for clear(), everything still linked.
    if action == "pre_clear":
        field = next(f for f in sender._meta.concrete_fields if f.related_model is type(instance))
        source = next(f for f in sender._meta.concrete_fields if f.related_model is model)
        pk_set = sender._base_manager.filter(**{field.attname: instance.pk}).values_list(source.attname, flat=True)
    bump_for_pks(model, pk_set or [])


def _on_organisation(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    involved = Q(owner=instance) | Q(receiving_organisation=instance) | Q(participants=instance)
    bump_where(involved)
    # Its name is in the portfolio filter of everybody who sees one of its trajectories.
    Trajectory = _trajectory_model()
    trajectories = Trajectory.objects.filter(involved).values("pk")
    pairs = Trajectory.objects.filter(pk__in=trajectories).values_list("owner_id", "receiving_organisation_id")
    others = Trajectory.participants.through.objects.filter(trajectory_id__in=trajectories)
    access_changed({org for pair in pairs for org in pair} | set(others.values_list("organisation_id", flat=True)))


# Who sees which trajectory (organisations.access) ------------------------------------------------------


def _on_trajectory_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    now = instance.visibility()
    loaded = loaded_visibility(instance)
    if created or loaded != now:
        access_changed({*now[:2], *(loaded[:2] if loaded else ())} | instance.organisation_ids())


def _on_trajectory_deleting(sender, instance, **kwargs):
    access_changed(instance.organisation_ids())


def _on_participants(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # organisation.participating_trajectories.add(…)
        access_changed([instance.pk])
    elif action == "pre_clear":
        access_changed(sender.objects.filter(trajectory_id=instance.pk).values_list("organisation_id", flat=True))
    else:
        access_changed(pk_set or [])


def _on_user(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw or created or (update_fields and set(update_fields) <= USER_BOOKKEEPING_FIELDS):
        return
    orgs = instance.memberships.values("organisation_id")
    bump_where(Q(pk__in=_visibility_model().objects.filter(organisation_id__in=orgs).values("trajectory_id")))


def _on_membership(sender, instance, raw=False, **kwargs):
    if raw:
        return
    org = instance.organisation_id
    bump_where(Q(pk__in=_visibility_model().objects.filter(organisation_id=org).values("trajectory_id")))


def _on_person(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    bump_for(instance)


def rendered_models() -> list[type]:
    """The app's models, without the history copies that django-simple-history adds (they are written
    together with the row they copy, which raises the revision already)."""
    return [
        model
        for model in apps.get_app_config("trajectories").get_models()
        if not any(field.name == "history_id" for field in model._meta.concrete_fields)
    ]


def connect() -> None:
    """Called once from TrajectoriesConfig.ready()."""
    Trajectory = _trajectory_model()
    for part in structure.parts():
        model = part.model
        PATHS[model] = structure.path(model)
        uid = f"fii-revision-{model._meta.label_lower}"
        post_save.connect(_on_write, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_on_write, sender=model, dispatch_uid=uid + "-delete")
        for field in model._meta.local_many_to_many:
            if isinstance(field, ManyToManyField):
                m2m_changed.connect(_on_m2m, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}")
    post_save.connect(_on_trajectory_saved, sender=Trajectory, dispatch_uid="fii-access-trajectory")
    pre_delete.connect(_on_trajectory_deleting, sender=Trajectory, dispatch_uid="fii-access-trajectory-delete")
    m2m_changed.connect(_on_participants, sender=Trajectory.participants.through, dispatch_uid="fii-access-part")
    organisations = apps.get_app_config("organisations")
    post_save.connect(_on_organisation, sender=organisations.get_model("Organisation"), dispatch_uid="fii-rev-org")
    post_save.connect(_on_user, sender=organisations.get_model("User"), dispatch_uid="fii-rev-user")
    for signal in (post_save, post_delete):
        signal.connect(_on_membership, sender=organisations.get_model("Membership"), dispatch_uid=f"fii-rev-m-{signal}")
    post_save.connect(_on_person, sender=organisations.get_model("Person"), dispatch_uid="fii-rev-person")
