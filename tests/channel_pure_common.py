# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Shared by the channel adapter pure tests: the channels' settings, the providers' documented
payloads (tests/data/channels/) and requests signed the way each provider signs them.

The signing here is written again from protocols.md, not taken from the adapters, so a wrong
adapter cannot agree with itself.
"""

import base64
import hashlib
import hmac
import json
from pathlib import Path
from urllib.parse import urlencode

from .pure_lib import load_lib

DATA = Path(__file__).resolve().parent / "data" / "channels"
base = load_lib("channel_connectors", "base")
registry = load_lib("channel_connectors", "registry")

NOW = 1_750_000_000.0  # the server clock of the signature tests
SECRET = "s3cr3t-Value_42"
API_KEY = "1234567890qwerty"
PROVIDERS = [key for key, _label in registry.PROVIDERS]


def data(name):
    return (DATA / name).read_bytes()


def conf(provider, **values):
    defaults = {
        "telegram": {"secret": SECRET, "api_key": "123456:ABC-token"},
        "whatsapp": {
            "secret": SECRET,
            "api_key": "EAAG-token",
            "verify_token": "verify-me",
            "settings": {"phone_number_id": "106540352242922"},
        },
        "zadarma": {"secret": SECRET, "api_key": "zd-user-key"},
        "mango": {"secret": "salt-example", "api_key": API_KEY},
        "asterisk": {"secret": SECRET, "settings": {"bridge_url": "http://127.0.0.1:9"}},
        "generic": {"secret": SECRET},
    }[provider]
    return base.ChannelConf(provider=provider, **{**defaults, **values})


def generic_headers(secret, raw, timestamp=NOW):
    timestamp = str(int(timestamp))
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-Linear-Timestamp": timestamp,
        "X-Linear-Signature": f"sha256={digest}",
    }


def zadarma_signature(secret, string):
    return base64.b64encode(
        hmac.new(secret.encode(), string.encode(), hashlib.sha1).hexdigest().encode()
    ).decode()


ZADARMA_SIGNED = {
    "NOTIFY_START": ("caller_id", "called_did", "call_start"),
    "NOTIFY_INTERNAL": ("caller_id", "called_did", "call_start"),
    "NOTIFY_ANSWER": ("caller_id", "destination", "call_start"),
    "NOTIFY_END": ("caller_id", "called_did", "call_start"),
    "NOTIFY_OUT_START": ("internal", "destination", "call_start"),
    "NOTIFY_OUT_END": ("internal", "destination", "call_start"),
    "NOTIFY_RECORD": ("pbx_call_id", "call_id_with_rec"),
    "NOTIFY_IVR": ("caller_id", "called_did", "call_start"),
}


def mango_form(json_text, key=API_KEY, salt="salt-example"):
    sign = hashlib.sha256((key + json_text + salt).encode()).hexdigest()
    return urlencode({"vpbx_api_key": key, "sign": sign, "json": json_text}).encode()


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def signed(provider, body, secret=SECRET, timestamp=NOW):
    """(headers, raw) of a request ``provider`` would send with ``body``.

    ``body``: bytes for telegram, whatsapp, generic, asterisk; a dict of form fields for zadarma;
    the json field's text for mango (salt = ``secret`` unless it is SECRET).
    """
    if provider == "telegram":
        return {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}, body
    if provider == "whatsapp":
        digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}, body
    if provider == "zadarma":
        fields = ZADARMA_SIGNED.get(body.get("event"), ())
        string = "".join(body.get(name, "") for name in fields)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Signature": zadarma_signature(secret, string),
        }
        return headers, urlencode(body).encode()
    if provider == "mango":
        salt = "salt-example" if secret == SECRET else secret
        return {"Content-Type": "application/x-www-form-urlencoded"}, mango_form(body, salt=salt)
    return generic_headers(secret, body, timestamp), body


# One documented (or, where the provider documents none, protocols-shaped) request per provider:
# (body as `signed` takes it, path suffix)
ZADARMA_START = {
    "event": "NOTIFY_START",
    "call_start": "2024-05-20 10:15:00",
    "pbx_call_id": "in_0892e63cb09c4d7a",
    "caller_id": "+79161234567",
    "called_did": "74951234567",
}
ASTERISK_NEWCHANNEL = {
    "event": "Newchannel",
    "fields": {
        "Event": "Newchannel",
        "Channel": "PJSIP/trunk-00000001",
        "ChannelState": "0",
        "ChannelStateDesc": "Down",
        "CallerIDNum": "+79161234567",
        "CallerIDName": "Ivan",
        "Exten": "74951234567",
        "Context": "from-trunk",
        "Uniqueid": "1716200100.1",
        "Linkedid": "1716200100.1",
    },
}
GENERIC_FORM = {
    "name": "Анна Петрова",
    "phone": "+7 916 123-45-67",
    "email": "anna@example.com",
    "message": "Перезвоните, пожалуйста",
    "utm_source": "google",
    "utm_medium": "cpc",
    "utm_campaign": "spring",
    "external_id": "form-42",
}


def sample(provider):
    """(body for `signed`, path) of a good request."""
    if provider == "telegram":
        return data("telegram_update.json"), ""
    if provider == "whatsapp":
        return data("whatsapp_message.json"), ""
    if provider == "zadarma":
        return dict(ZADARMA_START), ""
    if provider == "mango":
        return compact(json.loads(data("mango_events.json"))["events/call"]), "events/call"
    if provider == "asterisk":
        return json.dumps(ASTERISK_NEWCHANNEL).encode(), ""
    return json.dumps(GENERIC_FORM, ensure_ascii=False).encode(), ""
