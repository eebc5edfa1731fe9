# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The webhook door: POST /linear_crm/webhook/<key>[/<suffix>], GET for provider handshakes.

The door only verifies, stores and answers. `receive()` is the whole logic without HTTP, so the
fuzz tests and the benchmarks call it directly; the controller reads the body (1 MiB at most)
and turns its answer into a response. Whatever a sender sends, the answer is JSON with a 2xx or
4xx status: adapter refusals (WebhookError) say what is wrong, anything unexpected is logged as a
warning, and a verified body that could not be cut into events is stored whole, so nothing
received is lost.
"""

import base64
import hashlib
import json
import logging
import time
from dataclasses import dataclass

from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..lib import registry
from ..lib.base import RawEvent, WebhookError
from ..models.linear_channel_event import UNSPLIT

_logger = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024  # 1 MiB: no provider event comes near it
# Request headers kept on the event for audit. A whitelist, so signatures, tokens and cookies
# never reach the database whatever a provider adds.
AUDIT_HEADERS = (
    "Content-Type",
    "Content-Length",
    "User-Agent",
    "X-Forwarded-For",
    "X-Real-Ip",
    "X-Request-Id",
    "X-Linear-Timestamp",
)
SECRET_QUERY_WORDS = ("token", "sign", "secret", "key", "pass", "auth")
DRAIN_LIMIT = 8 * MAX_BODY  # an oversized body up to this is read before the 413; larger: closed
RAW_BODY_ROUTE = "linear_raw_body"  # routing flag: ir.http caches the body before form parsing


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: tuple = ()


def json_answer(status, **values):
    return Answer(status, json.dumps(values).encode())


def error_answer(status, code, message):
    return json_answer(status, ok=False, error=code, message=message)


NOT_FOUND = error_answer(404, "unknown_channel", "No active channel has this webhook address.")
NOT_ALLOWED = error_answer(405, "method_not_allowed", "This webhook accepts POST (and GET for handshakes).")
TOO_LARGE = error_answer(413, "body_too_large", f"The request body exceeds {MAX_BODY} bytes.")


def audit_headers(headers, suffix, query, remote_addr):
    """What the event keeps of the request: a few harmless headers, the path suffix, the query
    with anything that looks like a credential masked, and the sender's address."""
    kept = {name: headers.get(name) for name in AUDIT_HEADERS if headers.get(name)}
    masked = {k: ("***" if any(w in k.lower() for w in SECRET_QUERY_WORDS) else v) for k, v in query.items()}
    return {"headers": kept, "path": suffix, "query": masked, "remote_addr": remote_addr}


def find_channel(env, key):
    """The active channel with this key, or None; one indexed lookup whatever the key looks like."""
    if not key or len(key) > 128:
        return None
    # sudo: the sender is no Odoo user; the key names the channel, the adapter then verifies it.
    # One query: the channel and what _linear_conf() reads come back together.
    Channel = env["linear.channel"].sudo().with_context(active_test=True)
    channel = Channel.search_fetch([("webhook_key", "=", key)], Channel._linear_conf_fields(), limit=1)
    return channel or None


def receive(env, key, suffix, method, headers, raw, query, remote_addr=None, now=None):
    """Handle one webhook request; returns an Answer. Stores new events and queues them."""
    headers = headers if isinstance(headers, Headers) else Headers(headers)
    if method not in ("GET", "POST", "OPTIONS"):
        return NOT_ALLOWED
    channel = find_channel(env, key)
    if channel is None:
        return NOT_FOUND
    adapter = registry.get(channel.provider)
    conf = channel._linear_conf()
    answer = knock(env, channel, adapter, conf, suffix or "", method, headers, raw, query, remote_addr, now)
    return with_cors(answer, adapter, conf, headers, method)


def with_cors(answer, adapter, conf, headers, method):
    """Browsers may post site forms from the web sites the channel lists (adapter's cors_origin)."""
    origin = adapter.cors_origin(conf, headers) if hasattr(adapter, "cors_origin") else None
    if method == "OPTIONS":
        if not origin:
            return NOT_ALLOWED
        answer = Answer(
            204,
            b"",
            "text/plain",
            (
                ("Access-Control-Allow-Methods", "POST"),
                ("Access-Control-Allow-Headers", "Content-Type"),
                ("Access-Control-Max-Age", "86400"),
            ),
        )
    if origin:
        answer = Answer(
            answer.status,
            answer.body,
            answer.content_type,
            (*answer.headers, ("Access-Control-Allow-Origin", origin), ("Vary", "Origin")),
        )
    return answer


def knock(env, channel, adapter, conf, suffix, method, headers, raw, query, remote_addr, now):
    if method == "OPTIONS":
        return NOT_ALLOWED  # with_cors answers the preflights of the channel's web sites
    if method == "GET":
        return handshake(adapter, conf, query, channel)
    if len(raw) > MAX_BODY:
        return TOO_LARGE
    now = time.time() if now is None else now
    try:
        adapter.verify(conf, headers, raw, query, suffix, now)
    except WebhookError as error:
        return refused(channel, error)
    except Exception as error:  # an adapter bug must not become a 500
        _logger.warning(
            "Channel %s: could not verify a request (%s: %s)", channel.id, type(error).__name__, error
        )
        return error_answer(400, "unreadable_request", "The request could not be verified.")
    audit = audit_headers(headers, suffix, query, remote_addr)
    try:
        events = adapter.split(conf, headers, raw, query, suffix)
        check_events(events)
    except WebhookError as error:
        return refused(channel, error)
    except Exception as error:  # verified, so keep the body for a later retry
        _logger.warning(
            "Channel %s: a verified request could not be read (%s: %s); stored whole as a failed event",
            channel.id,
            type(error).__name__,
            error,
        )
        events = [unsplit_event(raw, audit)]
        audit = dict(audit, error=f"{type(error).__name__}: {error}"[:500])
    return store(env, channel, events, audit)


def handshake(adapter, conf, query, channel):
    try:
        answer = adapter.handshake(conf, query)
    except WebhookError as error:
        return refused(channel, error)
    except Exception as error:
        _logger.warning("Channel %s: handshake failed (%s: %s)", channel.id, type(error).__name__, error)
        return error_answer(400, "bad_handshake", "The handshake request could not be read.")
    if answer is None:
        return NOT_ALLOWED
    status, content_type, body = answer
    return Answer(status, body, content_type)


def refused(channel, error):
    # INFO, not WARNING: a refused request is the door working, and senders control its volume.
    _logger.info("Channel %s refused a request: %s %s", channel.id, error.status, error.code)
    return error_answer(error.status, error.code, error.message)


def check_events(events):
    """The adapter's events must fit the log: a provider id of 1..255 characters without NUL."""
    for event in events:
        event_id = event.event_id
        if not isinstance(event_id, str) or not 0 < len(event_id) <= 255 or "\x00" in event_id:
            raise WebhookError(400, "bad_event_id", "An event carries no usable id.")


def unsplit_event(raw, audit):
    digest = hashlib.sha256(raw).hexdigest()
    body = base64.b64encode(raw).decode()
    return RawEvent(event_id=f"unsplit:{digest}", payload={UNSPLIT: body, "request": audit}, kind="other")


def store(env, channel, events, audit):
    """One short transaction: insert what is new, queue it, answer.

    No savepoint and no catch: what can fail here is the database itself (a serialization conflict,
    an outage), never the sender's input (check_events), and Odoo's request retry handles it.
    """
    Event = env["linear.channel.event"].sudo()  # sudo: written for the provider, not a user
    new_ids, duplicates = Event._linear_store(channel, events, audit)
    Event.browse(new_ids)._linear_enqueue()
    values = {"ok": True, "received": len(new_ids), "duplicates": duplicates}
    if duplicates and not new_ids:
        values["duplicate"] = True
    return json_answer(200, **values)


def cache_raw_body(httprequest):
    """Read and cache the raw body of a webhook request before Odoo parses it (ir.http hook).

    Refuses (413, JSON) what announces more than MAX_BODY, after reading up to DRAIN_LIMIT of it so
    the sender reads the answer instead of a reset connection.
    """
    length = httprequest.content_length
    if length is not None and length > MAX_BODY:
        if length <= DRAIN_LIMIT:
            httprequest.get_data(cache=False)  # read and dropped: Odoo's request hides the raw stream
        response = http.Response(TOO_LARGE.body, status=413, content_type=TOO_LARGE.content_type)
        response.headers["Connection"] = "close"
        raise HTTPException(response=response)
    httprequest.get_data(cache=True, parse_form_data=False)


class ChannelWebhook(http.Controller):
    @http.route(
        ["/linear_crm/webhook/<string:key>", "/linear_crm/webhook/<string:key>/<path:suffix>"],
        type="http",
        auth="none",
        **{RAW_BODY_ROUTE: True},
        methods=None,
        csrf=False,
        save_session=False,
        # auth="none" routes default to a read-only cursor; posts store events, handshakes only read
        readonly=lambda _controller, _rule, _args: request.httprequest.method != "POST",
    )
    def linear_webhook(self, key, suffix="", **_params):
        httprequest = request.httprequest
        method = httprequest.method
        raw = httprequest.get_data(cache=True, parse_form_data=False) if method == "POST" else b""
        # superuser: auth="none" has no user, and the sender is none; the key and the adapter's
        # signature check are the permission, and only the door's own functions get this env
        env = request.env(user=SUPERUSER_ID)
        answer = receive(
            env,
            key,
            suffix,
            method,
            httprequest.headers,
            raw,
            httprequest.args.to_dict(),
            remote_addr=httprequest.remote_addr,
        )
        return self._respond(answer)

    def _respond(self, answer):
        headers = [("Content-Type", answer.content_type), ("Cache-Control", "no-store"), *answer.headers]
        return request.make_response(answer.body, headers=headers, status=answer.status)
