"""Database sessions that survive a connection dropped just before they are saved (issue 16, finding 6).

Django's database session saves the session after the view. When the connection to the database dropped
during the request (a restart, a failover, a killed backend), that save fails with an ``UpdateError``, which
Django's session middleware turns into "400 Bad Request: the session was deleted": a wrong answer, after a
change that may well have been committed. Here the save is tried once more on a fresh connection, outside any
transaction; only a second failure is passed on. ``bench/concurrent_reviews.py`` kills connections to show it.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import InterfaceError, OperationalError, router, transaction

DROPPED = (OperationalError, InterfaceError)


class SessionStore(DatabaseSessionStore):
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except (UpdateError, *DROPPED) as error:
            cause = error.__context__ if isinstance(error, UpdateError) else error
            connection = transaction.get_connection(router.db_for_write(self.model))
            if not isinstance(cause, DROPPED) or connection.in_atomic_block:
                raise
            connection.close()
            super().save(must_create=must_create)
