# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Messenger handles stored in one canonical spelling, so an exact indexed match finds the client."""

import re

_TELEGRAM_PREFIX_RE = re.compile(r"^(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me)/", re.IGNORECASE)
_TELEGRAM_USERNAME_RE = re.compile(r"^[a-z][a-z0-9_]{3,31}$")


def telegram_username(raw):
    """``@Ivan_Petrov``, ``t.me/ivan_petrov`` or ``https://t.me/Ivan_Petrov`` give ``ivan_petrov``.

    Telegram usernames are case-insensitive, 5-32 characters of Latin letters, digits and ``_``;
    anything else gives ``None``.
    """
    if not raw or not isinstance(raw, str):
        return None
    value = _TELEGRAM_PREFIX_RE.sub("", raw.strip()).lstrip("@").split("?")[0].strip("/").lower()
    return value if _TELEGRAM_USERNAME_RE.match(value) else None


def telegram_chat_id(raw):
    """A chat id is an integer (negative for groups); returns its canonical text or ``None``."""
    if raw is None or isinstance(raw, bool):
        return None
    value = str(raw).strip()
    return value if re.fullmatch(r"-?\d{1,20}", value) else None
