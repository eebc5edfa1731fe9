# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""What every provider adapter shares: the channel's settings, the events, the errors, and the
careful decoding of what a sender may send (protocols.md; the contract in CHANNELS.md).

The door (webhook controller) calls ``verify`` and ``split`` inside the request and only knows
WebhookError; the job calls ``parse``, which never raises on bad data.
"""

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import requests

# pylint: disable=prefer-env-translation
# (no env in the pure lib: _() only marks a sentence for Odoo's export; the models translate it)

MAX_BODY = 1024 * 1024  # 1 MiB: the largest body the door stores (WhatsApp's own cap is 3 MB)
MAX_EVENT_ID = 255
MAX_TEXT = 10000
MAX_FORM_FIELDS = 200
# Unix seconds a provider may plausibly send (2000-01-01 .. 2100-01-01); anything else is noise.
MIN_TIME, MAX_TIME = 946684800, 4102444800
MAX_DURATION = 86400
# message statuses only go up: a late "delivered" never hides a "read"; "failed" is handled apart
STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3}
CALL_STATUSES = ("ringing", "answered", "missed", "busy", "failed")
# what a PBX sends instead of a number when the caller hides it
HIDDEN_NUMBERS = {"", "anonymous", "unknown", "<unknown>", "private", "restricted", "unavailable"}

_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-.]{1,30}$")
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")


def _(text):
    """Marks an English sentence for Odoo's translation export (Odoo translates it when shown)."""
    return text


@dataclass(frozen=True)
class ChannelConf:
    """What an adapter needs to know of a channel; built by ``linear.channel._linear_conf()``."""

    provider: str
    secret: str = ""
    api_key: str = ""
    verify_token: str = ""
    api_base_url: str = ""  # empty = the provider's public API; tests point it at a loopback fake
    settings: Mapping[str, str] = field(default_factory=dict)

    def setting(self, name, default=""):
        value = (self.settings or {}).get(name)
        return value if isinstance(value, str) and value else default

    def __repr__(self):  # never print secrets into a log or a traceback
        return f"ChannelConf(provider={self.provider!r}, api_base_url={self.api_base_url!r})"


class WebhookError(Exception):
    """A request the door refuses: ``status`` is the HTTP answer, ``message`` says why in plain
    English and never echoes a secret."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def __repr__(self):
        return f"WebhookError({self.status}, {self.code!r}, {self.message!r})"


class ProviderError(Exception):
    """An outbound call that failed, in words a salesperson understands.

    ``template`` and ``params`` let Odoo translate: ``env._(err.template, **err.params)``.
    """

    def __init__(self, template, code="", **params):
        self.template = template
        self.params = params
        self.code = code
        self.user_message = template % params if params else template
        super().__init__(self.user_message)


@dataclass
class RawEvent:
    """One provider event cut out of a request, stored by the door before anything else."""

    event_id: str
    payload: dict
    kind: str = "other"  # message, call, status, form, other: a hint for the event list


@dataclass
class NormalisedEvent:
    """What the job hands to ``linear.interaction._linear_ingest``."""

    kind: str  # call | message | status | ignored
    external_id: str | None = None
    direction: str = "in"
    phone: str | None = None
    handle: str | None = None
    handle_kind: str | None = None  # telegram | whatsapp
    name: str | None = None
    username: str | None = None
    email: str | None = None
    text: str | None = None
    call_status: str | None = None  # ringing | answered | missed | busy | failed
    call_stage: str | None = None  # start | answer | end
    duration: int | None = None
    recording_url: str | None = None
    extension: str | None = None
    message_status: str | None = None  # sent | delivered | read | failed
    error: str | None = None
    occurred_at: datetime | None = None  # naive UTC; None when the provider sends no time
    utm: dict = field(default_factory=dict)
    reason: str | None = None


def ignored(reason, external_id=None):
    return NormalisedEvent(kind="ignored", external_id=external_id, reason=reason)


# ----------------------------------------------------------------------------- request side


def header(headers, name):
    """A header's value whatever mapping the door passes (werkzeug's is case-insensitive)."""
    if headers is None:
        return None
    try:
        value = headers.get(name)
        if value is None and isinstance(headers, Mapping):
            lname = name.lower()
            value = next((v for k, v in headers.items() if isinstance(k, str) and k.lower() == lname), None)
    except (AttributeError, TypeError):
        return None
    return value if isinstance(value, str) else None


def query_value(query, *names):
    if not query:
        return None
    for name in names:
        try:
            value = query.get(name)
        except (AttributeError, TypeError):
            return None
        if isinstance(value, str):
            return value
    return None


def same_secret(expected, given):
    """Constant-time compare of two strings (bytes, so non-ASCII input cannot raise)."""
    if not isinstance(given, str) or not expected:
        return False
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "surrogatepass"))


def check_size(raw):
    if not isinstance(raw, bytes | bytearray):
        raise WebhookError(400, "bad_body", "The request body is missing.")
    if len(raw) > MAX_BODY:
        raise WebhookError(413, "too_large", "The request body is larger than 1 MiB.")


def need_secret(conf, what="secret"):
    value = getattr(conf, what, "")
    if not value:
        label = what.replace("_", " ")
        message = f"This channel has no {label} set: it refuses every request."
        raise WebhookError(403, "not_configured", message)
    return value


def _text(raw):
    try:
        return bytes(raw).decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise WebhookError(400, "bad_encoding", "The request body is not UTF-8 text.") from err


def _no_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def decode_json(raw, what="request body"):
    """A JSON object (dict) or WebhookError 400 saying what is wrong."""
    check_size(raw)
    text = _text(raw) if isinstance(raw, bytes | bytearray) else raw
    if not text.strip():
        raise WebhookError(400, "empty_body", f"The {what} is empty.")
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as err:
        where = f"line {err.lineno}, column {err.colno}"
        message = f"The {what} is not valid JSON: {err.msg} ({where})."
        raise WebhookError(400, "malformed_json", message) from err
    except (ValueError, RecursionError) as err:  # NaN, a 5,000-digit number, nesting too deep
        raise WebhookError(400, "malformed_json", f"The {what} is not valid JSON.") from err
    return data


def decode_json_object(raw, what="request body"):
    data = decode_json(raw, what)
    if not isinstance(data, dict):
        raise WebhookError(400, "not_an_object", f"The {what} must be a JSON object.")
    return data


def decode_form(raw):
    """application/x-www-form-urlencoded → {name: first value}; WebhookError 400 when broken."""
    check_size(raw)
    text = _text(raw)
    try:
        pairs = parse_qsl(text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FORM_FIELDS)
    except UnicodeDecodeError as err:
        raise WebhookError(400, "bad_encoding", "A form field is not UTF-8 text.") from err
    except ValueError as err:
        message = f"The form has more than {MAX_FORM_FIELDS} fields."
        raise WebhookError(400, "too_many_fields", message) from err
    form = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


def content_type(headers):
    return (header(headers, "Content-Type") or "").split(";", 1)[0].strip().lower()


def event_key(*parts):
    """A provider event id of at most 255 characters (long ones are hashed, still unique)."""
    key = ":".join(str(p) for p in parts)
    if len(key) <= MAX_EVENT_ID and key.isprintable():
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def body_hash(raw):
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def scalar_id(value):
    """A provider id as text: a non-empty string or an integer (never a bool, dict or list)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip() and "\x00" not in value:
        return value.strip()
    return None


# ----------------------------------------------------------------------------- parsing helpers


def text(value, limit=MAX_TEXT):
    """Clean text or None: strings and numbers only, NUL removed (PostgreSQL refuses it)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.replace("\x00", "").strip()
    if not value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value[:limit]


def phone(value):
    """(number as sent, is_bad): hidden caller ids give (None, False), letters give (None, True)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None, value is not None
    value = value.replace("\x00", "").strip()
    if value.lower() in HIDDEN_NUMBERS:
        return None, False
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE.match(value) or not 3 <= digits <= 15 or not value.isascii():
        return None, True
    return value, False


def email(value):
    value = text(value, 320)
    return value if value and _EMAIL.match(value) else None


def duration(value):
    """(seconds, is_bad): 0..86400 whole seconds; None, '' give (None, False)."""
    if value is None or value == "":
        return None, False
    if isinstance(value, bool):
        return None, True
    if isinstance(value, str):
        value = value.strip()
        if not value.isascii() or not value.isdigit() or len(value) > 6:
            return None, True
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= MAX_DURATION:
        return None, True
    return value, False


def unix_time(value):
    """Naive UTC datetime from Unix seconds (int, float or digit string), None when implausible."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        try:
            value = float(value) if value.isascii() and len(value) <= 20 else None
        except ValueError:
            return None
    if not isinstance(value, int | float) or value != value or not MIN_TIME <= value <= MAX_TIME:
        return None
    return datetime.fromtimestamp(int(value), UTC).replace(tzinfo=None)


def as_dict(value):
    return value if isinstance(value, dict) else {}


def as_list(value):
    return value if isinstance(value, list) else []


# ----------------------------------------------------------------------------- outbound side


def http_call(session, method, url, provider, *, timeout, **kwargs):
    """One request through ``session`` (or requests); network trouble becomes a ProviderError.

    The exception's own text is never shown or logged: a Telegram URL carries the bot token.
    """
    try:
        return (session or requests).request(method, url, timeout=timeout, **kwargs)
    except requests.Timeout as err:
        raise ProviderError(
            _("%(provider)s did not answer within %(seconds)s seconds. Try again in a moment."),
            "timeout",
            provider=provider,
            seconds=_seconds(timeout),
        ) from err
    except requests.ConnectionError as err:
        raise ProviderError(
            _(
                "Could not reach %(provider)s: the connection failed. Check the server's Internet "
                "access and the API address in the channel."
            ),
            "connection",
            provider=provider,
        ) from err
    except requests.RequestException as err:
        raise ProviderError(
            _("The request to %(provider)s could not be sent. Check the API address in the channel."),
            "request",
            provider=provider,
        ) from err


def _seconds(timeout):
    return int(timeout) if float(timeout).is_integer() else timeout


def response_json(response):
    """The answer's JSON object, or None when the answer is not JSON (a proxy's error page)."""
    try:
        data = response.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def api_url(conf, default):
    return (conf.api_base_url or default).rstrip("/")
