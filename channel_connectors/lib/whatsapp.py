# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""WhatsApp Business Cloud API (protocols.md section 2).

GET handshake: ``hub.mode=subscribe``, ``hub.verify_token`` (the channel's verify token) →
``hub.challenge`` echoed. POST: ``X-Hub-Signature-256: sha256=<HMAC-SHA256(app secret, raw)>``.
One notification may carry several entries, changes, messages and statuses: each becomes an
event (a message by its wamid, a status by wamid + ":" + status). Meta re-delivers for 7 days.
"""

import hashlib
import hmac
import json
import re

from . import base
from .base import _

# pylint: disable=prefer-env-translation
# (no env in the pure lib: _() only marks a sentence for Odoo's export; the models translate it)

PROVIDER = "whatsapp"
CAPABILITIES = frozenset({"send_message"})
API = "https://graph.facebook.com"
API_VERSION = "v26.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"
MAX_MESSAGE = 4096
CHALLENGE = re.compile(r"^[A-Za-z0-9._\-]{1,256}$")
STATUSES = {"sent": "sent", "delivered": "delivered", "read": "read", "played": "read", "failed": "failed"}
MEDIA = {
    "image": "[image]",
    "video": "[video]",
    "audio": "[voice message]",
    "sticker": "[sticker]",
    "location": "[location]",
    "contacts": "[contact]",
    "order": "[order]",
}
# Meta error codes that have a plain answer for the salesperson
ERRORS = {
    131047: (
        _(
            "The client has not written in the last 24 hours: WhatsApp only lets you answer with an "
            "approved template."
        ),
        "window_closed",
    ),
    131026: (
        _(
            "WhatsApp could not deliver the message: the number may not use WhatsApp, or has not "
            "accepted WhatsApp's latest terms."
        ),
        "undeliverable",
    ),
    131030: (
        _("This test number may only write to the numbers listed as recipients in the Meta app."),
        "not_allowed_recipient",
    ),
    131031: (_("The WhatsApp Business account is locked: see the Meta Business dashboard."), "locked"),
    131051: (_("WhatsApp does not support this kind of message."), "unsupported"),
    190: (
        _("The WhatsApp access token is wrong or expired: set a new one in the channel."),
        "bad_token",
    ),
    10: (
        _("The access token lacks the whatsapp_business_messaging permission."),
        "permission",
    ),
    368: (_("Meta has temporarily blocked this number for a policy violation."), "blocked"),
    130429: (_("WhatsApp is limiting how fast this number sends: try again later."), "rate_limited"),
    131056: (
        _("Too many messages to this client in a short time: WhatsApp asks to wait a little."),
        "rate_limited",
    ),
    133010: (_("The sender phone number is not registered with WhatsApp Cloud API."), "not_registered"),
}


def handshake(conf, query):
    mode = base.query_value(query, "hub.mode", "hub_mode")
    token = base.query_value(query, "hub.verify_token", "hub_verify_token")
    challenge = base.query_value(query, "hub.challenge", "hub_challenge")
    if mode is None and token is None and challenge is None:
        return None
    if mode != "subscribe" or challenge is None:
        raise base.WebhookError(400, "bad_handshake", "Expected hub.mode=subscribe with a hub.challenge.")
    if not conf.verify_token:
        raise base.WebhookError(403, "not_configured", "This channel has no verify token set.")
    if not base.same_secret(conf.verify_token, token):
        raise base.WebhookError(403, "bad_verify_token", "The hub.verify_token does not match the channel's.")
    if not CHALLENGE.match(challenge):
        raise base.WebhookError(400, "bad_challenge", "The hub.challenge has unexpected characters.")
    return 200, "text/plain", challenge.encode()


def signature(secret, raw):
    return "sha256=" + hmac.new(secret.encode(), bytes(raw), hashlib.sha256).hexdigest()


def verify(conf, headers, raw, query, path, now):
    secret = base.need_secret(conf)
    given = base.header(headers, SIGNATURE_HEADER)
    if not given:
        raise base.WebhookError(401, "missing_signature", f"The {SIGNATURE_HEADER} header is missing.")
    if not base.same_secret(signature(secret, raw), given.strip()):
        raise base.WebhookError(
            401, "bad_signature", "The signature does not match the body and the app secret."
        )


def split(conf, headers, raw, query, path):
    data = base.decode_json_object(raw)
    if data.get("object") != "whatsapp_business_account":
        raise base.WebhookError(400, "not_whatsapp", "The body is not a WhatsApp Business notification.")
    entries = data.get("entry")
    if not isinstance(entries, list):
        raise base.WebhookError(400, "missing_field", "The notification has no entry list.")
    events = []
    for entry in entries:
        changes = base.as_dict(entry).get("changes")
        if not isinstance(changes, list):
            raise base.WebhookError(400, "missing_field", "An entry has no changes list.")
        for change in changes:
            change = base.as_dict(change)
            value = base.as_dict(change.get("value"))
            metadata = base.as_dict(value.get("metadata"))
            if change.get("field") != "messages" or not ("messages" in value or "statuses" in value):
                digest = hashlib.sha256(json.dumps(change, sort_keys=True).encode()).hexdigest()
                events.append(base.RawEvent(base.event_key("change", digest), {"change": change}, "other"))
                continue
            contacts = base.as_list(value.get("contacts"))
            for message in base.as_list(value.get("messages")):
                message_id = base.scalar_id(base.as_dict(message).get("id"))
                if not message_id:
                    raise base.WebhookError(400, "missing_field", "A message has no id.")
                payload = {"metadata": metadata, "contacts": contacts, "message": message}
                events.append(base.RawEvent(base.event_key(message_id), payload, "message"))
            for status in base.as_list(value.get("statuses")):
                status_id = base.scalar_id(base.as_dict(status).get("id"))
                state = base.scalar_id(base.as_dict(status).get("status"))
                if not status_id or not state:
                    raise base.WebhookError(400, "missing_field", "A status has no id or status.")
                payload = {"metadata": metadata, "status": status}
                events.append(base.RawEvent(base.event_key(status_id, state), payload, "status"))
    return events


def _wa_phone(wa_id):
    """'16505551234' → '+16505551234' when it looks like a number, else None."""
    number, bad = base.phone(wa_id)
    if bad or not number:
        return None
    return number if number.startswith("+") else "+" + number


def _message(payload):
    message = base.as_dict(payload.get("message"))
    wa_id = base.scalar_id(message.get("from"))
    message_id = base.scalar_id(message.get("id"))
    if not wa_id or not message_id:
        return base.ignored("The WhatsApp message has no sender or id.")
    kind = message.get("type")
    if kind in ("reaction", "system", "unsupported", "ephemeral"):
        return base.ignored(f"A WhatsApp {kind} message is not recorded.", message_id)
    phone = _wa_phone(wa_id)
    if phone is None:
        return base.ignored(f"The sender {wa_id[:40]!r} is not a phone number.", message_id)
    contact = next(
        (
            base.as_dict(c)
            for c in base.as_list(payload.get("contacts"))
            if base.as_dict(c).get("wa_id") == wa_id
        ),
        {},
    )
    if kind == "text":
        text = base.text(base.as_dict(message.get("text")).get("body"))
    elif kind in ("button", "interactive"):
        inner = base.as_dict(message.get(kind))
        reply = base.as_dict(inner.get("button_reply") or inner.get("list_reply"))
        text = base.text(inner.get("text") or reply.get("title"))
    elif kind == "document":
        document = base.as_dict(message.get("document"))
        text = (
            base.text(document.get("caption"))
            or f"[document: {base.text(document.get('filename'), 255) or 'file'}]"
        )
    else:
        text = base.text(base.as_dict(message.get(kind)).get("caption")) if kind in MEDIA else None
        text = text or MEDIA.get(kind, "[message]")
    return base.NormalisedEvent(
        kind="message",
        external_id=message_id,
        direction="in",
        phone=phone,
        handle=wa_id,
        handle_kind="whatsapp",
        name=base.text(base.as_dict(contact.get("profile")).get("name"), 255),
        text=text or "[message]",
        occurred_at=base.unix_time(message.get("timestamp")),
    )


def _status(payload):
    status = base.as_dict(payload.get("status"))
    message_id = base.scalar_id(status.get("id"))
    state = STATUSES.get(status.get("status"))
    if not message_id:
        return base.ignored("The WhatsApp status has no message id.")
    if state is None:
        return base.ignored(f"WhatsApp status {str(status.get('status'))[:40]!r} is not handled.", message_id)
    error = None
    if state == "failed":
        first = base.as_dict(next(iter(base.as_list(status.get("errors"))), {}))
        code = first.get("code")
        plain = ERRORS.get(code) if isinstance(code, int) else None
        details = base.text(base.as_dict(first.get("error_data")).get("details"), 500)
        error = plain[0] if plain else (details or base.text(first.get("title"), 500) or "Delivery failed.")
    recipient = base.scalar_id(status.get("recipient_id"))
    return base.NormalisedEvent(
        kind="status",
        external_id=message_id,
        direction="out",
        phone=_wa_phone(recipient) if recipient else None,
        handle=recipient,
        handle_kind="whatsapp" if recipient else None,
        message_status=state,
        error=error,
        occurred_at=base.unix_time(status.get("timestamp")),
    )


def parse(payload):
    payload = base.as_dict(payload)
    if "message" in payload:
        return [_message(payload)]
    if "status" in payload:
        return [_status(payload)]
    field = base.as_dict(payload.get("change")).get("field")
    return [base.ignored(f"WhatsApp notification {str(field)[:60]!r} is not handled.")]


def _error(status, data):
    error = base.as_dict(base.as_dict(data).get("error"))
    code = error.get("code")
    if isinstance(code, int) and code in ERRORS:
        template, slug = ERRORS[code]
        return base.ProviderError(template, slug)
    if status == 401:
        return base.ProviderError(*ERRORS[190])
    details = base.text(base.as_dict(error.get("error_data")).get("details"), 300)
    message = details or base.text(error.get("message"), 300)
    if status >= 500 or not message:
        return base.ProviderError(
            _("WhatsApp could not take the message now (HTTP %(status)s). Try again later."),
            "unavailable",
            status=status,
        )
    return base.ProviderError(_("WhatsApp refused the message: %(reason)s"), "refused", reason=message)


def send_message(conf, to, text, session=None, timeout=10.0):
    """Send a free-form text to WhatsApp number ``to`` (digits); returns the wamid."""
    phone_number_id = conf.setting("phone_number_id")
    if not conf.api_key or not phone_number_id:
        raise base.ProviderError(
            _("The channel needs an access token and a phone number ID: ask an administrator to set them."),
            "not_configured",
        )
    digits = "".join(ch for ch in str(to or "") if ch.isdigit())
    if not 6 <= len(digits) <= 15:
        raise base.ProviderError(_("%(number)s is not a WhatsApp number."), "bad_number", number=to)
    text = (text or "").strip()
    if not text:
        raise base.ProviderError(_("The message is empty."), "empty")
    if len(text) > MAX_MESSAGE:
        raise base.ProviderError(
            _("The message is longer than WhatsApp's %(limit)s characters."), "too_long", limit=MAX_MESSAGE
        )
    version = conf.setting("api_version", API_VERSION)
    url = f"{base.api_url(conf, API)}/{version}/{phone_number_id}/messages"
    body = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": digits,
        "type": "text",
        "text": {"preview_url": False, "body": text},
    }
    response = base.http_call(
        session,
        "POST",
        url,
        "WhatsApp",
        timeout=timeout,
        json=body,
        headers={"Authorization": f"Bearer {conf.api_key}"},
    )
    data = base.response_json(response)
    if response.status_code != 200 or not data or "error" in data:
        raise _error(response.status_code, data)
    message_id = base.scalar_id(base.as_dict(next(iter(base.as_list(data.get("messages"))), {})).get("id"))
    if not message_id:
        raise base.ProviderError(_("WhatsApp answered without a message id."), "bad_answer")
    return message_id
