# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Outbound calls of the channel adapters (send a message, click-to-call) against a fake provider
API on 127.0.0.1: success, the provider's errors in plain words, timeouts, refused connections.

Run: ./dev test -k test_channel_outbound_pure
"""

import base64
import hashlib
import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from .channel_pure_common import NOW, SECRET, base, conf
from .pure_lib import load_lib

telegram = load_lib("channel_connectors", "telegram")
whatsapp = load_lib("channel_connectors", "whatsapp")
zadarma = load_lib("channel_connectors", "zadarma")
mango = load_lib("channel_connectors", "mango")
asterisk = load_lib("channel_connectors", "asterisk")


class FakeApi(ThreadingHTTPServer):
    """Answers every request with ``reply`` (status, JSON or bytes) and keeps what it received."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeHandler)
        self.received = []
        self.reply = (200, {})

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_port}"


class FakeHandler(BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.received.append(
            {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
        )
        status, reply = self.server.reply
        payload = reply if isinstance(reply, bytes) else json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if not isinstance(reply, bytes) else "text/html")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def api():
    server = FakeApi()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def silent_port():
    """A port that accepts connections and never answers (the kernel's backlog does the accept)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


@pytest.fixture(scope="module")
def closed_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def answer(api, status, reply):
    api.reply = (status, reply)
    api.received.clear()


def last(api):
    return api.received[-1]


def channel(provider, url, **values):
    settings = dict(conf(provider).settings)
    if provider == "asterisk":
        settings["bridge_url"] = url
        url = ""
    return conf(provider, api_base_url=url, settings=settings, **values)


def provider_error(call, *args, **kwargs):
    with pytest.raises(base.ProviderError) as caught:
        call(*args, **kwargs)
    return caught.value


# ----------------------------------------------------------------------------- Telegram


def test_telegram_send_message(api):
    answer(api, 200, {"ok": True, "result": {"message_id": 99, "chat": {"id": 55}, "date": 1}})
    assert telegram.send_message(channel("telegram", api.url), "55", "Здравствуйте!") == "55:99"
    request = last(api)
    assert (request["method"], request["path"]) == ("POST", "/bot123456:ABC-token/sendMessage")
    assert json.loads(request["body"]) == {"chat_id": "55", "text": "Здравствуйте!"}


@pytest.mark.parametrize(
    "status, reply, code, words",
    [
        (
            403,
            {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
            "blocked",
            "blocked",
        ),
        (401, {"ok": False, "error_code": 401, "description": "Unauthorized"}, "bad_token", "token"),
        (
            400,
            {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
            "chat_not_found",
            "chat",
        ),
        (
            403,
            {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot can't initiate conversation with a user",
            },
            "not_started",
            "never written",
        ),
        (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests",
                "parameters": {"retry_after": 12},
            },
            "rate_limited",
            "12 seconds",
        ),
        (502, b"<html>Bad Gateway</html>", "unavailable", "HTTP 502"),
        (
            400,
            {"ok": False, "error_code": 400, "description": "Bad Request: can't parse entities"},
            "refused",
            "parse",
        ),
    ],
)
def test_telegram_errors_in_plain_words(api, status, reply, code, words):
    answer(api, status, reply)
    error = provider_error(telegram.send_message, channel("telegram", api.url), "55", "hi")
    assert error.code == code and words in error.user_message
    assert "ABC-token" not in error.user_message


def test_telegram_checks_before_calling(api):
    answer(api, 200, {"ok": True, "result": {"message_id": 1}})
    assert (
        provider_error(telegram.send_message, channel("telegram", api.url, api_key=""), "55", "hi").code
        == "no_token"
    )
    assert (
        provider_error(telegram.send_message, channel("telegram", api.url), "55", "x" * 4097).code
        == "too_long"
    )
    assert provider_error(telegram.send_message, channel("telegram", api.url), "55", "  ").code == "empty"
    assert api.received == []


def test_an_injected_session_carries_the_request(api):
    answer(api, 200, {"ok": True, "result": {"message_id": 3, "chat": {"id": 5}}})
    session = requests.Session()
    session.headers["X-Through-Session"] = "yes"
    telegram.send_message(channel("telegram", api.url), "5", "hi", session=session)
    assert last(api)["headers"].get("X-Through-Session") == "yes"


# ----------------------------------------------------------------------------- WhatsApp


def test_whatsapp_send_message(api):
    answer(
        api,
        200,
        {
            "messaging_product": "whatsapp",
            "contacts": [{"input": "+16505551234", "wa_id": "16505551234"}],
            "messages": [{"id": "wamid.OUT1", "message_status": "accepted"}],
        },
    )
    assert whatsapp.send_message(channel("whatsapp", api.url), "+1 650 555 1234", "Hello") == "wamid.OUT1"
    request = last(api)
    assert request["path"] == "/v26.0/106540352242922/messages"
    assert request["headers"]["Authorization"] == "Bearer EAAG-token"
    body = json.loads(request["body"])
    assert (body["messaging_product"], body["to"], body["type"], body["text"]["body"]) == (
        "whatsapp",
        "16505551234",
        "text",
        "Hello",
    )


@pytest.mark.parametrize(
    "status, code, slug, words",
    [
        (400, 131047, "window_closed", "24 hours"),
        (401, 190, "bad_token", "access token"),
        (400, 131026, "undeliverable", "could not deliver"),
        (400, 100, "refused", "Invalid parameter"),
    ],
)
def test_whatsapp_errors_in_plain_words(api, status, code, slug, words):
    answer(
        api,
        status,
        {"error": {"message": "(#%s) Invalid parameter" % code, "type": "OAuthException", "code": code}},
    )
    error = provider_error(whatsapp.send_message, channel("whatsapp", api.url), "16505551234", "hi")
    assert error.code == slug and words in error.user_message
    assert "EAAG" not in error.user_message


def test_whatsapp_needs_a_number_and_settings(api):
    answer(api, 200, {})
    bare = conf("whatsapp", api_base_url=api.url, settings={})
    assert provider_error(whatsapp.send_message, bare, "16505551234", "hi").code == "not_configured"
    assert (
        provider_error(whatsapp.send_message, channel("whatsapp", api.url), "abc", "hi").code == "bad_number"
    )
    assert api.received == []


# ----------------------------------------------------------------------------- Zadarma


def test_zadarma_call_back_request_is_signed_like_the_sdk(api):
    answer(api, 200, {"status": "success", "from": 101, "to": 79161234567, "time": 1})
    assert zadarma.originate_call(channel("zadarma", api.url), "101", "+7 916 123-45-67") is None
    request = last(api)
    path, query = urlsplit(request["path"])[2:4]
    assert (request["method"], path, parse_qs(query)) == (
        "GET",
        "/v1/request/callback/",
        {"from": ["101"], "to": ["79161234567"]},
    )
    string = (
        "/v1/request/callback/"
        + "from=101&to=79161234567"
        + hashlib.md5(b"from=101&to=79161234567").hexdigest()
    )
    digest = hmac.new(SECRET.encode(), string.encode(), hashlib.sha1).hexdigest()
    assert request["headers"]["Authorization"] == f"zd-user-key:{base64.b64encode(digest.encode()).decode()}"


def test_zadarma_errors(api):
    answer(api, 200, {"status": "error", "message": "Wrong parameter 'to'"})
    error = provider_error(zadarma.originate_call, channel("zadarma", api.url), "101", "79161234567")
    assert error.code == "refused" and "Wrong parameter" in error.user_message
    answer(api, 401, {"status": "error", "message": "Not authorized"})
    assert (
        provider_error(zadarma.originate_call, channel("zadarma", api.url), "101", "79161234567").code
        == "bad_credentials"
    )


# ----------------------------------------------------------------------------- Mango Office


def test_mango_call_back_command_is_signed(api):
    answer(api, 200, {"result": 1000})
    assert mango.originate_call(channel("mango", api.url), "29", "+7 (916) 123-45-67") is None
    request = last(api)
    assert request["path"] == "/vpbx/commands/callback"
    form = {k: v[0] for k, v in parse_qs(request["body"].decode()).items()}
    assert form["vpbx_api_key"] == "1234567890qwerty"
    assert (
        form["sign"]
        == hashlib.sha256(("1234567890qwerty" + form["json"] + "salt-example").encode()).hexdigest()
    )
    command = json.loads(form["json"])
    assert command.pop("command_id") and command == {"from": {"extension": "29"}, "to_number": "79161234567"}
    assert " " not in form["json"]


def test_mango_errors(api):
    answer(api, 200, {"result": 3100})
    error = provider_error(mango.originate_call, channel("mango", api.url), "29", "79161234567")
    assert error.code == "refused" and "3100" in error.user_message
    answer(api, 401, b"Unauthorized")
    assert (
        provider_error(mango.originate_call, channel("mango", api.url), "29", "79161234567").code
        == "bad_credentials"
    )


# ----------------------------------------------------------------------------- Asterisk bridge


def test_asterisk_originate_is_a_signed_post_to_the_bridge(api):
    answer(api, 200, {"ok": True, "action_id": "linear-1"})
    assert asterisk.originate_call(channel("asterisk", api.url), "101", "+79161234567") is None
    request = last(api)
    assert request["path"] == "/originate"
    timestamp = request["headers"]["X-Linear-Timestamp"]
    digest = hmac.new(
        SECRET.encode(), timestamp.encode() + b"." + request["body"], hashlib.sha256
    ).hexdigest()
    assert request["headers"]["X-Linear-Signature"] == f"sha256={digest}"
    assert abs(int(timestamp) - NOW) < 10**9  # a real clock, checked by the bridge
    assert json.loads(request["body"]) == {"from": "101", "to": "+79161234567"}


def test_asterisk_bridge_errors(api):
    answer(api, 401, {"ok": False, "error": "bad_signature"})
    assert (
        provider_error(asterisk.originate_call, channel("asterisk", api.url), "101", "79161234567").code
        == "bad_credentials"
    )
    answer(api, 502, {"ok": False, "message": "Originate failed: extension 101 is unavailable"})
    error = provider_error(asterisk.originate_call, channel("asterisk", api.url), "101", "79161234567")
    assert "unavailable" in error.user_message


# ----------------------------------------------------------------------------- network trouble

OUTBOUND = [
    (telegram.send_message, "telegram", ("55", "hi")),
    (whatsapp.send_message, "whatsapp", ("16505551234", "hi")),
    (zadarma.originate_call, "zadarma", ("101", "79161234567")),
    (mango.originate_call, "mango", ("29", "79161234567")),
    (asterisk.originate_call, "asterisk", ("101", "79161234567")),
]


@pytest.mark.parametrize("call, provider, args", OUTBOUND)
def test_a_provider_that_never_answers_times_out_in_plain_words(silent_port, call, provider, args):
    error = provider_error(call, channel(provider, f"http://127.0.0.1:{silent_port}"), *args, timeout=0.3)
    assert error.code == "timeout" and "did not answer within 0.3 seconds" in error.user_message


@pytest.mark.parametrize("call, provider, args", OUTBOUND)
def test_a_refused_connection_is_a_plain_error(closed_port, call, provider, args):
    error = provider_error(call, channel(provider, f"http://127.0.0.1:{closed_port}"), *args, timeout=2)
    assert error.code == "connection" and "Could not reach" in error.user_message
