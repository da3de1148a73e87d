"""Sessions in the database that end after SESSION_IDLE_MINUTES without a request.

Django's database sessions expire SESSION_COOKIE_AGE after they were last saved. Saving on
every request (SESSION_SAVE_EVERY_REQUEST) would make every page view a database write; this
store instead asks to be saved only when its expiry is more than ``REFRESH_AFTER`` behind
"now + SESSION_COOKIE_AGE", so an active user's session is written at most once a minute and an
idle one ends between one minute before and exactly SESSION_IDLE_MINUTES after its last request.
A session whose expiry lies beyond the idle time (saved under a longer age) is brought back to it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.sessions.backends import db
from django.utils import timezone

REFRESH_AFTER = timedelta(minutes=1)


class SessionStore(db.SessionStore):
    """``SESSION_ENGINE = "magelang.sessions"``: the database backend with idle expiry."""

    def load(self) -> dict[str, Any]:
        stored = self._get_session_from_db()  # type: ignore[attr-defined]  # not in the stubs
        if stored is None:
            return {}
        if self._expiry_is_stale(stored.expire_date):
            # SessionMiddleware saves a modified session, which sets a fresh expiry and cookie.
            self.modified = True
        return self.decode(stored.session_data)

    def _expiry_is_stale(self, expire_date: datetime) -> bool:
        full = timezone.now() + timedelta(seconds=self.get_session_cookie_age())
        return not full - REFRESH_AFTER <= expire_date <= full
