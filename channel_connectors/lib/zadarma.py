# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Zadarma cloud PBX (protocols.md section 3.1).

GET ``?zd_echo=<x>`` (when the URL is saved) → ``x``. POST: form fields, ``event`` names the
notification; header ``Signature = base64(hex(HMAC-SHA1(API secret, <fields of the event>)))``:
base64 of the lowercase hex string, as PHP's hash_hmac gives it. Only some fields are signed.
Click-to-call: ``GET /v1/request/callback/`` with ``Authorization: <key>:<signature>``.
"""

import base64
import hashlib
import hmac
import re
from urllib.parse import urlencode

from . import base
from .base import _

# pylint: disable=prefer-env-translation
# (no env in the pure lib: _() only marks a sentence for Odoo's export; the models translate it)

PROVIDER = "zadarma"
CAPABILITIES = frozenset({"originate_call"})
API = "https://api.zadarma.com"
SIGNATURE_HEADER = "Signature"
ECHO = re.compile(r"^[A-Za-z0-9._\-]{1,256}$")
# which fields, concatenated, each event signs (the official SDK's getSignatureString)
SIGNED = {
    "NOTIFY_START": ("caller_id", "called_did", "call_start"),
    "NOTIFY_IVR": ("caller_id", "called_did", "call_start"),
    "NOTIFY_INTERNAL": ("caller_id", "called_did", "call_start"),
    "NOTIFY_ANSWER": ("caller_id", "destination", "call_start"),
    "NOTIFY_END": ("caller_id", "called_did", "call_start"),
    "NOTIFY_OUT_START": ("internal", "destination", "call_start"),
    "NOTIFY_OUT_END": ("internal", "destination", "call_start"),
    "NOTIFY_RECORD": ("pbx_call_id", "call_id_with_rec"),
}
DISPOSITIONS = {"answered": "answered", "busy": "busy", "no answer": "missed", "cancel": "missed"}


def handshake(conf, query):
    echo = base.query_value(query, "zd_echo")
    if echo is None:
        return None
    if not ECHO.match(echo):
        raise base.WebhookError(400, "bad_echo", "zd_echo has unexpected characters.")
    return 200, "text/plain", echo.encode()


def signature(secret, string):
    digest = hmac.new(secret.encode(), string.encode(), hashlib.sha1).hexdigest()
    return base64.b64encode(digest.encode()).decode()


def verify(conf, headers, raw, query, path, now):
    secret = base.need_secret(conf)
    given = base.header(headers, SIGNATURE_HEADER)
    if not given:
        raise base.WebhookError(401, "missing_signature", "The Signature header is missing.")
    form = base.decode_form(raw)
    fields = SIGNED.get(form.get("event"))
    if fields is None:
        raise base.WebhookError(
            400, "unknown_event", "The event field names no Zadarma notification we check."
        )
    expected = signature(secret, "".join(form.get(name, "") for name in fields))
    if not base.same_secret(expected, given.strip()):
        raise base.WebhookError(
            401, "bad_signature", "The signature does not match the fields and the API secret."
        )


def split(conf, headers, raw, query, path):
    form = base.decode_form(raw)
    event = form.get("event")
    if event not in SIGNED:
        raise base.WebhookError(400, "unknown_event", "The event field names no Zadarma notification.")
    call_id = base.scalar_id(form.get("pbx_call_id"))
    if not call_id:
        raise base.WebhookError(400, "missing_field", "The notification has no pbx_call_id.")
    parts = [call_id, event]
    if event in ("NOTIFY_INTERNAL", "NOTIFY_ANSWER") and form.get("internal"):
        parts.append(form["internal"])  # a call may ring or be answered at several extensions
    elif event == "NOTIFY_IVR":
        parts.append(base.body_hash(bytes(raw))[7:23])
    return [base.RawEvent(event_id=base.event_key(*parts), payload=form, kind="call")]


def parse(payload):
    form = {k: v for k, v in base.as_dict(payload).items() if isinstance(v, str)}
    event = form.get("event")
    call_id = base.scalar_id(form.get("pbx_call_id"))
    if not call_id:
        return [base.ignored("The Zadarma notification has no pbx_call_id.")]
    if event in ("NOTIFY_IVR", "NOTIFY_RECORD"):
        what = "an IVR step" if event == "NOTIFY_IVR" else "a recording ready in the Zadarma account"
        return [base.ignored(f"Zadarma {event}: {what}, nothing to record here.", call_id)]
    outgoing = event in ("NOTIFY_OUT_START", "NOTIFY_OUT_END")
    number = form.get("destination") if outgoing else form.get("caller_id")
    phone, bad = base.phone(number)
    if bad:
        return [base.ignored(f"The number {str(number)[:40]!r} is not a phone number.", call_id)]
    values = {
        "kind": "call",
        "external_id": call_id,
        "direction": "out" if outgoing else "in",
        "phone": phone,
        "extension": base.text(form.get("internal"), 64),
    }
    if event in ("NOTIFY_START", "NOTIFY_INTERNAL", "NOTIFY_OUT_START"):
        values.update(call_stage="start", call_status="ringing")
    elif event == "NOTIFY_ANSWER":
        values.update(call_stage="answer", call_status="answered")
    elif event in ("NOTIFY_END", "NOTIFY_OUT_END"):
        seconds, bad = base.duration(form.get("duration"))
        if bad:
            return [
                base.ignored(
                    f"The duration {form.get('duration', '')[:20]!r} is not 0 to 86400 seconds.", call_id
                )
            ]
        status = DISPOSITIONS.get((form.get("disposition") or "").strip().lower(), "failed")
        values.update(call_stage="end", call_status=status, duration=seconds)
    else:
        return [base.ignored(f"Zadarma event {str(event)[:40]!r} is not handled.", call_id)]
    return [base.NormalisedEvent(**values)]


def api_signature(method_path, params, secret):
    """Zadarma API auth: base64(hex(HMAC-SHA1(secret, path + query + md5(query)))), params sorted."""
    query = urlencode(sorted(params.items()))
    string = method_path + query + hashlib.md5(query.encode()).hexdigest()
    return query, signature(secret, string)


def originate_call(conf, from_extension, to_number, session=None, timeout=10.0):
    """Zadarma call-back: rings ``from_extension``, then dials ``to_number``. Returns None."""
    if not conf.api_key or not conf.secret:
        raise base.ProviderError(
            _("The channel needs the Zadarma API key and secret: ask an administrator to set them."),
            "not_configured",
        )
    number = "".join(ch for ch in str(to_number or "") if ch.isdigit())
    if not 3 <= len(number) <= 15:
        raise base.ProviderError(_("%(number)s is not a phone number."), "bad_number", number=to_number)
    params = {"from": str(from_extension), "to": number}
    if conf.setting("sip"):
        params["sip"] = conf.setting("sip")
    path = "/v1/request/callback/"
    query, sign = api_signature(path, params, conf.secret)
    response = base.http_call(
        session,
        "GET",
        f"{base.api_url(conf, API)}{path}?{query}",
        "Zadarma",
        timeout=timeout,
        headers={"Authorization": f"{conf.api_key}:{sign}"},
    )
    data = base.response_json(response) or {}
    if response.status_code == 200 and data.get("status") == "success":
        return None
    message = base.text(data.get("message"), 300)
    if response.status_code in (401, 403) or (message and "auth" in message.lower()):
        raise base.ProviderError(
            _("Zadarma refused the API key or secret: check them in the channel."), "bad_credentials"
        )
    if response.status_code >= 500 or not message:
        raise base.ProviderError(
            _("Zadarma could not place the call now (HTTP %(status)s). Try again later."),
            "unavailable",
            status=response.status_code,
        )
    raise base.ProviderError(_("Zadarma refused the call: %(reason)s"), "refused", reason=message)
