# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The Asterisk AMI bridge (channel_connectors/bridges/asterisk_ami_bridge.py) against a fake AMI
server over TCP and a fake webhook over HTTP, both on 127.0.0.1 in threads. No sleeps: every wait
is a queue or an event with a timeout.

Run: ./dev test -k test_channel_bridge_pure
"""

import contextlib
import importlib.util
import json
import logging
import queue
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .channel_pure_common import NOW, SECRET, base, conf
from .pure_lib import load_lib

asterisk = load_lib("channel_connectors", "asterisk")
generic = load_lib("channel_connectors", "generic")

BRIDGE_PATH = (
    Path(__file__).resolve().parents[1] / "channel_connectors" / "bridges" / "asterisk_ami_bridge.py"
)
AMI_SECRET = "ami-Pa55"
WAIT = 10  # seconds any single expected thing may take on a loaded machine


def load_bridge():
    name = "linear_crm_pure_asterisk_ami_bridge"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BRIDGE_PATH)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


bridge_module = load_bridge()


class FakeAmi:
    """A TCP server speaking enough AMI: banner, Login, Originate; the test pushes events."""

    def __init__(self, secret=AMI_SECRET):
        self.secret = secret
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.logins, self.actions, self.sessions = queue.Queue(), queue.Queue(), queue.Queue()
        self.originate_reply = {"Response": "Success", "Message": "Originate successfully queued"}
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _addr = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    @staticmethod
    def send(conn, fields):
        conn.sendall(("".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n").encode())

    def _serve(self, conn):
        with contextlib.suppress(OSError):
            conn.sendall(b"Asterisk Call Manager/9.0.0\r\n")
            reader = conn.makefile("rb")
            while True:
                message = bridge_module.read_message(reader)
                if message is None:
                    return
                if message.get("Action") == "Login":
                    self.logins.put(message)
                    if message.get("Secret") != self.secret:
                        self.send(
                            conn,
                            {
                                "Response": "Error",
                                "ActionID": message["ActionID"],
                                "Message": "Authentication failed",
                            },
                        )
                        conn.close()
                        return
                    self.send(
                        conn,
                        {
                            "Response": "Success",
                            "ActionID": message["ActionID"],
                            "Message": "Authentication accepted",
                        },
                    )
                    self.send(
                        conn, {"Event": "FullyBooted", "Privilege": "system,all", "Status": "Fully Booted"}
                    )
                    self.sessions.put(conn)
                elif message.get("Action") == "Originate":
                    self.actions.put(message)
                    self.send(conn, {**self.originate_reply, "ActionID": message["ActionID"]})

    def close(self):
        self.listener.close()


class FakeWebhook(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, statuses=()):
        super().__init__(("127.0.0.1", 0), WebhookHandler)
        self.posts = queue.Queue()
        self.statuses = list(statuses)  # answered in turn, then 200
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_port}/linear_crm/webhook/key"


class WebhookHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts.put((dict(self.headers), raw))
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


class Clock:
    def __init__(self, now=NOW):
        self.now = now

    def __call__(self):
        return self.now


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@contextlib.contextmanager
def running(ami_secret=AMI_SECRET, statuses=(), clock=None, **config):
    ami, webhook, records = FakeAmi(), FakeWebhook(statuses), Records()
    logger = logging.getLogger("linear.asterisk_bridge")
    logger.addHandler(records)
    level, logger.level = logger.level, logging.DEBUG
    settings = bridge_module.Config(
        ami_host="127.0.0.1",
        ami_port=ami.port,
        ami_user="linear",
        ami_secret=ami_secret,
        webhook_url=webhook.url,
        secret=SECRET,
        listen_port=0,
        backoff_min=0.01,
        backoff_max=0.05,
        action_timeout=WAIT,
        **config,
    )
    bridge = bridge_module.Bridge(settings, clock=clock or Clock()).start()
    try:
        yield bridge, ami, webhook, records
    finally:
        bridge.stop()
        ami.close()
        webhook.shutdown()
        webhook.server_close()
        logger.removeHandler(records)
        logger.level = level
        for line in records.lines:
            assert AMI_SECRET not in line and SECRET not in line, line


def post(webhook):
    headers, raw = webhook.posts.get(timeout=WAIT)
    return headers, raw, json.loads(raw)


FIRST = {"Channel": "PJSIP/trunk-00000001", "Uniqueid": "1716200100.1", "Linkedid": "1716200100.1"}
LEG = {"Channel": "PJSIP/101-00000002", "Uniqueid": "1716200100.2", "Linkedid": "1716200100.1"}


def test_bridge_posts_a_whole_incoming_call_signed():
    clock = Clock()
    with running(clock=clock) as (_bridge, ami, webhook, _records):
        conn = ami.sessions.get(timeout=WAIT)
        assert ami.logins.get(timeout=WAIT)["Username"] == "linear"
        send = ami.send
        send(
            conn,
            {
                "Event": "Newchannel",
                **FIRST,
                "ChannelStateDesc": "Ring",
                "CallerIDNum": "+79161234567",
                "Exten": "74951234567",
            },
        )
        send(conn, {"Event": "PeerStatus", "Peer": "PJSIP/101", "PeerStatus": "Reachable"})  # not followed
        send(
            conn,
            {"Event": "Newchannel", **LEG, "ChannelStateDesc": "Down", "CallerIDNum": "101", "Exten": "s"},
        )
        send(
            conn,
            {
                "Event": "Newstate",
                **LEG,
                "ChannelState": "5",
                "ChannelStateDesc": "Ringing",
                "CallerIDNum": "101",
                "ConnectedLineNum": "+79161234567",
            },
        )
        send(
            conn,
            {
                "Event": "Newstate",
                **LEG,
                "ChannelState": "6",
                "ChannelStateDesc": "Up",
                "CallerIDNum": "101",
                "ConnectedLineNum": "+79161234567",
            },
        )
        received = [post(webhook) for _ in range(4)]
        clock.now += 65  # the conversation
        send(
            conn,
            {"Event": "Hangup", **LEG, "CallerIDNum": "101", "Cause": "16", "Cause-txt": "Normal Clearing"},
        )
        send(conn, {"Event": "Hangup", **FIRST, "CallerIDNum": "+79161234567", "Exten": "h", "Cause": "16"})
        received += [post(webhook) for _ in range(2)]
    assert [body["event"] for _h, _r, body in received] == [
        "Newchannel",
        "Newchannel",
        "Newstate",
        "Newstate",
        "Hangup",
        "Hangup",
    ]
    channel = conf("asterisk")
    normalised = []
    for headers, raw, _body in received:
        generic.verify_signature(channel, headers, raw, clock.now)  # signed as the channel expects
        asterisk.verify(channel, headers, raw, {}, "", clock.now)
        for event in asterisk.split(channel, headers, raw, {}, ""):
            normalised += asterisk.parse(json.loads(json.dumps(event.payload)))
    assert received[-1][2]["call"] == {
        "caller": "+79161234567",
        "dialled": "74951234567",
        "answered_by": "101",
        "talk_seconds": 65,
    }
    calls = [(n.call_stage, n.call_status, n.extension, n.duration) for n in normalised if n.kind == "call"]
    assert calls == [
        ("start", "ringing", None, None),
        ("start", "ringing", "101", None),
        ("answer", "answered", "101", None),
        ("end", "answered", "101", 65),
    ]


def test_bridge_retries_a_failing_webhook_in_order():
    with running(statuses=[503, 500]) as (_bridge, ami, webhook, records):
        conn = ami.sessions.get(timeout=WAIT)
        ami.send(conn, {"Event": "Newchannel", **FIRST, "CallerIDNum": "+79161234567", "Exten": "1"})
        ami.send(conn, {"Event": "Hangup", **FIRST, "Cause": "17"})
        bodies = [post(webhook)[1] for _ in range(4)]
    assert bodies[0] == bodies[1] == bodies[2] and json.loads(bodies[3])["event"] == "Hangup"
    assert any("HTTP 503" in line for line in records.lines)


def test_a_webhook_refusal_is_not_retried():
    with running(statuses=[401]) as (_bridge, ami, webhook, records):
        conn = ami.sessions.get(timeout=WAIT)
        ami.send(conn, {"Event": "Newchannel", **FIRST, "CallerIDNum": "+79161234567", "Exten": "1"})
        ami.send(conn, {"Event": "Cdr", "UniqueID": "1716200100.1", "Disposition": "BUSY"})
        first, second = post(webhook)[2], post(webhook)[2]
    assert (first["event"], second["event"]) == ("Newchannel", "Cdr")
    assert any("refused Newchannel event (HTTP 401)" in line for line in records.lines)


def test_bridge_logs_in_again_when_asterisk_drops_the_connection():
    with running() as (_bridge, ami, webhook, _records):
        conn = ami.sessions.get(timeout=WAIT)
        conn.shutdown(socket.SHUT_RDWR)
        conn.close()
        again = ami.sessions.get(timeout=WAIT)
        assert ami.logins.qsize() == 2
        ami.send(again, {"Event": "Newchannel", **FIRST, "CallerIDNum": "+79161234567", "Exten": "1"})
        assert post(webhook)[2]["event"] == "Newchannel"


def test_a_refused_ami_login_is_retried_with_backoff_and_never_logged_with_its_secret():
    with running(ami_secret="wrong-secret") as (_bridge, ami, _webhook, records):
        attempts = [ami.logins.get(timeout=WAIT) for _ in range(3)]
    assert all(a["Secret"] == "wrong-secret" for a in attempts)
    assert any("refused the login of user linear" in line for line in records.lines)
    assert not any("wrong-secret" in line for line in records.lines)


def test_click_to_call_through_the_bridge_sends_ami_originate():
    with running(clock=bridge_module.time.time) as (bridge, ami, webhook, _records):
        conn = ami.sessions.get(timeout=WAIT)
        assert bridge.logged_in.wait(WAIT)
        channel = conf("asterisk", settings={"bridge_url": f"http://127.0.0.1:{bridge.http_port}"})
        # None: the call's events carry its Linkedid, the interaction is matched by number
        assert asterisk.originate_call(channel, "101", "+7 916 123-45-67") is None
        action = ami.actions.get(timeout=WAIT)
        assert action["ActionID"].startswith("linear-")
        assert (action["Channel"], action["Exten"], action["Context"], action["Async"]) == (
            "PJSIP/101",
            "+79161234567",
            "from-internal",
            "true",
        )
        # Asterisk rings the user's phone first: its channel shows the client's number as caller
        # id, yet the bridge knows it placed this call, so it is an outgoing call from 101.
        ours = {"Uniqueid": "1716200200.7", "Linkedid": "1716200200.7", "Channel": "PJSIP/101-0000000a"}
        ami.send(conn, {"Event": "Newchannel", **ours, "CallerIDNum": "+79161234567", "Exten": "s"})
        ami.send(conn, {"Event": "Hangup", **ours, "CallerIDNum": "+79161234567", "Cause": "19"})
        events = [post(webhook) for _ in range(2)]
        normalised = [asterisk.parse(body)[0] for _headers, _raw, body in events]
        assert [(n.direction, n.phone, n.extension, n.call_stage) for n in normalised] == [
            ("out", "+79161234567", "101", "start"),
            ("out", "+79161234567", "101", "end"),
        ]
        assert normalised[1].call_status == "missed"
        ami.originate_reply = {"Response": "Error", "Message": "Extension does not exist."}
        with pytest.raises(base.ProviderError) as caught:
            asterisk.originate_call(channel, "999", "79161234567")
        assert "Extension does not exist" in caught.value.user_message
        ami.actions.get(timeout=WAIT)
        wrong = conf("asterisk", secret="another", settings=channel.settings)
        with pytest.raises(base.ProviderError) as caught:
            asterisk.originate_call(wrong, "101", "79161234567")
        assert caught.value.code == "bad_credentials"
        assert ami.actions.empty()  # a refused request never reaches Asterisk


@pytest.mark.parametrize(
    "headers, body, status",
    [
        ({}, {"from": "101", "to": "79161234567"}, 401),
        ({"X-Linear-Timestamp": str(int(NOW) - 600)}, {"from": "101", "to": "79161234567"}, 401),
        (
            {"X-Linear-Timestamp": str(int(NOW)), "X-Linear-Signature": "sha256=00"},
            {"from": "101", "to": "79161234567"},
            401,
        ),
        ({"X-Linear-Timestamp": str(int(NOW))}, {"from": "101", "to": "call me"}, 400),
        ({"X-Linear-Timestamp": str(int(NOW))}, {"from": "101\r\nAction: Logoff", "to": "79161234567"}, 400),
        ({"X-Linear-Timestamp": str(int(NOW))}, ["not", "an", "object"], 400),
    ],
)
def test_originate_requests_the_bridge_refuses(headers, body, status):
    bridge = bridge_module.Bridge(
        bridge_module.Config(
            ami_host="127.0.0.1",
            ami_user="u",
            ami_secret="x",
            webhook_url="http://127.0.0.1:9",
            secret=SECRET,
        ),
        clock=Clock(),
    )
    raw = json.dumps(body).encode()
    headers = dict(headers)
    if "X-Linear-Timestamp" in headers and "X-Linear-Signature" not in headers:
        headers["X-Linear-Signature"] = generic.sign(SECRET, headers["X-Linear-Timestamp"], raw)
    answer_status, answer = bridge.check_request(headers, raw)
    assert answer_status == status and answer["ok"] is False


def test_the_command_line_wants_its_secrets_from_the_environment():
    args = bridge_module.parse_args(
        ["--ami-user", "linear", "--webhook-url", "https://crm.example.com/linear_crm/webhook/k"]
    )
    assert (args.ami_host, args.ami_port, args.listen, args.originate_channel) == (
        "127.0.0.1",
        5038,
        "127.0.0.1:8765",
        "PJSIP/{extension}",
    )
    saved = {
        name: bridge_module.os.environ.pop(name, None)
        for name in ("LINEAR_AMI_SECRET", "LINEAR_BRIDGE_SECRET")
    }
    try:
        assert (
            bridge_module.main(["--ami-user", "linear", "--webhook-url", "https://x/linear_crm/webhook/k"])
            == 2
        )
    finally:
        for name, value in saved.items():
            if value is not None:
                bridge_module.os.environ[name] = value
    assert "secret" not in repr(
        bridge_module.Config(
            ami_host="h", ami_user="u", ami_secret="secret", webhook_url="w", secret="secret"
        )
    )
