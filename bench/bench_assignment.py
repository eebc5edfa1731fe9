# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Assignment of new leads: Linear CRM's rules against native crm.team assignment, like for like.

Run with `./dev bench bench_assignment` (an Odoo shell on the benchmark database), or:

    ODOO=".venv/bin/python /opt/odoo/odoo-bin -c .local/odoo.conf --no-http"
    BENCH_LEADS=2000 $ODOO shell -d lc_bench < bench/bench_assignment.py

Settings (environment variables): BENCH_LEADS (10000), BENCH_MEMBERS (5), BENCH_TRACKING=1 to
run both sides as in production (mail tracking, followers and their notifications; slow on the
native side, see bench/README.md), BENCH_WITH_CREATE=1 to also time whole creations with and
without our create hook, BENCH_PROFILE=1 to print a profile of both sides.

Same data and the same context on both sides: one team of BENCH_MEMBERS salespeople with
different win rates, BENCH_LEADS open leads of which 30 % come from known clients, created
unassigned in the team. Both sides decide AND write:
- native: ``crm.team._assign_and_convert_leads``, the salesperson step of
  ``_action_assign_leads`` (the "Assign Leads" button and the cron): per lead, pick a member,
  then ``convert_opportunity`` writes it;
- Linear CRM: ``linear.lead.assignment._plan`` decides for the whole batch, then one grouped
  ``write`` per chosen salesperson (as the hand-over wizard does).
By default both run with the same quiet context (``tracking_disable``, ``mail_notrack``,
``mail_create_nosubscribe``, ``mail_auto_subscribe_no_notify``). The decision alone (no write) is
printed too, for reference. Everything is rolled back at the end.
"""

import math
import os
import random
import time

from odoo.modules import module as odoo_module

LEADS = int(os.environ.get("BENCH_LEADS", "10000"))
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "5"))
TRACKING = os.environ.get("BENCH_TRACKING") == "1"
WITH_CREATE = os.environ.get("BENCH_WITH_CREATE") == "1"
PROFILE = os.environ.get("BENCH_PROFILE") == "1"

QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_auto_subscribe_no_notify": True,
    "mail_notrack": True,
}


def build_world(env, seed=7):
    rnd = random.Random(seed)
    stamp = time.time_ns()
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench Seller {i}",
                    "login": f"bench_seller_{i}_{stamp}",
                    "group_ids": [(4, env.ref("sales_team.group_sale_salesman").id)],
                }
                for i in range(MEMBERS)
            ]
        )
    )
    quota = math.ceil(LEADS / MEMBERS) + 1
    team = env["crm.team"].create({"name": "Bench Team", "member_ids": [(6, 0, users.ids)]})
    team.crm_team_member_ids.write({"assignment_max": quota * 30})
    won_stage = env["crm.stage"].search([("is_won", "=", True)], limit=1)
    Lead = env["crm.lead"].with_context(linear_skip_assignment=True, **QUIET)
    for i, user in enumerate(users):  # win rates from 10 % to 90 %
        won = 1 + (8 * i) // max(MEMBERS - 1, 1)
        common = {"user_id": user.id, "team_id": team.id, "type": "opportunity"}
        Lead.create([{**common, "name": "won", "stage_id": won_stage.id, "probability": 100}] * won)
        Lead.create([{**common, "name": "lost"}] * (10 - won)).action_set_lost()
    clients = env["res.partner"].create(
        [
            {"name": f"Bench Client {i}", "user_id": rnd.choice(users).id}
            for i in range(max(LEADS * 3 // 10, 1))
        ]
    )
    vals_list = [
        {
            "name": f"Bench lead {i}",
            "type": "opportunity",
            "team_id": team.id,
            "partner_id": clients[i % len(clients)].id if i % 10 < 3 else False,
        }
        for i in range(LEADS)
    ]
    leads = Lead.create([dict(v, user_id=False) for v in vals_list])
    env.flush_all()
    return team, leads, vals_list


def timed(fn, label=None):
    """(seconds, result); with BENCH_PROFILE=1 the labelled runs also print their profile."""
    if PROFILE and label:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        start = time.perf_counter()
        result = profiler.runcall(fn)
        elapsed = time.perf_counter() - start
        print(f"--- profile: {label}")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        return elapsed, result
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def unassign(leads):
    # linear_skip_assignment: clearing the salesperson would otherwise assign the lead again
    leads.with_context(linear_skip_assignment=True, **QUIET).write({"user_id": False, "date_open": False})
    leads.env.flush_all()
    leads.env.invalidate_all()
    left = leads.filtered("user_id")
    assert not left, f"{len(left)} leads still assigned: the native side would have nothing to do"


def main(env):
    odoo_module.current_test = True  # native assignment commits every 100 leads otherwise
    try:
        team, leads, vals_list = build_world(env(context=dict(env.context, **QUIET)))
        ctx = {} if TRACKING else QUIET
        env = env(context=dict(env.context, **ctx))
        team, leads = team.with_env(env), leads.with_env(env)
        mode = "with tracking and followers, as in production" if TRACKING else "quiet: " + ", ".join(QUIET)
        print(f"leads: {LEADS}, members: {MEMBERS}, from known clients: 30 %; context on both sides: {mode}")
        Lead = env["crm.lead"]
        Assignment = env["linear.lead.assignment"]
        requests = [{"partner_id": lead.partner_id.id, "team_id": team.id} for lead in leads]

        # --- reference: our decision alone, no write
        env.invalidate_all()
        decide_only, _ = timed(lambda: Assignment._plan([dict(r) for r in requests]))

        # --- ours: decision + grouped write
        def ours():
            decisions = Assignment._plan(requests)
            groups = {}
            for lead, decision in zip(leads, decisions, strict=True):
                groups.setdefault(decision.user_id, []).append(lead.id)
            for user_id, ids in groups.items():  # no "you were assigned" e-mails, as native assignment
                Lead.browse(ids).with_context(mail_auto_subscribe_no_notify=True).write(
                    {"user_id": user_id or False}
                )
            env.flush_all()

        env.invalidate_all()
        linear, _ = timed(ours, "linear decision + grouped write")
        linear_done = Lead.search_count([("id", "in", leads.ids), ("user_id", "!=", False)])
        unassign(leads)

        # --- native: decision + write, lead by lead (convert_opportunity)
        def native():
            # the member step of _action_assign_leads; its first step (_allocate_leads) only
            # hands leads without a team to teams, and these leads are already in the team
            team._assign_and_convert_leads(force_quota=True)
            env.flush_all()

        native_time, _ = timed(native, "native _assign_and_convert_leads")
        native_done = Lead.search_count([("id", "in", leads.ids), ("user_id", "!=", False)])

        print(f"linear decision only (no write, reference):   {decide_only:8.3f} s")
        print(f"linear decision + grouped write:             {linear:8.3f} s  ({linear_done} assigned)")
        print(f"native _assign_and_convert_leads (d+w):      {native_time:8.3f} s  ({native_done} assigned)")
        print(f"ratio native / linear, decision + write:     {native_time / linear:8.1f}x")

        if WITH_CREATE:
            env.invalidate_all()
            hooked, _ = timed(lambda: Lead.create([dict(v) for v in vals_list]) and env.flush_all())
            plain, _ = timed(
                lambda: (
                    Lead.with_context(linear_skip_assignment=True).create([dict(v) for v in vals_list])
                    and env.flush_all()
                )
            )
            print(f"create {LEADS} leads with the instant assignment hook: {hooked:8.3f} s")
            print(f"create {LEADS} leads without it (unassigned):          {plain:8.3f} s")
    finally:
        odoo_module.current_test = False
        env.cr.rollback()


if "env" in globals():  # run by ``odoo-bin shell``
    main(env)  # noqa: F821 - ``env`` is provided by ``odoo-bin shell``
