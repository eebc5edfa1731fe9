# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Assignment of new leads: Linear CRM's instant rules against native crm.team assignment.

Run (a database with linear_crm installed, e.g. the test database of ./dev test):

    .venv/bin/python bench/bench_assignment.py -c .local/odoo-test.conf -d linear_crm_test
    .venv/bin/python bench/bench_assignment.py -c .local/odoo-test.conf -d linear_crm_test \
        --leads 2000 --members 5 --with-create

Everything happens in one transaction that is rolled back: the database is left as it was.

Same data on both sides: one team of --members salespeople with different win rates, --leads new
leads of which 30 % come from known clients. Native: the leads are created unassigned in the team,
then ``crm.team._action_assign_leads`` (what the "Assign Leads" button and the cron run) hands
them out. Linear CRM: the leads are assigned while they are created; the timed part is what the
create hook adds: loading the facts once for the batch and choosing a salesperson per lead.
``--with-create`` also times the whole creation with and without the hook, and ``reassign``
times our rules on the already created leads (decision + grouped write), like for like.
"""

import argparse
import math
import random
import time

from odoo import SUPERUSER_ID, api
from odoo.modules import module as odoo_module
from odoo.modules.registry import Registry
from odoo.tools import config

QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_auto_subscribe_no_notify": True,
    "mail_notrack": True,
}


def build_world(env, members, leads, seed=7):
    rnd = random.Random(seed)
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench Seller {i}",
                    "login": f"bench_seller_{i}",
                    "group_ids": [(4, env.ref("sales_team.group_sale_salesman").id)],
                }
                for i in range(members)
            ]
        )
    )
    quota = math.ceil(leads / members) + 1
    team = env["crm.team"].create({"name": "Bench Team", "member_ids": [(6, 0, users.ids)]})
    team.crm_team_member_ids.write({"assignment_max": quota * 30})
    won_stage = env["crm.stage"].search([("is_won", "=", True)], limit=1)
    Lead = env["crm.lead"].with_context(linear_skip_assignment=True, **QUIET)
    for i, user in enumerate(users):  # win rates from 10 % to 90 %
        won = 1 + (8 * i) // max(members - 1, 1)
        common = {"user_id": user.id, "team_id": team.id, "type": "opportunity"}
        Lead.create([{**common, "name": "won", "stage_id": won_stage.id, "probability": 100}] * won)
        Lead.create([{**common, "name": "lost"}] * (10 - won)).action_set_lost()
    clients = env["res.partner"].create(
        [
            {"name": f"Bench Client {i}", "user_id": rnd.choice(users).id}
            for i in range(max(leads * 3 // 10, 1))
        ]
    )
    vals_list = [
        {
            "name": f"Bench lead {i}",
            "type": "opportunity",
            "team_id": team.id,
            "partner_id": clients[i % len(clients)].id if i % 10 < 3 else False,
        }
        for i in range(leads)
    ]
    env.flush_all()
    return team, users, vals_list


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=5)
    parser.add_argument("--with-create", action="store_true", help="also time whole creations")
    parser.add_argument(
        "--quiet", action="store_true", help="disable tracking and follower notifications on both sides"
    )
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    odoo_module.current_test = True  # native assignment commits every 100 leads otherwise
    registry = Registry(args.database)
    with registry.cursor() as cr:
        try:
            env = api.Environment(cr, SUPERUSER_ID, QUIET)
            team, _users, vals_list = build_world(env, args.members, args.leads)
            # as in production (tracking, followers) unless --quiet
            env = api.Environment(cr, SUPERUSER_ID, QUIET if args.quiet else {})
            team = team.with_env(env)
            mode = "quiet" if args.quiet else "with tracking and followers, as in production"
            print(f"leads: {args.leads}, members: {args.members}, from known clients: 30 %, {mode}")

            Lead = env["crm.lead"]
            # --- ours: the create hook's work for the whole batch
            ours_vals = [dict(v) for v in vals_list]
            env.invalidate_all()
            ours, _ = timed(lambda: Lead._assign_vals(ours_vals))
            assigned = sum(1 for v in ours_vals if v.get("user_id"))
            print(f"linear instant assignment (decide at creation): {ours:8.3f} s  ({assigned} assigned)")

            if args.with_create:
                env.invalidate_all()
                with_hook, hooked = timed(lambda: Lead.create([dict(v) for v in vals_list]))
                env.flush_all()
                without, plain = timed(
                    lambda: Lead.with_context(linear_skip_assignment=True).create(
                        [dict(v, user_id=False) for v in vals_list]
                    )
                )
                env.flush_all()
                (hooked | plain).unlink()  # keep the native run below on its own leads only
                env.flush_all()
                print(f"create {args.leads} leads with the hook:    {with_hook:8.3f} s")
                print(f"create {args.leads} leads without the hook: {without:8.3f} s")

            # --- native: the same leads created unassigned, then crm.team assignment
            leads = Lead.with_context(linear_skip_assignment=True).create(
                [dict(v, user_id=False) for v in vals_list]
            )
            env.flush_all()
            env.invalidate_all()
            native, _ = timed(lambda: team._action_assign_leads(force_quota=True, creation_delta_days=0))
            env.flush_all()
            done = Lead.search_count([("id", "in", leads.ids), ("user_id", "!=", False)])
            print(f"native crm.team._action_assign_leads:          {native:8.3f} s  ({done} assigned)")

            # --- ours on the same existing leads: decision + grouped write
            leads.with_context(**QUIET).write({"user_id": False, "date_open": False})
            env.flush_all()
            env.invalidate_all()

            def reassign():
                Assignment = env["linear.lead.assignment"]
                requests = [{"partner_id": lead.partner_id.id, "team_id": team.id} for lead in leads]
                decisions = Assignment._plan(requests)
                groups = {}
                for lead, decision in zip(leads, decisions, strict=True):
                    groups.setdefault(decision.user_id, []).append(lead.id)
                for user_id, ids in groups.items():  # as the hand-over wizard writes a big batch
                    Lead.browse(ids).with_context(mail_auto_subscribe_no_notify=True).write(
                        {"user_id": user_id or False}
                    )
                env.flush_all()

            rewrite, _ = timed(reassign)
            print(f"linear rules on existing leads (decide+write): {rewrite:8.3f} s")
            print(f"ratio native / linear instant: {native / ours:8.1f}x (goal >= 100x)")
            print(f"ratio native / linear on existing leads: {native / rewrite:6.1f}x")
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
