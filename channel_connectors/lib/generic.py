# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Site forms and widgets, and any system that can sign a POST (the Asterisk bridge reuses it).

Signed requests (server to server): ``X-Linear-Timestamp: <unix seconds>`` and
``X-Linear-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>``, the
timestamp within 5 minutes of the server's clock. Browser forms cannot keep a secret: a channel
may list web origins (setting ``form_origins``) whose unsigned posts it accepts.

Body: a JSON object (or a list of up to 100 objects), or application/x-www-form-urlencoded, with
the fields name, phone, email, message, utm_source, utm_medium, utm_campaign, external_id; other
scalar fields are kept and shown under the message.
"""

import hashlib
import hmac
import json
import re

from . import base

PROVIDER = "generic"
CAPABILITIES = frozenset()
TIMESTAMP_WINDOW = 300
SIGNATURE_HEADER = "X-Linear-Signature"
TIMESTAMP_HEADER = "X-Linear-Timestamp"
MAX_ITEMS = 100
MAX_FIELDS = 50
MAX_VALUE = 2000
KNOWN = ("name", "phone", "email", "message", "utm_source", "utm_medium", "utm_campaign", "external_id")
UTM = ("utm_source", "utm_medium", "utm_campaign")
HONEYPOT = "linear_trap"  # a hidden field people leave empty and form-filling bots do not
FORM = "application/x-www-form-urlencoded"


def sign(secret, timestamp, raw):
    """The X-Linear-Signature value for ``raw`` sent at ``timestamp`` (a string of Unix seconds)."""
    message = timestamp.encode() + b"." + bytes(raw)
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def handshake(conf, query):
    return None


def form_origins(conf):
    value = conf.setting("form_origins")
    return {o.rstrip("/").lower() for o in re.split(r"[\s,]+", value) if o}


def cors_origin(conf, headers):
    """The Origin to allow in a CORS answer, when it is one of the channel's form origins."""
    origin = base.header(headers, "Origin")
    if origin and origin.rstrip("/").lower() in form_origins(conf):
        return origin
    return None


def verify_signature(conf, headers, raw, now):
    """The signed scheme, shared with asterisk.py; WebhookError 401/403 when it does not hold."""
    secret = base.need_secret(conf)
    signature = base.header(headers, SIGNATURE_HEADER)
    timestamp = base.header(headers, TIMESTAMP_HEADER)
    if not signature:
        raise base.WebhookError(401, "missing_signature", f"The {SIGNATURE_HEADER} header is missing.")
    if not timestamp:
        raise base.WebhookError(401, "missing_timestamp", f"The {TIMESTAMP_HEADER} header is missing.")
    timestamp = timestamp.strip()
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        raise base.WebhookError(
            401, "bad_timestamp", f"The {TIMESTAMP_HEADER} header must be Unix seconds (digits)."
        )
    if not base.same_secret(sign(secret, timestamp, raw), signature.strip()):
        raise base.WebhookError(401, "bad_signature", "The signature does not match the body.")
    if abs(now - int(timestamp)) > TIMESTAMP_WINDOW:
        raise base.WebhookError(
            401, "stale_timestamp", "The timestamp is more than 5 minutes away from the server's clock."
        )


def verify(conf, headers, raw, query, path, now):
    if base.header(headers, SIGNATURE_HEADER) is None and form_origins(conf):
        if cors_origin(conf, headers):
            return
        raise base.WebhookError(
            401,
            "unsigned_origin",
            "An unsigned post is accepted only from the web sites listed in the channel.",
        )
    verify_signature(conf, headers, raw, now)


def _items(headers, raw):
    kind = base.content_type(headers)
    if kind == FORM:
        return [base.decode_form(raw)]
    if kind.startswith("multipart/"):
        raise base.WebhookError(
            400, "unsupported_content_type", "Send the form as JSON or application/x-www-form-urlencoded."
        )
    data = base.decode_json(raw)
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list) and data and len(data) <= MAX_ITEMS and all(isinstance(i, dict) for i in data):
        return data
    raise base.WebhookError(
        400, "not_an_object", f"The body must be a JSON object or a list of 1 to {MAX_ITEMS} objects."
    )


def _clean(item):
    """The item's scalar fields as text (NUL removed, values cut at 2,000 characters)."""
    fields = {}
    for key, value in item.items():
        if not isinstance(key, str) or not key or len(key) > 64 or len(fields) >= MAX_FIELDS:
            continue
        if isinstance(value, bool):
            value = "yes" if value else "no"
        if isinstance(value, int | float | str):
            value = base.text(value, MAX_VALUE)
            if value is not None:
                fields[key.replace("\x00", "")] = value
    return fields


def fingerprint(fields):
    return base.event_key("sha256", hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest())


def split(conf, headers, raw, query, path):
    events = []
    for item in _items(headers, raw):
        fields = _clean(item)
        external = base.scalar_id(fields.get("external_id"))
        event_id = base.event_key(external) if external else fingerprint(fields)
        events.append(base.RawEvent(event_id=event_id, payload=fields, kind="form"))
    return events


def parse(payload):
    if not isinstance(payload, dict):
        return [base.ignored("The form data is not a set of fields.")]
    if base.text(payload.get(HONEYPOT)):
        return [base.ignored("The spam trap field is filled in: a bot sent this form.")]
    fields = _clean(payload)
    external_id = base.scalar_id(fields.get("external_id")) or fingerprint(fields)
    phone, bad_phone = base.phone(fields.get("phone"))
    email = base.email(fields.get("email"))
    lines = [fields["message"]] if fields.get("message") else []
    if bad_phone:
        if not email:
            return [
                base.ignored(
                    f"The phone {fields.get('phone', '')[:40]!r} is not a phone number.", external_id
                )
            ]
        lines.append(f"Phone as typed: {fields['phone']}")
    if not phone and not email:
        return [base.ignored("The form gives neither a phone number nor an e-mail address.", external_id)]
    if fields.get("email") and not email:
        lines.append(f"E-mail as typed: {fields['email']}")
    extra = [f"{k}: {v}" for k, v in fields.items() if k not in KNOWN and k != HONEYPOT]
    text = "\n".join(lines + extra) or None
    return [
        base.NormalisedEvent(
            kind="message",
            external_id=base.event_key(external_id),
            direction="in",
            phone=phone,
            name=base.text(fields.get("name"), 255),
            email=email,
            text=base.text(text),
            utm={key: fields[key][:255] for key in UTM if fields.get(key)},
        )
    ]
