# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The webhook door and the event jobs under load, on real Odoo servers on 127.0.0.1.

Run with `./dev bench bench_webhook_ingest` (an Odoo shell on the benchmark database: it sets up a
Telegram channel, then starts and stops its own Odoo servers, wrk and nginx on loopback ports).

Parts (BENCH_PARTS, comma-separated, default all):
- ingest: one Odoo server with 2 workers; wrk against /web/health, then against the webhook with a
  new Telegram update per request, in both job shapes (one queue_job per event; one per channel),
  then /web/health again; requests/s, the ratio to /web/health, p99 latency, and loss (events
  answered 200 but not stored). CPU time of the Odoo processes per event.
- process: events stored the way the door stores them, processed by the job method in this shell
  (client lookup, new client and lead, assignment, chatter, timeline), against a bare batch
  crm.lead.create of the same leads; leads/s and the ratio. Rolled back.
- restart: a server with the queue_job runner; a burst of events posted by 8 sender threads that
  retry until answered 200 (as providers do); the server is killed (SIGKILL) mid-burst and
  started again; every acknowledged event must end processed exactly once.
- scale: two servers on the same database behind nginx, the runner on one of them; every event of
  a burst delivered 3 times across both: exactly one stored event and one interaction each.

Settings: BENCH_PORT (8390: uses the next 8 ports), BENCH_DURATION (10 s per wrk run),
BENCH_CONNECTIONS (16), BENCH_EVENTS (300, processing), BENCH_BURST (300, restart and scale),
BENCH_JOB_MODE (batch: the job shape of the restart and scale-out runs).
"""

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import psutil

from odoo.tools import config

from odoo.addons.linear_crm.channel_connectors.lib.base import RawEvent

PARTS = os.environ.get("BENCH_PARTS", "ingest,process,restart,scale").split(",")
PORT = int(os.environ.get("BENCH_PORT", "8390"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "300"))
BURST = int(os.environ.get("BENCH_BURST", "300"))
SECRET = "bench-telegram-secret"
env = globals()["env"]  # the environment `odoo-bin shell` provides
DB = env.cr.dbname
ODOO_BIN = os.environ.get("ODOO_BIN") or (
    sys.argv[0] if sys.argv[0].endswith("odoo-bin") else "/opt/odoo/odoo-bin"
)
TMP = tempfile.mkdtemp(prefix="bench_webhook_")
RUN = int(time.time())  # update ids of this run start here, so reruns never collide

LUA = """
local counter = 0
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  base = tonumber(args[1]) + tid * 100000000
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Telegram-Bot-Api-Secret-Token"] = args[2]
end
function request()
  counter = counter + 1
  local id = base + counter
  local body = string.format(
    '{"update_id":%d,"message":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private",' ..
    '"first_name":"Bench"},"from":{"id":%d,"is_bot":false,"first_name":"Bench"},"text":"hello"}}',
    id, counter, os.time(), id, id)
  return wrk.format(nil, nil, nil, body)
end
"""


def say(*args):
    print(*args, flush=True)


# ----------------------------------------------------------------------------- servers
class Server:
    """An Odoo server of its own process group on 127.0.0.1 (killed with its workers)."""

    def __init__(self, port, runner=False, workers=2):
        self.port, self.runner, self.workers = port, runner, workers
        self.proc = None

    def start(self):
        cmd = [
            sys.executable,
            ODOO_BIN,
            "-c",
            config["config"],
            "-d",
            DB,
            f"--db-filter=^{DB}$",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={self.port + 1}",
            f"--workers={self.workers}",
            "--max-cron-threads=0",
            "--log-level=warn",
            f"--logfile={TMP}/odoo-{self.port}.log",
        ]
        if self.runner:
            cmd.append("--load=base,web,queue_job")
        environ = dict(
            os.environ,
            ODOO_QUEUE_JOB_HOST="127.0.0.1",
            ODOO_QUEUE_JOB_PORT=str(self.port),
            ODOO_QUEUE_JOB_CHANNELS="root:2",
        )
        self.proc = subprocess.Popen(cmd, env=environ, start_new_session=True)
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/web/health", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.5)
        raise RuntimeError(f"Odoo on port {self.port} did not start (see {TMP}/odoo-{self.port}.log)")

    def kill(self, sig=signal.SIGKILL):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(30)

    def cpu_seconds(self):
        try:
            root = psutil.Process(self.proc.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0.0
        total = 0.0
        for proc in procs:
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total


def wrk(url, lua_args=None):
    """(requests/s, p99 ms, completed, non-2xx, errors) of one wrk run."""
    cmd = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency"]
    if lua_args:
        script = os.path.join(TMP, "telegram.lua")
        with open(script, "w") as handle:
            handle.write(LUA)
        cmd += ["-s", script, url, "--", *map(str, lua_args)]
    else:
        cmd.append(url)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    done = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return rps, p99, done, int(bad.group(1)) if bad else 0, sum(map(int, errors.groups())) if errors else 0


# ----------------------------------------------------------------------------- data
def setup_channel(name):
    Channel = env["linear.channel"].sudo()
    channel = Channel.search([("name", "=", name)], limit=1) or Channel.create(
        {"name": name, "provider": "telegram", "secret": SECRET}
    )
    env.cr.commit()
    return channel


def count_events(channel, states=None):
    env.cr.rollback()  # a fresh snapshot sees what the servers committed
    env.cr.execute(
        "SELECT count(*) FROM linear_channel_event WHERE channel_id = %s AND (%s OR state = ANY(%s))",
        [channel.id, states is None, states or []],
    )
    return env.cr.fetchone()[0]


def clear_backlog():
    """The ingestion runs queue jobs no runner serves: drop them (and their events) from this
    benchmark database, so the restart and scale-out runs measure only their own burst."""
    env.cr.rollback()
    env.cr.execute(
        "DELETE FROM queue_job WHERE state IN ('wait_dependencies', 'pending', 'enqueued', 'started')"
    )
    env.cr.execute(
        "UPDATE linear_channel_event SET state = 'ignored', error = 'benchmark leftover' WHERE state = 'new'"
    )
    env.cr.commit()


def set_mode(mode):
    env["ir.config_parameter"].sudo().set_param("linear_crm.channel_job_mode", mode)
    env.cr.commit()


def update_body(number):
    return json.dumps(
        {
            "update_id": number,
            "message": {
                "message_id": number,
                "date": int(time.time()),
                "chat": {"id": number, "type": "private", "first_name": "Burst"},
                "from": {"id": number, "is_bot": False, "first_name": "Burst", "last_name": str(number)},
                "text": "hello",
            },
        }
    ).encode()


def post(port, key, number, timeout=10):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/linear_crm/webhook/{key}",
        data=update_body(number),
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, None
    except OSError:
        return None, None


def wait_processed(channel, expected, timeout=600):
    """Wait until `expected` events of the channel are done (the runner works); returns seconds."""
    start = time.time()
    while time.time() - start < timeout:
        if count_events(channel, ["done", "ignored", "failed"]) >= expected:
            return time.time() - start
        if time.time() - start > 60:
            # a cron tick at once (it runs every 5 minutes): queue what lost its job in the crash
            env["linear.channel.event"]._linear_cron_requeue(requeue_after=0, process_after=10**6)
            env.cr.commit()
        time.sleep(2)
    return None


def effects(channel):
    env.cr.rollback()
    env.cr.execute(
        """SELECT e.state, count(*), count(DISTINCT e.event_id),
                  sum((SELECT count(*) FROM linear_interaction i WHERE i.event_id = e.id))
             FROM linear_channel_event e WHERE e.channel_id = %s GROUP BY e.state""",
        [channel.id],
    )
    return {
        state: (rows, distinct, interactions) for state, rows, distinct, interactions in env.cr.fetchall()
    }


# ----------------------------------------------------------------------------- parts
def part_ingest():
    channel = setup_channel("Bench ingest (Telegram)")
    key = channel.sudo().webhook_key
    server = Server(PORT).start()
    try:
        health_url = f"http://127.0.0.1:{PORT}/web/health"
        hook_url = f"http://127.0.0.1:{PORT}/linear_crm/webhook/{key}"
        wrk(health_url)  # warm-up of both workers
        results, offset = {}, RUN * 10**6
        for name in ("health", "event", "batch", "health2"):
            if name in ("event", "batch"):
                set_mode(name)
                before, cpu = count_events(channel), server.cpu_seconds()
                offset += 10**10
                rps, p99, done, bad, errors = wrk(hook_url, (offset, SECRET))
                time.sleep(1)
                stored = count_events(channel) - before
                cpu = server.cpu_seconds() - cpu
                ok = done - bad
                results[name] = (
                    rps,
                    p99,
                    done,
                    bad,
                    errors,
                    stored,
                    max(0, ok - stored),
                    cpu * 1000 / max(stored, 1),
                )
            else:
                cpu = server.cpu_seconds()
                results[name] = wrk(health_url)
                cpu = server.cpu_seconds() - cpu
                results[name + "_cpu_ms"] = cpu * 1000 / max(results[name][2], 1)
        health = (results["health"][0] + results["health2"][0]) / 2
        say(f"\n== Ingestion: wrk -t2 -c{CONNECTIONS} -d{DURATION}s, Odoo with 2 workers, same server ==")
        say(
            f"/web/health: {results['health'][0]:.0f} and {results['health2'][0]:.0f} req/s "
            f"(p99 {results['health'][1]:.1f} / {results['health2'][1]:.1f} ms; "
            f"{results['health_cpu_ms']:.2f} / {results['health2_cpu_ms']:.2f} CPU-ms of Odoo per request)"
        )
        for name in ("event", "batch"):
            rps, p99, done, bad, errors, stored, lost, cpu_ms = results[name]
            say(
                f"webhook, one job per {'event' if name == 'event' else 'channel'}: {rps:.0f} req/s = "
                f"{100 * rps / health:.0f} % of /web/health; p99 {p99:.1f} ms; {done} answered, "
                f"{bad} non-2xx, {errors} socket errors; {stored} stored, {lost} lost; "
                f"{cpu_ms:.2f} CPU-ms of Odoo per event"
            )
        set_mode("batch")
        return results
    finally:
        server.kill()
        clear_backlog()


def part_process():
    Event = env["linear.channel.event"].sudo()
    channel = setup_channel("Bench processing (Telegram)")
    savepoint = env.cr.savepoint()
    try:
        raws = [
            RawEvent(
                event_id=str(RUN * 10**6 + i),
                payload=json.loads(update_body(RUN * 10**6 + i)),
                kind="message",
            )
            for i in range(EVENTS)
        ]
        ids, _dups = Event._linear_store(channel, raws, {})
        events = Event.browse(ids)
        env.flush_all()
        wall, cpu = time.perf_counter(), time.process_time()
        for event in events:
            event._linear_process()
        env.flush_all()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        states = {s: len(events.filtered(lambda e, s=s: e.state == s)) for s in set(events.mapped("state"))}
        leads = env["crm.lead"].search_count([("id", "in", events.interaction_ids.lead_id.ids)])
        vals = [
            {
                "name": f"Telegram: Burst {i}",
                "contact_name": f"Burst {i}",
                "type": "lead",
                "description": "hello",
            }
            for i in range(EVENTS)
        ]
        native, native_cpu = time.perf_counter(), time.process_time()
        env["crm.lead"].create(vals)
        env.flush_all()
        native, native_cpu = time.perf_counter() - native, time.process_time() - native_cpu
    finally:
        savepoint.rollback()
        savepoint.close()
    say(f"\n== Processing {EVENTS} Telegram messages from unknown chats (new client and lead each) ==")
    say(
        f"states {states}; {leads} leads; {EVENTS / wall:.1f} events/s ({1000 * wall / EVENTS:.1f} ms, "
        f"{1000 * cpu / EVENTS:.1f} CPU-ms each)"
    )
    say(
        f"bare batch crm.lead.create of the same {EVENTS} leads: {EVENTS / native:.1f} leads/s "
        f"({1000 * native_cpu / EVENTS:.1f} CPU-ms each)"
    )
    say(
        f"ratio processing / bare batch create: {100 * native / wall:.0f} % by wall time, "
        f"{100 * native_cpu / cpu:.0f} % by CPU time (this shell's process; PostgreSQL apart)"
    )
    return EVENTS / wall, EVENTS / native, 1000 * cpu / EVENTS


def send_all(ports, key, numbers, threads=8, copies=1, on_progress=None):
    """Post every number `copies` times over the given ports, retrying until 200; returns answers."""
    queue = [n for n in numbers for _copy in range(copies)]
    random.Random(RUN).shuffle(queue)
    lock, answers, sent = threading.Lock(), [], [0]

    def worker(index):
        while True:
            with lock:
                if not queue:
                    return
                number = queue.pop()
                sent[0] += 1
                progress = sent[0]
            if on_progress:
                on_progress(progress)
            port = ports[(index + number) % len(ports)]
            while True:
                status, data = post(port, key, number)
                if status == 200:
                    with lock:
                        answers.append((number, data))
                    break
                time.sleep(0.5)  # refused, reset or 5xx: the provider delivers again later

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return answers


def part_restart():
    clear_backlog()
    set_mode(os.environ.get("BENCH_JOB_MODE", "batch"))
    channel = setup_channel(f"Bench restart {RUN} (Telegram)")
    key = channel.sudo().webhook_key
    server = Server(PORT + 2, runner=True).start()
    numbers = [RUN * 10**6 + 500000 + i for i in range(BURST)]
    killed = threading.Event()

    def crash(progress):
        if progress == BURST // 3 and not killed.is_set():
            killed.set()
            server.kill()
            say(f"killed the server (SIGKILL) after {progress} posts; restarting it")
            threading.Thread(target=server.start).start()

    try:
        start = time.time()
        answers = send_all([PORT + 2], key, numbers, on_progress=crash)
        took = wait_processed(channel, BURST)
        result = effects(channel)
    finally:
        server.kill()
    acked = {n for n, _data in answers}
    say(f"\n== Restart mid-burst: {BURST} events, server killed after a third ==")
    say(
        f"acknowledged {len(acked)} of {BURST}; all processed "
        f"{('after %.0f s' % took) if took else 'NOT within the timeout'} "
        f"({time.time() - start:.0f} s in all)"
    )
    say(f"events by state (rows, distinct ids, interactions): {result}")
    done = result.get("done", (0, 0, 0))
    exact = done[0] == done[1] == done[2] == BURST and len(result) == 1
    say(f"exactly once: {'yes' if exact else 'NO'}")
    return exact


def part_scale():
    clear_backlog()
    channel = setup_channel(f"Bench scale-out {RUN} (Telegram)")
    key = channel.sudo().webhook_key
    first, second = Server(PORT + 4, runner=True), Server(PORT + 6)
    conf = os.path.join(TMP, "nginx.conf")
    nginx_port = PORT + 8
    with open(conf, "w") as handle:
        handle.write(
            f"""worker_processes 1;
pid {TMP}/nginx.pid;
error_log {TMP}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {TMP}/nginx-body;
  proxy_temp_path {TMP}/nginx-proxy;
  upstream odoo {{ server 127.0.0.1:{PORT + 4}; server 127.0.0.1:{PORT + 6}; keepalive 16; }}
  server {{
    listen 127.0.0.1:{nginx_port};
    client_max_body_size 2m;
    location / {{
      proxy_pass http://odoo;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout;
    }}
  }}
}}
"""
        )
    nginx = None
    try:
        first.start()
        second.start()
        nginx = subprocess.Popen(
            ["nginx", "-p", TMP, "-c", conf, "-g", "daemon off;"], start_new_session=True
        )
        time.sleep(1)
        numbers = [RUN * 10**6 + 700000 + i for i in range(BURST)]
        cpu = first.cpu_seconds() + second.cpu_seconds()
        start = time.time()
        answers = send_all([nginx_port], key, numbers, threads=12, copies=3)
        ingest = time.time() - start
        took = wait_processed(channel, BURST)
        cpu = first.cpu_seconds() + second.cpu_seconds() - cpu
        result = effects(channel)
    finally:
        if nginx:
            os.killpg(nginx.pid, signal.SIGTERM)
            nginx.wait(10)
        first.kill()
        second.kill()
    new = sum(data["received"] for _n, data in answers)
    dups = sum(data["duplicates"] for _n, data in answers)
    say(f"\n== Scale-out: 2 Odoo servers (2 workers each) behind nginx, {BURST} events x 3 deliveries ==")
    say(
        f"{len(answers)} deliveries answered 200 in {ingest:.1f} s: {new} new, {dups} duplicates; "
        f"processed {('in %.0f s' % took) if took else 'NOT within the timeout'}"
    )
    say(f"events by state (rows, distinct ids, interactions): {result}")
    done = result.get("done", (0, 0, 0))
    exact = done[0] == done[1] == done[2] == BURST and len(result) == 1 and new == BURST
    say(f"exactly one effect per event: {'yes' if exact else 'NO'}")
    say(f"CPU of both Odoo servers (door + jobs), per event: {1000 * cpu / BURST:.1f} ms")
    return exact, 1000 * cpu / BURST


say(f"bench_webhook_ingest on {DB}, {psutil.cpu_count()} cores, parts {PARTS}; logs in {TMP}")
figures = {}
if "ingest" in PARTS:
    figures["ingest"] = part_ingest()
if "process" in PARTS:
    figures["process"] = part_process()
if "restart" in PARTS:
    figures["restart"] = part_restart()
if "scale" in PARTS:
    figures["scale"] = part_scale()

say("\n== Capacity (one core, 86,400 s a day) ==")
if "ingest" in figures:
    door = figures["ingest"]["batch"][7]
    say(
        f"door (verify, store, queue; one job per channel): {door:.2f} CPU-ms per event -> "
        f"{86400000 / door:,.0f} events/day/core"
    )
if "process" in figures:
    proc = figures["process"][2]
    say(
        f"processing (new client and lead): {proc:.1f} CPU-ms per event -> "
        f"{86400000 / proc:,.0f} events/day/core"
    )
if "scale" in figures:
    total = figures["scale"][1]
    say(
        f"whole path under scale-out (both servers, 3 deliveries each): {total:.1f} CPU-ms per event -> "
        f"{86400000 / total:,.0f} events/day/core"
    )
shutil.rmtree(TMP, ignore_errors=True)
