# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Asterisk through the AMI bridge (channel_connectors/bridges/asterisk_ami_bridge.py).

The bridge posts one signed JSON object per AMI event it follows (generic.py's signature):
``{"event": "Newchannel"|"Newstate"|"Hangup"|"Cdr", "fields": {AMI key: value},
"call": {...}}`` where ``call`` (on the call's last Hangup) carries what the bridge saw of the
whole call: ``caller`` and ``dialled`` of its first channel, ``answered_by`` (the extension whose
channel went Up) and ``talk_seconds``; the first Newchannel of a click-to-call the bridge placed
carries ``call`` too (``caller`` = the user's extension, ``dialled`` = the number,
``originated``). A call is keyed by ``Linkedid``; internal extensions are numbers of 1 to 5
digits. Click-to-call posts a signed ``{"from", "to"}`` to the bridge.
"""

import json
import re
import time

from . import base, generic
from .base import _

# pylint: disable=prefer-env-translation
# (no env in the pure lib: _() only marks a sentence for Odoo's export; the models translate it)

PROVIDER = "asterisk"
CAPABILITIES = frozenset({"originate_call"})
EVENTS = ("Newchannel", "Newstate", "Hangup", "Cdr")
INTERNAL = re.compile(r"^\d{1,5}$")
BUSY_CAUSES = {17}  # Q.850 user busy
DISPOSITIONS = {"ANSWERED": "answered", "NO ANSWER": "missed", "BUSY": "busy", "FAILED": "failed"}


def handshake(conf, query):
    return None


def verify(conf, headers, raw, query, path, now):
    generic.verify_signature(conf, headers, raw, now)


def split(conf, headers, raw, query, path):
    data = base.decode_json_object(raw)
    event = data.get("event")
    fields = data.get("fields")
    if event not in EVENTS or not isinstance(fields, dict):
        raise base.WebhookError(
            400,
            "unknown_event",
            "Expected an object with event (Newchannel, Newstate, Hangup, Cdr) and fields.",
        )
    unique = base.scalar_id(fields.get("Uniqueid") or fields.get("UniqueID"))
    if not unique:
        raise base.WebhookError(400, "missing_field", "The AMI event has no Uniqueid.")
    parts = [unique, event]
    if event == "Newstate":
        parts.append(base.scalar_id(fields.get("ChannelState")) or "")
    return [base.RawEvent(event_id=base.event_key(*parts), payload=data, kind="call")]


def internal(number):
    return isinstance(number, str) and bool(INTERNAL.match(number.strip()))


def _side(caller, dialled):
    """(direction, client number, extension) of a call from its first channel's caller/dialled."""
    if internal(caller) and not internal(dialled):
        return "out", dialled, caller.strip()
    return "in", caller, None


def parse(payload):
    payload = base.as_dict(payload)
    event = payload.get("event")
    fields = {k: v for k, v in base.as_dict(payload.get("fields")).items() if isinstance(v, str)}
    unique = base.scalar_id(fields.get("Uniqueid") or fields.get("UniqueID"))
    linked = base.scalar_id(fields.get("Linkedid")) or unique
    if not unique:
        return [base.ignored("The AMI event has no Uniqueid.")]
    first = unique == linked
    if event == "Newchannel":
        return [_new_channel(linked, first, fields, base.as_dict(payload.get("call")))]
    if event == "Newstate":
        return [_new_state(linked, first, fields)]
    if event == "Hangup":
        return [_hangup(linked, first, fields, base.as_dict(payload.get("call")))]
    if event == "Cdr":
        return [_cdr(linked, fields)]
    return [base.ignored(f"AMI event {str(event)[:40]!r} is not handled.", linked)]


def _call(linked, direction, number, extension, **values):
    phone, bad = base.phone(number)
    if bad:
        return base.ignored(f"The number {str(number)[:40]!r} is not a phone number.", linked)
    return base.NormalisedEvent(
        kind="call",
        external_id=linked,
        direction=direction,
        phone=phone,
        extension=base.text(extension, 64),
        **values,
    )


def _new_channel(linked, first, fields, call):
    if not first:
        return base.ignored("A further channel of the call (its ringing state follows).", linked)
    caller, dialled = fields.get("CallerIDNum"), fields.get("Exten")
    if isinstance(call.get("caller"), str) and isinstance(call.get("dialled"), str):
        caller, dialled = call["caller"], call["dialled"]  # a click-to-call: the bridge knows who
    if internal(caller) and internal(dialled):
        return base.ignored("An internal call between extensions.", linked)
    direction, number, extension = _side(caller, dialled)
    return _call(linked, direction, number, extension, call_stage="start", call_status="ringing")


def _new_state(linked, first, fields):
    state = fields.get("ChannelStateDesc")
    if first or state not in ("Ringing", "Up"):
        return base.ignored(
            f"Channel state {str(state)[:20]!r} of the call's first channel or a transient one.", linked
        )
    caller, connected = fields.get("CallerIDNum"), fields.get("ConnectedLineNum")
    if internal(caller):  # an extension's channel rings or answers an incoming call
        direction, number, extension = "in", connected, caller
    elif internal(connected):  # the client's channel of an outgoing call answers
        if state == "Ringing":
            return base.ignored("The client's phone is ringing (outgoing call).", linked)
        direction, number, extension = "out", caller, connected
    else:
        return base.ignored("A channel of neither an extension nor a client.", linked)
    if state == "Ringing":
        return _call(linked, direction, number, extension, call_stage="start", call_status="ringing")
    return _call(linked, direction, number, extension, call_stage="answer", call_status="answered")


def _hangup(linked, first, fields, call):
    if not first:
        return base.ignored("A further channel of the call hung up.", linked)
    caller = call.get("caller") if isinstance(call.get("caller"), str) else fields.get("CallerIDNum")
    dialled = call.get("dialled") if isinstance(call.get("dialled"), str) else fields.get("Exten")
    direction, number, extension = _side(caller, dialled)
    answered_by = call.get("answered_by")
    seconds, bad = base.duration(call.get("talk_seconds"))
    if bad:
        return base.ignored(
            f"The talk time {str(call.get('talk_seconds'))[:20]!r} is not 0 to 86400 seconds.", linked
        )
    if answered_by:
        status = "answered"
    elif base.scalar_id(fields.get("Cause")) in {str(c) for c in BUSY_CAUSES}:
        status = "busy"
    else:
        status = "missed"
    if direction == "in" and isinstance(answered_by, str):
        extension = answered_by
    return _call(
        linked,
        direction,
        number,
        extension,
        call_stage="end",
        call_status=status,
        duration=seconds if status == "answered" else 0,
    )


def _cdr(linked, fields):
    status = DISPOSITIONS.get(fields.get("Disposition", "").strip().upper())
    if status is None:
        return base.ignored(f"CDR disposition {fields.get('Disposition', '')[:20]!r} is not handled.", linked)
    seconds, bad = base.duration(fields.get("BillableSeconds"))
    if bad:
        return base.ignored("The CDR's billable seconds are not 0 to 86400.", linked)
    source, destination = fields.get("Source"), fields.get("Destination")
    if internal(source) and internal(destination):
        return base.ignored("An internal call between extensions.", linked)
    direction, number, extension = _side(source, destination)
    if direction == "in" and internal(destination):
        extension = destination.strip()
    url = fields.get("UserField", "").strip()
    return _call(
        linked,
        direction,
        number,
        extension,
        call_stage="end",
        call_status=status,
        duration=seconds,
        recording_url=url[:2000] if url.startswith(("https://", "http://")) else None,
    )


def originate_call(conf, from_extension, to_number, session=None, timeout=10.0):
    """Ask the AMI bridge to ring ``from_extension`` and then dial ``to_number``. Returns None:
    the call's events carry its Linkedid, not the AMI action id, so it is matched by number."""
    bridge = conf.setting("bridge_url")
    if not bridge or not conf.secret:
        raise base.ProviderError(
            _(
                "The channel needs the bridge URL and the secret shared with the bridge: ask an "
                "administrator."
            ),
            "not_configured",
        )
    number = "".join(ch for ch in str(to_number or "") if ch.isdigit() or ch == "+")
    if not 3 <= sum(ch.isdigit() for ch in number) <= 15:
        raise base.ProviderError(_("%(number)s is not a phone number."), "bad_number", number=to_number)
    raw = json.dumps({"from": str(from_extension), "to": number}).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        generic.TIMESTAMP_HEADER: timestamp,
        generic.SIGNATURE_HEADER: generic.sign(conf.secret, timestamp, raw),
    }
    response = base.http_call(
        session,
        "POST",
        f"{bridge.rstrip('/')}/originate",
        "The Asterisk bridge",
        timeout=timeout,
        data=raw,
        headers=headers,
    )
    data = base.response_json(response) or {}
    if response.status_code == 200 and data.get("ok") is True:
        return None
    if response.status_code == 401:
        raise base.ProviderError(
            _("The Asterisk bridge refused the signature: the channel's secret differs from the bridge's."),
            "bad_credentials",
        )
    message = base.text(data.get("message"), 300)
    if message:
        raise base.ProviderError(_("Asterisk refused the call: %(reason)s"), "refused", reason=message)
    raise base.ProviderError(
        _("The Asterisk bridge could not place the call (HTTP %(status)s)."),
        "unavailable",
        status=response.status_code,
    )
