#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Asterisk AMI → Linear CRM bridge: a small standalone daemon (Python 3.10+, stdlib + requests).

It logs in to the Asterisk Manager Interface, follows Newchannel, Newstate, Hangup and Cdr, and
posts each one, signed, to the channel's webhook URL:

    POST <webhook>  {"event": "...", "fields": {AMI fields}, "call": {...}}
    X-Linear-Timestamp: <unix seconds>
    X-Linear-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>

``call`` rides on the call's last Hangup: what the bridge saw of the whole call (first channel's
caller and dialled number, the extension that answered, talk seconds). It also listens on a
loopback HTTP port for signed click-to-call requests from Odoo (``POST /originate`` with
``{"from": "<extension>", "to": "<number>"}``, same signature) and sends AMI Originate.

Secrets come from the environment (LINEAR_AMI_SECRET, LINEAR_BRIDGE_SECRET) or files, never
from the command line (other users see it in ps), and are never logged. The AMI connection is
re-opened with exponential backoff; a webhook that fails is retried (newly signed) until it
answers, in order.

    LINEAR_AMI_SECRET=... LINEAR_BRIDGE_SECRET=... python3 asterisk_ami_bridge.py \\
        --ami-host 127.0.0.1 --ami-user linear \\
        --webhook-url https://crm.example.com/linear_crm/webhook/<key> --listen 127.0.0.1:8765
"""

import argparse
import contextlib
import hashlib
import hmac
import itertools
import json
import logging
import os
import queue
import re
import signal
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

_logger = logging.getLogger("linear.asterisk_bridge")

FOLLOWED = ("Newchannel", "Newstate", "Hangup", "Cdr")
TIMESTAMP_WINDOW = 300
MAX_REQUEST = 64 * 1024
ORIGINATE_MEMORY = 120  # seconds a placed click-to-call waits for its first channel
MAX_CALLS = 10000  # calls followed at once; the oldest is forgotten beyond (a lost Hangup)
EXTENSION = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
NUMBER = re.compile(r"^\+?[0-9]{3,20}$")


def sign(secret, timestamp, raw):
    """The generic channel signature (channel_connectors/lib/generic.py), written again here so
    the bridge runs without Odoo."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + raw, hashlib.sha256).hexdigest()


@dataclass
class Config:
    ami_host: str
    ami_user: str
    ami_secret: str
    webhook_url: str
    secret: str
    ami_port: int = 5038
    listen_host: str = "127.0.0.1"
    listen_port: int = 8765
    originate_channel: str = "PJSIP/{extension}"
    originate_context: str = "from-internal"
    originate_timeout: int = 30  # seconds the extension rings
    action_timeout: float = 10.0  # seconds to wait for AMI's answer to an action
    webhook_timeout: float = 10.0
    backoff_min: float = 1.0
    backoff_max: float = 60.0
    connect_timeout: float = 10.0

    def __repr__(self):  # never print the secrets
        ami = f"{self.ami_user}@{self.ami_host}:{self.ami_port}"
        return f"Config(ami={ami}, listen={self.listen_host}:{self.listen_port})"


class AmiError(Exception):
    pass


class AmiLoginError(AmiError):
    pass


class CallTracker:
    """What the bridge remembers of each call (by Linkedid) until its first channel hangs up."""

    def __init__(self, clock):
        self.clock = clock
        self.calls = {}

    def observe(self, event, fields, originated=None):
        """The call summary when ``event`` ends the call, else None. ``originated``: (extension,
        number) when this Newchannel is the user's phone of a click-to-call the bridge placed."""
        unique = fields.get("Uniqueid")
        linked = fields.get("Linkedid") or unique
        if not unique:
            return None
        first = unique == linked
        if event == "Newchannel" and first:
            if len(self.calls) >= MAX_CALLS:
                self.calls.pop(next(iter(self.calls)))
            if originated:
                self.calls[linked] = {"caller": originated[0], "dialled": originated[1], "originated": True}
            else:
                self.calls[linked] = {"caller": fields.get("CallerIDNum"), "dialled": fields.get("Exten")}
        elif event == "Newstate" and not first and fields.get("ChannelStateDesc") == "Up":
            call = self.calls.get(linked)
            if call is not None and "answered_at" not in call:
                call["answered_by"] = fields.get("CallerIDNum")
                call["answered_at"] = self.clock()
        elif event == "Hangup" and first:
            call = self.calls.pop(linked, None)
            if call is None:
                return {}
            answered_at = call.pop("answered_at", None)
            call["talk_seconds"] = max(0, int(self.clock() - answered_at)) if answered_at is not None else 0
            return call
        return None


class Bridge:
    def __init__(self, config, clock=time.time, session=None):
        self.config = config
        self.clock = clock
        self.session = session or requests.Session()
        self.tracker = CallTracker(clock)
        self.outbox = queue.Queue(maxsize=100000)
        self.stopping = threading.Event()
        self.logged_in = threading.Event()
        self._sock = None
        self._write_lock = threading.Lock()
        self._pending = {}
        self._originates = {}  # dial string -> (extension, number, when): our own click-to-calls
        self._ids = itertools.count(1)
        self._threads = []
        self.http = None

    # ------------------------------------------------------------------ life cycle
    def start(self):
        self.http = ThreadingHTTPServer((self.config.listen_host, self.config.listen_port), OriginateHandler)
        self.http.daemon_threads = True
        self.http.bridge = self
        for target, name in (
            (self._ami_loop, "ami"),
            (self._post_loop, "webhook"),
            (self.http.serve_forever, "http"),
        ):
            thread = threading.Thread(target=target, name=f"linear-bridge-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        _logger.info(
            "Bridge started: AMI %s@%s:%s, originate requests on http://%s:%s/originate",
            self.config.ami_user,
            self.config.ami_host,
            self.config.ami_port,
            *self.http.server_address[:2],
        )
        return self

    def stop(self):
        self.stopping.set()
        self._close_socket()
        if self.http is not None:
            self.http.shutdown()
            self.http.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        left = self.outbox.qsize()
        if left:
            _logger.warning("Bridge stopped with %s events not yet delivered to the webhook", left)

    @property
    def http_port(self):
        return self.http.server_address[1]

    # ------------------------------------------------------------------ AMI
    def _ami_loop(self):
        delay = self.config.backoff_min
        while not self.stopping.is_set():
            try:
                self._ami_session()
                delay = self.config.backoff_min  # it had logged in: start the backoff again
            except AmiLoginError:
                _logger.error(
                    "AMI refused the login of user %s: check the user and its secret", self.config.ami_user
                )
            except (OSError, AmiError) as error:
                if not self.stopping.is_set():
                    _logger.warning(
                        "AMI connection to %s:%s lost (%s)", self.config.ami_host, self.config.ami_port, error
                    )
            finally:
                self.logged_in.clear()
                self._close_socket()
                self._fail_pending("The connection to Asterisk was lost.")
            if self.stopping.wait(delay):
                break
            delay = min(delay * 2, self.config.backoff_max)

    def _ami_session(self):
        sock = socket.create_connection(
            (self.config.ami_host, self.config.ami_port), self.config.connect_timeout
        )
        sock.settimeout(None)
        self._sock = sock
        reader = sock.makefile("rb")
        banner = reader.readline()
        if not banner:
            raise AmiError("closed before its banner")
        login_id = f"linear-login-{next(self._ids)}"
        self._write(
            {
                "Action": "Login",
                "Username": self.config.ami_user,
                "Secret": self.config.ami_secret,
                "Events": "call,cdr",
                "ActionID": login_id,
            }
        )
        while True:
            message = read_message(reader)
            if message is None:
                raise AmiError("closed during login")
            if message.get("ActionID") == login_id:
                if message.get("Response") != "Success":
                    raise AmiLoginError()
                break
        self.logged_in.set()
        _logger.info("Logged in to AMI at %s:%s", self.config.ami_host, self.config.ami_port)
        while True:
            message = read_message(reader)
            if message is None:
                raise AmiError("closed by Asterisk")
            if "Event" in message:
                self._on_event(message)
            elif message.get("ActionID") in self._pending:
                self._pending.pop(message["ActionID"]).put(message)

    def _write(self, fields):
        data = "".join(f"{key}: {value}\r\n" for key, value in fields.items()) + "\r\n"
        with self._write_lock:
            if self._sock is None:
                raise AmiError("not connected")
            self._sock.sendall(data.encode())

    def _close_socket(self):
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _fail_pending(self, reason):
        for action_id in list(self._pending):
            waiter = self._pending.pop(action_id, None)
            if waiter is not None:
                waiter.put({"Response": "Error", "Message": reason})

    def _on_event(self, message):
        event = message.get("Event")
        if event not in FOLLOWED:
            return
        body = {"event": event, "fields": message}
        originated = self._originated_by_us(message) if event == "Newchannel" else None
        summary = self.tracker.observe(event, message, originated)
        if summary is not None:
            body["call"] = summary
        elif originated:  # the caller is the user, not the number their phone shows
            body["call"] = {"caller": originated[0], "dialled": originated[1], "originated": True}
        try:
            self.outbox.put_nowait(body)
        except queue.Full:
            _logger.error(
                "Webhook outbox full: AMI event %s of call %s dropped", event, message.get("Linkedid")
            )

    def originate(self, extension, number):
        """AMI Originate: ring ``extension``, then dial ``number``; the action id, or AmiError."""
        if not self.logged_in.is_set():
            raise AmiError("The bridge is not connected to Asterisk.")
        action_id = f"linear-{next(self._ids)}"
        waiter = queue.Queue(maxsize=1)
        self._pending[action_id] = waiter
        try:
            self._write(
                {
                    "Action": "Originate",
                    "Channel": self.config.originate_channel.format(extension=extension),
                    "Context": self.config.originate_context,
                    "Exten": number,
                    "Priority": "1",
                    "CallerID": number,
                    "Timeout": str(self.config.originate_timeout * 1000),
                    "Async": "true",
                    "ActionID": action_id,
                }
            )
            answer = waiter.get(timeout=self.config.action_timeout)
        except queue.Empty:
            raise AmiError("Asterisk did not answer the Originate action in time.") from None
        finally:
            self._pending.pop(action_id, None)
        if answer.get("Response") != "Success":
            raise AmiError(answer.get("Message") or "Asterisk refused the Originate action.")
        _logger.info("Originate %s: extension %s", action_id, extension)
        channel = self.config.originate_channel.format(extension=extension)
        self._originates[channel] = (extension, number, self.clock())
        return action_id

    def _originated_by_us(self, fields):
        """(extension, number) when this new channel is the user's phone of a recent Originate:
        Asterisk names it after the dial string ("PJSIP/101-0000002a")."""
        if fields.get("Uniqueid") != (fields.get("Linkedid") or fields.get("Uniqueid")):
            return None
        name = fields.get("Channel") or ""
        for channel, (extension, number, at) in list(self._originates.items()):
            if self.clock() - at > ORIGINATE_MEMORY:
                self._originates.pop(channel, None)
            elif name.startswith(channel + "-"):
                self._originates.pop(channel, None)
                return extension, number
        return None

    # ------------------------------------------------------------------ webhook
    def _post_loop(self):
        while not self.stopping.is_set():
            try:
                body = self.outbox.get(timeout=0.5)
            except queue.Empty:
                continue
            self._deliver(body)

    def _deliver(self, body):
        """POST one event until the webhook takes it (2xx) or refuses it for good (4xx)."""
        raw = json.dumps(body, separators=(",", ":")).encode()
        delay = self.config.backoff_min
        while not self.stopping.is_set():
            timestamp = str(int(self.clock()))  # signed again each try: the window is 5 minutes
            headers = {
                "Content-Type": "application/json",
                "X-Linear-Timestamp": timestamp,
                "X-Linear-Signature": sign(self.config.secret, timestamp, raw),
            }
            try:
                response = self.session.post(
                    self.config.webhook_url, data=raw, headers=headers, timeout=self.config.webhook_timeout
                )
                status = response.status_code
            except requests.RequestException as error:
                status = None
                _logger.warning("Webhook unreachable (%s); retrying in %.0f s", type(error).__name__, delay)
            if status is not None and 200 <= status < 300:
                return True
            if status is not None and 400 <= status < 500 and status not in (408, 429):
                _logger.warning("Webhook refused %s event (HTTP %s): dropped", body.get("event"), status)
                return False
            if status is not None:
                _logger.warning("Webhook answered HTTP %s; retrying in %.0f s", status, delay)
            if self.stopping.wait(delay):
                break
            delay = min(delay * 2, self.config.backoff_max)
        with contextlib.suppress(queue.Full):
            self.outbox.put_nowait(body)  # stopping: keep it counted as undelivered
        return False

    # ------------------------------------------------------------------ originate requests
    def check_request(self, headers, raw):
        """(status, answer) of a click-to-call request from Odoo."""
        timestamp = (headers.get("X-Linear-Timestamp") or "").strip()
        signature = (headers.get("X-Linear-Signature") or "").strip()
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12) or not signature:
            return 401, {"ok": False, "error": "missing_signature", "message": "The request is not signed."}
        expected = sign(self.config.secret, timestamp, raw)
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "surrogatepass")):
            return 401, {"ok": False, "error": "bad_signature", "message": "The signature does not match."}
        if abs(self.clock() - int(timestamp)) > TIMESTAMP_WINDOW:
            return 401, {"ok": False, "error": "stale_timestamp", "message": "The timestamp is too old."}
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return 400, {"ok": False, "error": "malformed_json", "message": "The body is not JSON."}
        extension = data.get("from") if isinstance(data, dict) else None
        number = data.get("to") if isinstance(data, dict) else None
        if not isinstance(extension, str) or not EXTENSION.match(extension):
            return 400, {"ok": False, "error": "bad_extension", "message": "'from' must be an extension."}
        if not isinstance(number, str) or not NUMBER.match(number):
            return 400, {"ok": False, "error": "bad_number", "message": "'to' must be a phone number."}
        try:
            action_id = self.originate(extension, number)
        except AmiError as error:
            return 502, {"ok": False, "error": "ami_error", "message": str(error)}
        return 200, {"ok": True, "action_id": action_id}


class OriginateHandler(BaseHTTPRequestHandler):
    server_version = "LinearAsteriskBridge"

    def do_POST(self):
        if self.path != "/originate":
            return self._answer(404, {"ok": False, "error": "not_found"})
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_REQUEST:
            return self._answer(413, {"ok": False, "error": "too_large"})
        raw = self.rfile.read(length)
        status, answer = self.server.bridge.check_request(self.headers, raw)
        return self._answer(status, answer)

    def do_GET(self):
        if self.path != "/health":
            return self._answer(404, {"ok": False, "error": "not_found"})
        return self._answer(200, {"ok": True, "ami": self.server.bridge.logged_in.is_set()})

    def _answer(self, status, answer):
        body = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):  # the request line only, at debug level
        _logger.debug("HTTP %s", fmt % args)


def read_message(reader):
    """One AMI message (``Key: Value`` lines up to a blank line) as a dict; None at EOF."""
    message = {}
    while True:
        line = reader.readline()
        if not line:
            return None
        line = line.decode("utf-8", "replace").rstrip("\r\n")
        if not line:
            if message:
                return message
            continue
        key, _sep, value = line.partition(":")
        message[key.strip()] = value.strip()


def _secret(env_name, file_path):
    if file_path:
        with open(file_path, encoding="utf-8") as handle:
            return handle.read().strip()
    return os.environ.get(env_name, "")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Asterisk AMI to Linear CRM webhook bridge")
    parser.add_argument("--ami-host", default="127.0.0.1")
    parser.add_argument("--ami-port", type=int, default=5038)
    parser.add_argument(
        "--ami-user", required=True, help="manager.conf user with read=call,cdr and write=originate"
    )
    parser.add_argument("--ami-secret-file", help="file holding the AMI secret (default: $LINEAR_AMI_SECRET)")
    parser.add_argument("--webhook-url", required=True, help="the channel's webhook URL shown in Odoo")
    parser.add_argument(
        "--secret-file", help="file holding the channel's secret (default: $LINEAR_BRIDGE_SECRET)"
    )
    parser.add_argument("--listen", default="127.0.0.1:8765", help="host:port for click-to-call requests")
    parser.add_argument(
        "--originate-channel", default="PJSIP/{extension}", help="dial string of a user's phone"
    )
    parser.add_argument(
        "--originate-context", default="from-internal", help="dialplan context for the number"
    )
    parser.add_argument("--log-level", default="INFO")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    host, _sep, port = args.listen.rpartition(":")
    config = Config(
        ami_host=args.ami_host,
        ami_port=args.ami_port,
        ami_user=args.ami_user,
        ami_secret=_secret("LINEAR_AMI_SECRET", args.ami_secret_file),
        webhook_url=args.webhook_url,
        secret=_secret("LINEAR_BRIDGE_SECRET", args.secret_file),
        listen_host=host or "127.0.0.1",
        listen_port=int(port),
        originate_channel=args.originate_channel,
        originate_context=args.originate_context,
    )
    if not config.ami_secret or not config.secret:
        _logger.error("Set LINEAR_AMI_SECRET and LINEAR_BRIDGE_SECRET (or --ami-secret-file / --secret-file)")
        return 2
    if config.listen_host not in ("127.0.0.1", "::1", "localhost"):
        _logger.warning("Listening on %s: keep the originate port behind a firewall", config.listen_host)
    bridge = Bridge(config).start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        while not done.wait(1):
            pass
    except KeyboardInterrupt:
        _logger.info("Interrupted: stopping")
    bridge.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
