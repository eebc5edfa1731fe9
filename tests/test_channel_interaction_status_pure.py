# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Call and message statuses whatever order the provider's events arrive in; no Odoo.

Run: .venv/bin/python -m pytest tests/test_channel_interaction_status_pure.py
"""

import pytest

from .pure_lib import load_lib

st = load_lib("channel_connectors", "interaction_status")


def walk(events):
    status, ended = None, False
    for new_status, stage in events:
        status = st.next_call_status(status, ended, new_status, stage)
        ended = ended or stage == "end"
    return status


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([("ringing", "start")], "ringing"),
        ([("ringing", "start"), (None, "answer")], "answered"),
        ([("ringing", "start"), ("answered", "answer"), ("answered", "end")], "answered"),
        ([("ringing", "start"), ("missed", "end")], "missed"),
        ([("ringing", "start"), ("busy", "end")], "busy"),
        # reordered: the end before the answer, a ringing after the end
        ([("answered", "end"), ("answered", "answer"), ("ringing", "start")], "answered"),
        ([("missed", "end"), ("ringing", "start")], "missed"),
        # an answered call is never missed; a second end keeps the first
        ([("answered", "answer"), ("missed", "end")], "answered"),
        ([("ringing", "start"), ("busy", "end"), ("answered", "end")], "busy"),
        ([(None, "start")], "ringing"),
    ],
)
def test_call_status_sequences(events, expected):
    assert walk(events) == expected


@pytest.mark.parametrize(
    ("sequence", "expected"),
    [
        (["sent", "delivered", "read"], "read"),
        (["sent", "read", "delivered"], "read"),
        (["sent", "read", "sent"], "read"),
        (["sent", "failed"], "failed"),
        (["sent", "delivered", "failed"], "delivered"),
        (["sent", "read", "failed"], "read"),
        (["sent", "failed", "delivered"], "delivered"),
        (["sent", "bogus"], "sent"),
        (["received", "read"], "received"),
    ],
)
def test_message_status_never_goes_down(sequence, expected):
    status = sequence[0]
    for new_status in sequence[1:]:
        status = st.next_message_status(status, new_status)
    assert status == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 0),
        (125, 125),
        ("60", 60),
        (86400, 86400),
        (86401, None),
        (-1, None),
        ("abc", None),
        (True, None),
        (None, None),
    ],
)
def test_clean_duration(value, expected):
    assert st.clean_duration(value) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/rec.mp3", "https://example.com/rec.mp3"),
        (" http://pbx.local/r?id=1 ", "http://pbx.local/r?id=1"),
        ("javascript:alert(1)", None),
        ('https://x/"onmouseover=', None),
        ("ftp://x/rec", None),
        (None, None),
    ],
)
def test_safe_url(url, expected):
    assert st.safe_url(url) == expected
