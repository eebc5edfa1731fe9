# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""How one call or message interaction moves between statuses, whatever order events arrive in.

Providers re-deliver and reorder: a call's end may come before its answer, a WhatsApp "delivered"
after its "read". These rules keep an interaction at the furthest point it has reached. No ORM.
"""

import re

RINGING, ANSWERED, MISSED, BUSY, FAILED = "ringing", "answered", "missed", "busy", "failed"
RECEIVED, SENT, DELIVERED, READ = "received", "sent", "delivered", "read"

CALL_STATUSES = (RINGING, ANSWERED, MISSED, BUSY, FAILED)
MESSAGE_STATUSES = (RECEIVED, SENT, DELIVERED, READ, FAILED)
# An inbound call that ended in one of these asks for a call-back.
CALLBACK_STATUSES = frozenset({MISSED, BUSY})
# sent < delivered < read; "failed" only replaces "sent" (a read message did not fail).
MESSAGE_RANK = {SENT: 1, FAILED: 1.5, DELIVERED: 2, READ: 3}

MAX_DURATION = 86400  # one day: a longer call is a provider's error


def next_call_status(current, ended, new_status, stage):
    """The call's status after an event.

    :param current: status now (None for a new interaction)
    :param ended: whether an end event was already applied
    :param new_status: the event's call status (may be None)
    :param stage: 'start', 'answer', 'end' or None
    """
    if stage == "answer" and not new_status:
        new_status = ANSWERED
    if not new_status:
        return current or RINGING
    if ended and stage != "end":
        return current  # a late ringing or answer after the end changes nothing
    if current == ANSWERED and new_status in (RINGING, MISSED):
        return current  # an answered call was neither missed nor ringing again
    if current and current != RINGING and new_status == RINGING:
        return current
    if ended and stage == "end" and current in (ANSWERED, MISSED, BUSY, FAILED):
        return current  # a second end event (re-delivery with another id) keeps the first
    return new_status


def next_message_status(current, new_status):
    """A message status never goes down: read implies delivered; failed only replaces sent."""
    if new_status not in MESSAGE_RANK:
        return current
    if current not in MESSAGE_RANK:
        return new_status if current != RECEIVED else current
    return new_status if MESSAGE_RANK[new_status] > MESSAGE_RANK[current] else current


def clean_duration(value):
    """Seconds as an int within 0..MAX_DURATION, or None."""
    if isinstance(value, bool):
        return None
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return None
    return seconds if 0 <= seconds <= MAX_DURATION else None


_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def safe_url(url):
    """The URL when it is a plain http(s) link (a recording), else None: never a javascript: link."""
    if isinstance(url, str) and len(url) <= 2048 and _SAFE_URL.match(url.strip()):
        return url.strip()
    return None


def format_duration(seconds):
    """(minutes, seconds) of a duration, for a chatter line."""
    seconds = clean_duration(seconds) or 0
    return divmod(seconds, 60)
