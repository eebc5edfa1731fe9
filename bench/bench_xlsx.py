# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""XLSX export of 100,000 stage history rows: our streamed export against Odoo's list export.

Run with `./dev bench bench_xlsx` (an Odoo shell on the benchmark database), or:

    ODOO=".venv/bin/python /opt/odoo/odoo-bin -c .local/odoo.conf --no-http"
    $ODOO shell -d lc_bench < bench/bench_xlsx.py

Settings: BENCH_ROWS (100000) rows of ``linear.stage.history``, BENCH_ROUNDS (2), BENCH_PORT
(8179) for the Odoo server this script starts, BENCH_CLEAN=1 to delete the generated rows at the
end.

The rows are generated once (bulk INSERT, committed, on BENCH_LEADS leads of a team named
"Bench XLSX") and kept. The script then starts a real Odoo HTTP server on the same database
(threaded, one process: the "worker") and, logged in as the administrator, downloads the same
rows with the same columns (every stored field the streamed export writes) both ways:

- Linear CRM: GET /report/xlsx/linear_crm.sales_rows_xlsx (report_xlsx, xlsxwriter in
  constant-memory mode fed by a server-side SQL cursor);
- native: POST /web/export/xlsx, what the list view's Export button sends (export_data on the
  records, then xlsxwriter in memory).

For each it prints the wall time of the request, the size of the file, the rows read back, and
the worker's memory growth: its peak resident size (VmHWM, reset through /proc/PID/clear_refs
before each request) minus its resident size before. Goals: our time at most 1/3 of the
native one, our memory growth at most 100 MB. Nothing here asserts a time.
"""

import json
import os
import re
import subprocess
import sys
import time
from io import BytesIO
from urllib.parse import quote

import openpyxl
import requests

import odoo
from odoo.tools import config

from odoo.addons.linear_crm.crm_extensions.report.sales_rows_xlsx import SCALAR_TYPES, SKIPPED_FIELDS

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
LEADS = int(os.environ.get("BENCH_LEADS", "1000"))
PORT = int(os.environ.get("BENCH_PORT", "8179"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
TEAM = "Bench XLSX"
SERVER_LOG = os.environ.get("BENCH_SERVER_LOG", "/tmp/bench_xlsx_server.log")


def ensure_rows(env):
    """The team's leads and ROWS history rows, generated once (committed, kept)."""
    team = env["crm.team"].search([("name", "=", TEAM)], limit=1)
    if not team:
        team = env["crm.team"].create({"name": TEAM})
    cr = env.cr
    cr.execute("SELECT count(*) FROM linear_stage_history WHERE team_id = %s", [team.id])
    have = cr.fetchone()[0]
    if have >= ROWS:
        return team
    stages = env["crm.stage"].search([], order="sequence, id", limit=4)
    users = env["res.users"].search([("share", "=", False)], limit=5)
    leads = env["crm.lead"].search([("team_id", "=", team.id)])
    if len(leads) < LEADS:
        Lead = env["crm.lead"].with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
        leads |= Lead.create(
            [
                {
                    "name": f"Bench XLSX {index}",
                    "type": "opportunity",
                    "team_id": team.id,
                    "user_id": users[index % len(users)].id,
                    "stage_id": stages[0].id,
                }
                for index in range(len(leads), LEADS)
            ]
        )
    env.flush_all()
    cr.execute(
        """
        INSERT INTO linear_stage_history
               (lead_id, stage_from_id, stage_to_id, user_id, date, duration_hours, team_id,
                salesperson_id, company_id, is_won, is_lost, is_restore, source, is_entry,
                is_open, left_date, hours_in_stage, moved_forward, lost_in_stage, won_later)
        SELECT leads.ids[1 + n %% array_length(leads.ids, 1)],
               stages.ids[1 + n %% 3], stages.ids[2 + n %% 3], %(uid)s,
               now() AT TIME ZONE 'UTC' - make_interval(mins => n),
               (n %% 500) / 7.0, %(team)s, users.ids[1 + n %% array_length(users.ids, 1)],
               %(company)s, n %% 10 = 0, n %% 13 = 0, FALSE, 'backfill', TRUE, FALSE,
               now() AT TIME ZONE 'UTC' - make_interval(mins => n - 30), (n %% 300) / 3.0,
               n %% 2 = 0, n %% 13 = 0, n %% 10 = 0
          FROM generate_series(%(start)s, %(stop)s) n,
               (SELECT array_agg(id ORDER BY id) AS ids FROM crm_lead WHERE team_id = %(team)s) leads,
               (SELECT %(stages)s::int[] AS ids) stages,
               (SELECT %(users)s::int[] AS ids) users
        """,
        {
            "uid": env.uid,
            "team": team.id,
            "company": env.company.id,
            "start": have + 1,
            "stop": ROWS,
            "stages": [*stages.ids, *stages.ids][:5],
            "users": users.ids,
        },
    )
    cr.commit()
    return team


def memory(pid):
    """Resident and peak resident size of the process, in MB."""
    with open(f"/proc/{pid}/status") as handle:
        status = handle.read()
    return {
        key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1)) / 1024
        for key in ("VmRSS", "VmHWM")
    }


def reset_peak(pid):
    with open(f"/proc/{pid}/clear_refs", "w") as handle:
        handle.write("5")


def start_server(db):
    odoo_bin = os.path.join(os.path.dirname(next(iter(odoo.__path__))), "odoo-bin")
    args = [
        sys.executable,
        odoo_bin,
        *(f"--{key}={value}" for key, value in server_options().items()),
        "-d",
        db,
        f"--http-port={PORT}",
        "--http-interface=127.0.0.1",
        "--workers=0",
        "--max-cron-threads=0",
        f"--db-filter=^{db}$",
        "--log-level=warn",
    ]
    log = open(SERVER_LOG, "w")  # noqa: SIM115 - the server writes it until it is stopped
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    for _attempt in range(120):
        try:
            if requests.get(f"http://127.0.0.1:{PORT}/web/health", timeout=2).ok:
                return process
        except requests.RequestException:
            pass
        time.sleep(1)
    process.kill()
    raise RuntimeError("the benchmark server did not start")


def server_options():
    """The shell's own database and paths, for the server it starts."""
    paths = config["addons_path"]
    options = {"addons-path": paths if isinstance(paths, str) else ",".join(paths)}
    for key, flag in (
        ("db_host", "db_host"),
        ("db_port", "db_port"),
        ("db_user", "db_user"),
        ("db_password", "db_password"),
        ("data_dir", "data-dir"),
    ):
        if config.get(key):
            options[flag] = config[key]
    return options


def login(session, db):
    response = session.post(
        f"http://127.0.0.1:{PORT}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": "admin", "password": "admin"}},
        timeout=60,
    )
    response.raise_for_status()
    page = session.get(f"http://127.0.0.1:{PORT}/odoo", timeout=120).text
    return re.search(r'csrf_token: "([^"]+)"', page).group(1)


def timed(pid, call):
    before = memory(pid)["VmRSS"]
    reset_peak(pid)
    start = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - start
    response.raise_for_status()
    growth = memory(pid)["VmHWM"] - before
    return elapsed, growth, response.content


def rows_in(content):
    book = openpyxl.load_workbook(BytesIO(content), read_only=True)
    return book.active.max_row - 1


def main(env):
    team = ensure_rows(env)
    env.cr.execute(
        "SELECT id FROM linear_stage_history WHERE team_id = %s ORDER BY id OFFSET %s LIMIT 1",
        [team.id, ROWS - 1],
    )
    domain = [("team_id", "=", team.id), ("id", "<=", env.cr.fetchone()[0])]  # exactly ROWS rows
    History = env["linear.stage.history"]
    # The columns the streamed export writes; the native export is asked for the same ones.
    columns = [
        name
        for name, field in History._fields.items()
        if field.store and field.type in SCALAR_TYPES and name not in SKIPPED_FIELDS
    ]
    fields = [
        {"name": name, "label": History._fields[name].string, "type": History._fields[name].type}
        for name in columns
    ]
    db = env.cr.dbname
    process = start_server(db)
    try:
        session = requests.Session()
        csrf = login(session, db)
        options = quote(json.dumps({"model": "linear.stage.history", "domain": domain}))
        ours_url = f"http://127.0.0.1:{PORT}/report/xlsx/linear_crm.sales_rows_xlsx?options={options}"
        native_data = {
            "data": json.dumps(
                {
                    "model": "linear.stage.history",
                    "fields": fields,
                    "ids": False,
                    "domain": domain,
                    "groupby": [],
                    "context": {},
                    "import_compat": False,
                }
            ),
            "csrf_token": csrf,
        }
        # Warm-up (registry, report, plans) on an empty selection.
        empty = quote(json.dumps({"model": "linear.stage.history", "domain": [("id", "<", 0)]}))
        session.get(
            f"http://127.0.0.1:{PORT}/report/xlsx/linear_crm.sales_rows_xlsx?options={empty}", timeout=600
        )
        native_url = f"http://127.0.0.1:{PORT}/web/export/xlsx"
        ways = {
            "Linear CRM streamed (report_xlsx, SQL cursor)": lambda: session.get(ours_url, timeout=3600),
            "native list export (/web/export/xlsx)": lambda: session.post(
                native_url, data=native_data, timeout=3600
            ),
        }
        # Alternated rounds: other processes on the machine slow one run or another; the best
        # run of each way is compared.
        runs = {name: [] for name in ways}
        for _round in range(ROUNDS):
            for name, call in ways.items():
                runs[name].append(timed(process.pid, call))
        print(f"XLSX export of linear.stage.history, {len(columns)} columns, team {TEAM!r}, {ROUNDS} rounds")
        print(f"{'way':46} {'best s':>7} {'runs s':>16} {'MB file':>8} {'rows':>7} {'worker +MB':>11}")
        for name, results in runs.items():
            best = min(results, key=lambda result: result[0])
            all_runs = " ".join(f"{result[0]:.1f}" for result in results)
            size = len(best[2]) / 2**20
            growth = max(result[1] for result in results)
            print(f"{name:46} {best[0]:7.2f} {all_runs:>16} {size:8.2f} {rows_in(best[2]):7d} {growth:11.1f}")
        ours, native = (min(result[0] for result in results) for results in runs.values())
        ours_growth = max(result[1] for result in next(iter(runs.values())))
        print(f"time ratio ours / native (best runs): {ours / native:.2f} (goal: at most 0.33)")
        print(f"memory growth ours (worst run): {ours_growth:.1f} MB (goal: at most 100 MB)")
    finally:
        process.terminate()
        process.wait(30)
        if os.environ.get("BENCH_CLEAN") == "1":
            env.cr.execute("DELETE FROM linear_stage_history WHERE team_id = %s", [team.id])
            env["crm.lead"].search([("team_id", "=", team.id)]).unlink()
            team.unlink()
            env.cr.commit()


if "env" in globals():  # run by ``odoo-bin shell``
    main(env)  # noqa: F821 - ``env`` is provided by ``odoo-bin shell``
