# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Requests as each provider sends them, signed with a test channel's secrets, for the webhook
door's tests (tests/test_channel_webhook*.py) and the ingestion benchmark.

Signatures are computed with the adapters' own helpers (lib/), so a request built here is exactly
what the door must accept; the bad variants change one thing each.
"""

import json
import time
from urllib.parse import parse_qsl, urlencode

from odoo.addons.linear_crm.channel_connectors.lib import generic, mango, whatsapp, zadarma

PROVIDERS = ("telegram", "whatsapp", "zadarma", "mango", "asterisk", "generic")
SECRETS = {
    "telegram": {"secret": "tg-secret-token-1"},
    "whatsapp": {"secret": "wa-app-secret", "verify_token": "wa-verify-me", "api_key": "wa-token"},
    "zadarma": {"secret": "zd-api-secret", "api_key": "zd-key"},
    "mango": {"secret": "mango-salt", "api_key": "mango-vpbx-key"},
    "asterisk": {"secret": "ast-shared-secret"},
    "generic": {"secret": "form-shared-secret"},
}
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def make_channels(env, prefix="LC door", **extra):
    """One active channel per provider, with the secrets above; returns {provider: channel}."""
    Channel = env["linear.channel"].sudo()
    return {
        provider: Channel.create(
            {"name": f"{prefix} {provider}", "provider": provider, **SECRETS[provider], **extra}
        )
        for provider in PROVIDERS
    }


def _signed_generic(secret, raw, now=None):
    stamp = str(int(now if now is not None else time.time()))
    return {
        "Content-Type": JSON,
        generic.TIMESTAMP_HEADER: stamp,
        generic.SIGNATURE_HEADER: generic.sign(secret, stamp, raw),
    }


def body_of(provider, n, text="Hello"):
    """The payload of a valid event number ``n`` (a unique provider id) as a Python value."""
    if provider == "telegram":
        return {
            "update_id": 100000 + n,
            "message": {
                "message_id": n,
                "date": int(time.time()),
                "chat": {"id": 5550000 + n, "type": "private", "first_name": "Ivan"},
                "from": {"id": 5550000 + n, "is_bot": False, "first_name": "Ivan", "last_name": f"T{n}"},
                "text": text,
            },
        }
    if provider == "whatsapp":
        return {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "102290129340398",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "15550783881",
                                    "phone_number_id": "106540352242922",
                                },
                                "contacts": [{"profile": {"name": "Sheena"}, "wa_id": f"7916{n:07d}"}],
                                "messages": [
                                    {
                                        "from": f"7916{n:07d}",
                                        "id": f"wamid.TEST{n:08d}",
                                        "timestamp": str(int(time.time())),
                                        "type": "text",
                                        "text": {"body": text},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    if provider == "zadarma":
        return {
            "event": "NOTIFY_START",
            "call_start": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
            "pbx_call_id": f"in_test{n:08d}",
            "caller_id": f"7916{n:07d}",
            "called_did": "74951234567",
        }
    if provider == "mango":
        return {
            "entry_id": f"ENTRY{n:08d}",
            "call_id": f"CALL{n:08d}",
            "timestamp": int(time.time()),
            "seq": 1,
            "call_state": "Appeared",
            "location": "abonent",
            "from": {"number": f"7916{n:07d}"},
            "to": {"extension": "101", "number": "74951234567"},
        }
    if provider == "asterisk":
        return {
            "event": "Newchannel",
            "fields": {
                "Channel": f"SIP/trunk-{n:08x}",
                "ChannelState": "4",
                "ChannelStateDesc": "Ring",
                "CallerIDNum": f"7916{n:07d}",
                "CallerIDName": text,
                "Exten": "101",
                "Uniqueid": f"1700000000.{n}",
                "Linkedid": f"1700000000.{n}",
            },
        }
    return {
        "name": f"Form visitor {n}",
        "phone": f"+7916{n:07d}",
        "message": text,
        "external_id": f"form-{n}",
    }


def request_for(provider, n=1, channel_secrets=None, now=None, body=None, raw=None):
    """(suffix, headers, raw body) of a valid, signed request carrying event ``n``.

    ``body`` replaces the payload (a Python value, or for mango the json field's text); ``raw``
    replaces the serialised bytes (they are still signed, so the body reaches the parser).
    """
    secrets = channel_secrets or SECRETS[provider]
    body = body_of(provider, n) if body is None else body
    if provider == "zadarma":
        raw = urlencode(body).encode() if raw is None else raw
        event = body.get("event") if isinstance(body, dict) else None
        fields = zadarma.SIGNED.get(event, ()) if isinstance(event, str) else ()
        string = "".join(str(body.get(name, "")) for name in fields)
        return "", {"Content-Type": FORM, "Signature": zadarma.signature(secrets["secret"], string)}, raw
    if provider == "mango":
        json_text = body if isinstance(body, str) else json.dumps(body, separators=(",", ":"))
        form = {
            "vpbx_api_key": secrets["api_key"],
            "sign": mango.sign(secrets["api_key"], json_text, secrets["secret"]),
            "json": json_text,
        }
        raw = urlencode(form).encode() if raw is None else raw
        return "events/call", {"Content-Type": FORM}, raw
    raw = json.dumps(body).encode() if raw is None else raw
    if provider == "telegram":
        return "", {"Content-Type": JSON, "X-Telegram-Bot-Api-Secret-Token": secrets["secret"]}, raw
    if provider == "whatsapp":
        return (
            "",
            {"Content-Type": JSON, "X-Hub-Signature-256": whatsapp.signature(secrets["secret"], raw)},
            raw,
        )
    return "", _signed_generic(secrets["secret"], raw, now), raw


def unsigned(provider, request):
    """The same request without whatever authenticates it (a header, or Mango's sign field)."""
    suffix, headers, raw = request
    drop = {"x-telegram-bot-api-secret-token", "x-hub-signature-256", "signature", "x-linear-signature"}
    headers = {k: v for k, v in headers.items() if k.lower() not in drop}
    if provider == "mango":
        raw = urlencode([(k, v) for k, v in parse_qsl(raw.decode()) if k != "sign"]).encode()
    return suffix, headers, raw


def forged(provider, n=1):
    """A request signed with the wrong secrets: 401 from every provider."""
    wrong = {key: value + "-wrong" for key, value in SECRETS[provider].items()}
    if provider == "mango":
        wrong["api_key"] = SECRETS["mango"]["api_key"]  # right key, wrong salt: the sign is what fails
    return request_for(provider, n, channel_secrets=wrong)


def truncated(provider, n=1):
    """A request whose signature holds but whose body is cut in the middle: 400."""
    if provider == "zadarma":
        body = body_of(provider, n)
        body.pop("pbx_call_id")
        return request_for(provider, n, body=body)
    if provider == "mango":
        text = json.dumps(body_of(provider, n), separators=(",", ":"))
        return request_for(provider, n, body=text[: len(text) // 2])
    raw = json.dumps(body_of(provider, n)).encode()
    return request_for(provider, n, raw=raw[: len(raw) // 2])


def wrong_encoding(provider, n=1):
    """A signed request whose text is windows-1251, not UTF-8: 400."""
    text = "Здравствуйте"
    if provider == "zadarma":
        body = body_of(provider, n)
        raw = (
            urlencode(body).encode()
            + b"&comment="
            + "".join(f"%{b:02X}" for b in text.encode("cp1251")).encode()
        )
        return request_for(provider, n, body=body, raw=raw)
    if provider == "mango":
        suffix, headers, raw = request_for(provider, n)
        return (
            suffix,
            headers,
            raw.replace(b"json=", b"json=" + "".join(f"%{b:02X}" for b in text.encode("cp1251")).encode(), 1),
        )
    body = body_of(provider, n, text=text)
    raw = json.dumps(body, ensure_ascii=False).encode("cp1251")
    return request_for(provider, n, body=body, raw=raw)
