# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The funnel report against a native read_group of leads by stage, and the stage history's cost
inside a stage change, on 100,000 leads and 1,000,000 stage moves.

Run with `./dev bench bench_funnel` (an Odoo shell on the benchmark database), or:

    ODOO=".venv/bin/python /opt/odoo/odoo-bin -c .local/odoo.conf --no-http"
    $ODOO shell -d lc_bench < bench/bench_funnel.py

BENCH_LEADS (100000) leads of one team and BENCH_MOVES (10) history rows per lead are generated
with SQL (the ORM would take an hour): each lead walks its pipeline of six stages to a depth of
1 to 6, then goes back and forth between its last two stages; leads of depth 6 are won, one in
seven of the others lost. Then, as the sales administrator:

- `linear.sales.analytics.funnel()` over a year and over one month, against
  `crm.lead._read_group([team], ['stage_id'], ['__count', 'expected_revenue:sum'])`, the native
  figure of the pipeline (median of BENCH_ROUNDS runs, goal from the issue: at most 3x);
- BENCH_WRITES single-lead stage changes with the history against the same changes with the
  history hook switched off and against a plain write of another field.

Everything is rolled back at the end. Nothing asserts a time.
"""

import datetime
import os
import statistics
import time
from unittest.mock import patch

from odoo import Command, fields
from odoo.tools import SQL

LEADS = int(os.environ.get("BENCH_LEADS", "100000"))
MOVES = int(os.environ.get("BENCH_MOVES", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
WRITES = int(os.environ.get("BENCH_WRITES", "300"))


def timed(function, rounds=ROUNDS):
    durations = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        durations.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(durations)


def generate(env):
    admin = env.ref("base.user_admin")
    team = env["crm.team"].create({"name": f"Bench funnel team {time.time_ns()}", "user_id": admin.id})
    stages = env["crm.stage"].create(
        [
            {
                "name": f"Bench funnel {i}",
                "sequence": 900 + i,
                "is_won": i == 6,
                "team_ids": [Command.link(team.id)],
            }
            for i in range(1, 7)
        ]
    )
    env.flush_all()
    cr = env.cr
    start = time.perf_counter()
    cr.execute(
        SQL(
            """
            INSERT INTO crm_lead (name, type, team_id, user_id, stage_id, company_id, active, probability,
                                  won_status, expected_revenue, create_date, write_date, create_uid,
                                  write_uid, date_last_stage_update, priority)
            SELECT 'Bench funnel lead ' || i, 'opportunity', %(team)s, %(user)s,
                   (%(stages)s)[1 + i %% 6], %(company)s, NOT (i %% 6 <> 5 AND i %% 7 = 0),
                   CASE WHEN i %% 6 = 5 THEN 100 WHEN i %% 7 = 0 THEN 0 ELSE 30 END,
                   CASE WHEN i %% 6 = 5 THEN 'won' WHEN i %% 7 = 0 THEN 'lost' ELSE 'pending' END,
                   1000 + i %% 5000, %(year_ago)s + (i %% 365) * INTERVAL '1 day',
                   %(now)s, %(user)s, %(user)s, %(now)s, '0'
              FROM generate_series(1, %(leads)s) AS i
            """,
            team=team.id,
            user=admin.id,
            stages=stages.ids,
            company=env.company.id,
            year_ago=fields.Datetime.now() - datetime.timedelta(days=400),
            now=fields.Datetime.now(),
            leads=LEADS,
        )
    )
    cr.execute(SQL("SELECT MIN(id) FROM crm_lead WHERE team_id = %s", team.id))
    first_id = cr.fetchone()[0]
    # position of move k (1-based) for a lead of depth d: stages 1..d, then back and forth
    position = "GREATEST(1, CASE WHEN {k} <= d THEN {k} ELSE d - (({k} - d) %% 2) END)"
    cr.execute(
        SQL(
            f"""
            WITH walk AS (
                SELECT l.id AS lead_id, l.create_date, l.won_status, 1 + (l.id - %(first)s + 1) %% 6 AS d, k
                  FROM crm_lead l CROSS JOIN generate_series(1, %(moves)s) AS k
                 WHERE l.team_id = %(team)s
            ), moves AS (
                SELECT w.*, {position.format(k="k")} AS pos, {position.format(k="(k + 1)")} AS next_pos,
                       CASE WHEN k = 1 THEN NULL ELSE {position.format(k="(k - 1)")} END AS prev_pos,
                       {position.format(k="%(moves)s")} AS last_pos
                  FROM walk w
            )
            INSERT INTO linear_stage_history (
                lead_id, stage_from_id, stage_to_id, user_id, date, duration_hours, team_id,
                salesperson_id, company_id, is_won, is_lost, is_restore, source, is_entry, is_open,
                left_date, hours_in_stage, moved_forward, lost_in_stage, won_later, is_first_entry,
                create_uid, create_date, write_uid, write_date)
            SELECT m.lead_id, (%(stages)s)[m.prev_pos], (%(stages)s)[m.pos], %(user)s,
                   m.create_date + (m.k - 1) * INTERVAL '20 hours',
                   CASE WHEN m.k = 1 THEN 0 ELSE 20 END, %(team)s, %(user)s, %(company)s,
                   m.pos = 6 AND m.prev_pos <> 6, FALSE, FALSE, 'backfill', TRUE, m.k = %(moves)s,
                   CASE WHEN m.k < %(moves)s THEN m.create_date + m.k * INTERVAL '20 hours' END,
                   CASE WHEN m.k < %(moves)s THEN 20 ELSE 0 END,
                   m.k < %(moves)s AND m.next_pos > m.pos,
                   (m.k = %(moves)s OR (m.k <= m.d AND m.pos = m.last_pos)) AND m.won_status = 'lost',
                   m.d = 6, m.k <= m.d,
                   %(user)s, %(now)s, %(user)s, %(now)s
              FROM moves m
            """,
            first=first_id,
            moves=MOVES,
            team=team.id,
            stages=stages.ids,
            user=admin.id,
            company=env.company.id,
            now=fields.Datetime.now(),
        )
    )
    cr.execute("ANALYZE crm_lead")
    cr.execute("ANALYZE linear_stage_history")
    env.invalidate_all()
    print(f"generated {LEADS} leads and {LEADS * MOVES} stage moves in {time.perf_counter() - start:.1f} s")
    return team, stages


def bench_reports(env, team):
    admin = env.ref("base.user_admin")
    Analytics = env["linear.sales.analytics"].with_user(admin)
    Lead = env["crm.lead"].with_user(admin)
    today = fields.Date.today()
    year = {"date_from": fields.Date.to_string(today - datetime.timedelta(days=400)),
            "date_to": fields.Date.to_string(today), "team_id": team.id}  # fmt: skip
    # a month in the middle of the generated year (leads were created 400 to 36 days ago)
    month = dict(
        year,
        date_from=fields.Date.to_string(today - datetime.timedelta(days=230)),
        date_to=fields.Date.to_string(today - datetime.timedelta(days=200)),
    )
    print("funnel, month: leads at the top", Analytics.funnel(month)["totals"]["leads"])
    result = Analytics.funnel(year)
    print(
        "funnel, year:", [(row["name"][-1], row["entered"], row["forward"]) for row in result["stages"][-6:]]
    )
    native = timed(
        lambda: Lead._read_group(
            [("team_id", "=", team.id)], ["stage_id"], ["__count", "expected_revenue:sum"]
        )
    )
    funnel_year = timed(lambda: Analytics.funnel(year))
    funnel_month = timed(lambda: Analytics.funnel(month))
    print(f"native _read_group of leads by stage: {native:8.1f} ms")
    print(f"funnel(), one year:                   {funnel_year:8.1f} ms  ({funnel_year / native:.1f}x)")
    print(f"funnel(), one month:                  {funnel_month:8.1f} ms  ({funnel_month / native:.1f}x)")
    for name in ("managers", "channels", "forecast"):
        print(f"{name}(), one year: {timed(lambda name=name: getattr(Analytics, name)(year), 3):8.1f} ms")


def bench_writes(env, team, stages):
    admin = env.ref("base.user_admin")
    Lead = env["crm.lead"].with_user(admin).with_context(tracking_disable=True)
    leads = Lead.search(
        [("team_id", "=", team.id), ("stage_id", "in", stages[:5].ids), ("active", "=", True)],
        limit=3 * WRITES,
    )
    groups = [leads[i::3] for i in range(3)]
    nxt = {stage.id: stages[(i + 1) % 5].id for i, stage in enumerate(stages[:5])}

    def move(records):
        start = time.perf_counter()
        for lead in records:
            lead.write({"stage_id": nxt[lead.stage_id.id]})
            lead.env.flush_all()
        return (time.perf_counter() - start) * 1000.0 / len(records)

    def plain(records):
        start = time.perf_counter()
        for lead in records:
            lead.write({"priority": "1" if lead.priority == "0" else "0"})
            lead.env.flush_all()
        return (time.perf_counter() - start) * 1000.0 / len(records)

    with_history = move(groups[0])
    Model = type(env["crm.lead"])
    with patch.object(Model, "_linear_history_record", lambda self, snapshots, now: None):
        without_history = move(groups[1])
    plain_write = plain(groups[2])
    print(f"stage change with history:    {with_history:6.2f} ms per write")
    print(f"stage change without history: {without_history:6.2f} ms per write"
          f"  (history adds {with_history - without_history:.2f} ms)")  # fmt: skip
    print(f"plain write of another field: {plain_write:6.2f} ms per write")


team, stages = generate(env)  # noqa: F821 (the Odoo shell's env)
try:
    bench_reports(env, team)  # noqa: F821
    bench_writes(env, team, stages)  # noqa: F821
finally:
    env.cr.rollback()  # noqa: F821
