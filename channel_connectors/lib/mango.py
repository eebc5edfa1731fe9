# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Mango Office virtual PBX (protocols.md section 3.2).

Mango posts form fields ``vpbx_api_key``, ``sign``, ``json`` to the configured URL with the event
path appended (``…/<key>/events/call``); ``sign = sha256(vpbx_api_key + json + salt)`` in
lowercase hex, over the json field exactly as received. ``api_key`` is the VPBX API key and
``secret`` the salt. Calls are keyed by ``entry_id``; ``events/summary`` closes a call.
"""

import hashlib
import json
import uuid

from . import base
from .base import _

# pylint: disable=prefer-env-translation
# (no env in the pure lib: _() only marks a sentence for Odoo's export; the models translate it)

PROVIDER = "mango"
CAPABILITIES = frozenset({"originate_call"})
API = "https://app.mango-office.ru"
PATHS = (
    "events/call",
    "events/summary",
    "events/recording",
    "events/record/added",
    "events/record/tagged",
    "events/dtmf",
    "events/sms",
    "ping",
)
RESULT_PREFIX = "result/"


def handshake(conf, query):
    return None


def sign(api_key, json_text, salt):
    return hashlib.sha256((api_key + json_text + salt).encode()).hexdigest()


def _path(path):
    path = (path or "").strip("/")
    if path not in PATHS and not (
        path.startswith(RESULT_PREFIX) and path[len(RESULT_PREFIX) :].isidentifier()
    ):
        raise base.WebhookError(400, "unknown_path", "The URL does not end with a Mango Office event path.")
    return path


def verify(conf, headers, raw, query, path, now):
    salt = base.need_secret(conf)
    api_key = base.need_secret(conf, "api_key")
    _path(path)
    form = base.decode_form(raw)
    given, json_text = form.get("sign"), form.get("json")
    if not given or json_text is None:
        raise base.WebhookError(401, "missing_signature", "The form has no sign or json field.")
    if not base.same_secret(api_key, form.get("vpbx_api_key")):
        raise base.WebhookError(401, "bad_api_key", "The vpbx_api_key is not this channel's.")
    if not base.same_secret(sign(api_key, json_text, salt), given.strip().lower()):
        raise base.WebhookError(401, "bad_signature", "The sign does not match the json field, key and salt.")


def split(conf, headers, raw, query, path):
    path = _path(path)
    form = base.decode_form(raw)
    if path == "ping":
        return []
    if "json" not in form:
        raise base.WebhookError(400, "missing_field", "The form has no json field.")
    data = base.decode_json_object(form["json"].encode(), "json field")
    entry = base.scalar_id(data.get("entry_id"))
    if path == "events/call":
        call_id, seq = base.scalar_id(data.get("call_id")), base.scalar_id(data.get("seq"))
        if not (entry and call_id and seq):
            raise base.WebhookError(400, "missing_field", "A call event needs entry_id, call_id and seq.")
        key, kind = base.event_key("call", entry, call_id, seq), "call"
    elif path == "events/summary":
        if not entry:
            raise base.WebhookError(400, "missing_field", "A summary needs an entry_id.")
        key, kind = base.event_key("summary", entry), "call"
    elif path in ("events/recording", "events/record/added"):
        recording = base.scalar_id(data.get("recording_id"))
        if not recording:
            raise base.WebhookError(400, "missing_field", "A recording event needs a recording_id.")
        state = base.scalar_id(data.get("recording_state")) or "added"
        key, kind = base.event_key("recording", recording, state), "other"
    else:
        key, kind = base.event_key(path, base.body_hash(form["json"].encode())), "other"
    return [base.RawEvent(event_id=key, payload={"path": path, "data": data}, kind=kind)]


def _number(side):
    """The client's number of one side of a call (SIP addresses are employees, not clients)."""
    value = side.get("number")
    if isinstance(value, str) and value.startswith("sip:"):
        return None, False
    return base.phone(value)


def _call(entry, data):
    state = data.get("call_state")
    source, target = base.as_dict(data.get("from")), base.as_dict(data.get("to"))
    outgoing = bool(source.get("extension")) and not target.get("extension")
    employee = source if outgoing else target
    phone, bad = _number(target if outgoing else source)
    if bad:
        return base.ignored("The caller's number is not a phone number.", entry)
    values = {
        "kind": "call",
        "external_id": entry,
        "direction": "out" if outgoing else "in",
        "phone": phone,
        "extension": base.text(employee.get("extension"), 64),
        "occurred_at": base.unix_time(data.get("timestamp")),
    }
    if state == "Appeared":
        return base.NormalisedEvent(call_stage="start", call_status="ringing", **values)
    if state == "Connected":
        return base.NormalisedEvent(call_stage="answer", call_status="answered", **values)
    return base.ignored(f"Mango call state {str(state)[:30]!r}: events/summary closes the call.", entry)


def _summary(entry, data):
    direction = data.get("call_direction")
    if direction not in (1, 2):
        return base.ignored("An internal call between employees.", entry)
    outgoing = direction == 2
    source, target = base.as_dict(data.get("from")), base.as_dict(data.get("to"))
    phone, bad = _number(target if outgoing else source)
    if bad:
        return base.ignored("The client's number is not a phone number.", entry)
    talk, end = data.get("talk_time"), data.get("end_time")
    seconds = 0
    if isinstance(talk, int) and isinstance(end, int) and talk > 0:
        seconds, bad = base.duration(end - talk)
        if bad:
            return base.ignored(f"The call lasted {end - talk} seconds, not 0 to 86400.", entry)
    answered = data.get("entry_result") == 1 and seconds is not None and isinstance(talk, int) and talk > 0
    return base.NormalisedEvent(
        kind="call",
        external_id=entry,
        direction="out" if outgoing else "in",
        phone=phone,
        extension=base.text((source if outgoing else target).get("extension"), 64),
        call_stage="end",
        call_status="answered" if answered else "missed",
        duration=seconds if answered else 0,
        occurred_at=base.unix_time(data.get("create_time")),
    )


def parse(payload):
    payload = base.as_dict(payload)
    path, data = payload.get("path"), base.as_dict(payload.get("data"))
    entry = base.scalar_id(data.get("entry_id"))
    if path in ("events/call", "events/summary") and not entry:
        return [base.ignored("The Mango event has no entry_id.")]
    if path == "events/call":
        return [_call(entry, data)]
    if path == "events/summary":
        return [_summary(entry, data)]
    return [base.ignored(f"Mango event {str(path)[:40]!r} is not recorded.", entry)]


def originate_call(conf, from_extension, to_number, session=None, timeout=10.0):
    """Mango call-back: rings ``from_extension``, then ``to_number``. Returns None: the call's
    events carry its entry_id, not our command id, so the interaction is matched by number."""
    if not conf.api_key or not conf.secret:
        raise base.ProviderError(
            _("The channel needs the Mango Office API key and salt: ask an administrator to set them."),
            "not_configured",
        )
    number = "".join(ch for ch in str(to_number or "") if ch.isdigit())
    if not 3 <= len(number) <= 15:
        raise base.ProviderError(_("%(number)s is not a phone number."), "bad_number", number=to_number)
    command_id = uuid.uuid4().hex
    command = {"command_id": command_id, "from": {"extension": str(from_extension)}, "to_number": number}
    json_text = json.dumps(command, separators=(",", ":"))  # no spaces: Mango signs the text as sent
    form = {
        "vpbx_api_key": conf.api_key,
        "sign": sign(conf.api_key, json_text, conf.secret),
        "json": json_text,
    }
    response = base.http_call(
        session,
        "POST",
        f"{base.api_url(conf, API)}/vpbx/commands/callback",
        "Mango Office",
        timeout=timeout,
        data=form,
    )
    data = base.response_json(response) or {}
    result = data.get("result")
    if response.status_code == 200 and result == 1000:
        return None
    if response.status_code in (401, 403):
        raise base.ProviderError(
            _("Mango Office refused the API key or salt: check them in the channel."), "bad_credentials"
        )
    if response.status_code >= 500 or result is None:
        raise base.ProviderError(
            _("Mango Office could not place the call now (HTTP %(status)s). Try again later."),
            "unavailable",
            status=response.status_code,
        )
    raise base.ProviderError(
        _("Mango Office refused the call (result code %(result)s)."), "refused", result=str(result)[:20]
    )
