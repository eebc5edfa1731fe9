# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Property-based fuzz of the webhook door (hypothesis): hostile bodies and headers per provider.

The bulk (1,000 examples per provider) calls the door's core, ``webhook.receive()``, inside the
test transaction; a smaller sample goes over real HTTP. Half the hostile bodies are signed with
the channel's real secrets, so they pass the signature and reach the parsers. Whatever comes in:
a JSON answer below 500 (or a handshake's plain text), never an ERROR in the log, and the event
log grows by exactly what the answer says it received: no partial records.
"""

import json
import logging
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import HttpCase, tagged
from odoo.tests.common import get_db_name

from odoo.addons.linear_crm.channel_connectors.controllers import webhook
from odoo.addons.queue_job.tests.common import trap_jobs

from .channel_webhook_common import PROVIDERS, body_of, make_channels, request_for

EXAMPLES = int(os.environ.get("LINEAR_FUZZ_EXAMPLES", "1000"))
HTTP_EXAMPLES = int(os.environ.get("LINEAR_FUZZ_HTTP_EXAMPLES", "60"))
FUZZ_SETTINGS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": list(HealthCheck),
}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=6)
    ),
    max_leaves=25,
)
header_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60)
HEADER_NAMES = (
    "Content-Type",
    "X-Telegram-Bot-Api-Secret-Token",
    "X-Hub-Signature-256",
    "Signature",
    "X-Linear-Signature",
    "X-Linear-Timestamp",
    "Origin",
    "User-Agent",
)
CONTENT_TYPES = (
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/plain; charset=windows-1251",
    "",
)


@st.composite
def hostile_request(draw, provider):
    """(suffix, headers, raw, query) built from a valid request by breaking something in it."""
    number = draw(st.integers(min_value=1, max_value=10**6))
    kind = draw(
        st.sampled_from(("bytes", "json", "mutated_payload", "cut", "flip", "form", "valid", "headers"))
    )
    sign = draw(st.booleans())
    if kind in ("bytes", "json", "form"):
        if kind == "bytes":
            garbage = draw(st.binary(max_size=400))
        elif kind == "json":
            garbage = json.dumps(draw(json_values)).encode()
        else:
            pairs = draw(st.dictionaries(st.text(max_size=12), st.text(max_size=30), max_size=6))
            garbage = "&".join(f"{k}={v}" for k, v in pairs.items()).encode("utf-8", "surrogatepass")
        if provider == "mango" and sign:  # a validly signed json field holding the garbage
            suffix, headers, raw = request_for(provider, number, body=garbage.decode("utf-8", "replace"))
        elif sign:
            suffix, headers, raw = request_for(provider, number, raw=garbage)
        else:
            suffix, headers, _raw = request_for(provider, number)
            raw = garbage
    elif kind == "mutated_payload":
        body = body_of(provider, number)
        key = draw(st.sampled_from(sorted(body)))
        body[key] = draw(json_values)
        suffix, headers, raw = request_for(provider, number, body=body)
    else:
        suffix, headers, raw = request_for(provider, number)
    if kind == "cut":
        raw = raw[: draw(st.integers(min_value=0, max_value=max(len(raw) - 1, 0)))]
    elif kind == "flip" and raw:
        at = draw(st.integers(min_value=0, max_value=len(raw) - 1))
        raw = raw[:at] + bytes([raw[at] ^ draw(st.integers(min_value=1, max_value=255))]) + raw[at + 1 :]
    if kind == "headers" or draw(st.booleans()):
        for name in draw(st.lists(st.sampled_from(HEADER_NAMES), max_size=3)):
            headers[name] = draw(header_text)
        if draw(st.booleans()):
            headers["Content-Type"] = draw(st.sampled_from(CONTENT_TYPES))
    if draw(st.booleans()):
        suffix = draw(
            st.sampled_from(("", "events/call", "events/summary", "ping", "result/x", "../../web", "a" * 300))
        )
    query = draw(
        st.dictionaries(
            st.sampled_from(("hub.mode", "hub.challenge", "hub.verify_token", "zd_echo", "x")),
            st.text(max_size=30),
            max_size=3,
        )
    )
    method = draw(st.sampled_from(("POST", "POST", "POST", "GET", "PUT")))
    return suffix, headers, raw, query, method


class FuzzCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channels = make_channels(cls.env, prefix="LC fuzz")
        cls.Event = cls.env["linear.channel.event"].sudo()
        cls.Partner = cls.env["res.partner"].sudo()

    def check(self, provider, status, content_type, body, before, partners_before):
        self.assertLess(status, 500)
        self.assertGreaterEqual(status, 200)
        stored = self.Event.search_count([("channel_id", "=", self.channels[provider].id)]) - before
        if content_type == "application/json":
            data = json.loads(body)
            self.assertEqual(data["ok"], status == 200, data)
            self.assertEqual(stored, data.get("received", 0), data)
        else:
            self.assertEqual(status, 200)  # a handshake's echo
            self.assertEqual(stored, 0)
        self.assertEqual(self.Partner.search_count([]), partners_before, "the door creates no client")


def door_fuzz(provider):
    @settings(max_examples=EXAMPLES, **FUZZ_SETTINGS)
    @given(request=hostile_request(provider))
    def test(self, request):
        suffix, headers, raw, query, method = request
        channel = self.channels[provider]
        before = self.Event.search_count([("channel_id", "=", channel.id)])
        partners = self.Partner.search_count([])
        with trap_jobs(), self.assertNoLogs(level="ERROR"):
            answer = webhook.receive(
                self.env, channel.sudo().webhook_key, suffix, method, headers, raw, query
            )
        self.check(provider, answer.status, answer.content_type, answer.body, before, partners)

    test.__name__ = f"test_door_fuzz_{provider}"
    return test


@tagged("post_install", "-at_install")
class TestWebhookFuzz(FuzzCase):
    """1,000 hostile requests per provider through the door's core."""

    locals().update({f"test_door_fuzz_{p}": door_fuzz(p) for p in PROVIDERS})

    def test_a_valid_request_passes_the_same_check(self):
        """The property is not vacuous: a valid request is stored and answered 200."""
        channel = self.channels["generic"]
        before = self.Event.search_count([("channel_id", "=", channel.id)])
        with trap_jobs():
            suffix, headers, raw = request_for("generic", 1)
            answer = webhook.receive(self.env, channel.sudo().webhook_key, suffix, "POST", headers, raw, {})
        self.assertEqual(answer.status, 200)
        self.check(
            "generic", answer.status, answer.content_type, answer.body, before, self.Partner.search_count([])
        )


@tagged("post_install", "-at_install")
class TestWebhookFuzzHttp(FuzzCase):
    """A smaller sample over real HTTP: what the door's core answers is what a sender gets."""

    def test_http_sample(self):
        logging.getLogger("hypothesis").setLevel(logging.WARNING)

        @settings(max_examples=HTTP_EXAMPLES, **FUZZ_SETTINGS)
        @given(provider=st.sampled_from(PROVIDERS), data=st.data())
        def run(provider, data):
            suffix, headers, raw, query, method = data.draw(hostile_request(provider))
            channel = self.channels[provider]
            before = self.Event.search_count([("channel_id", "=", channel.id)])
            partners = self.Partner.search_count([])
            if ".." in suffix:
                suffix = ""  # the HTTP client resolves dot segments itself: not the door's input
            # the HTTP client refuses to send header values with surrounding whitespace
            headers = {k: v.strip() for k, v in headers.items()}
            headers["X-Odoo-Database"] = get_db_name()
            url = f"/linear_crm/webhook/{channel.sudo().webhook_key}" + (f"/{suffix}" if suffix else "")
            with trap_jobs(), self.assertNoLogs(level="ERROR"):
                response = self.url_open(url, data=raw, headers=headers, method=method, params=query)
            content_type = response.headers.get("Content-Type", "").split(";")[0]
            self.check(provider, response.status_code, content_type, response.content, before, partners)

        run()
