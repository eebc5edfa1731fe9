# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The cost of the visibility rules: a restricted salesperson against a sales manager, same data.

Run with `./dev bench bench_visibility` (an Odoo shell on the benchmark database), or:

    ODOO=".venv/bin/python /opt/odoo/odoo-bin -c .local/odoo.conf --no-http"
    $ODOO shell -d lc_bench < bench/bench_visibility.py

The clients and leads are bench_lookup's (BENCH_N clients, 100000 by default, as many leads,
generated once with bulk INSERTs and kept). This script then hands them out, inside the
transaction that is rolled back at the end: BENCH_SELLERS salespeople (20) of one team own the
clients round robin, each lead follows its client's salesperson (leads without a client stay
unassigned in the team) and sits in one of the pipeline stages.

Timed for the restricted salesperson ("own documents only") and for the sales manager (all
documents, no rule narrows anything), BENCH_ROUNDS times (20) each, caches cleared before each
call:
- contacts: what the Contacts kanban/list asks for, web_search_read of res.partner, limit 80,
  plus the search_count behind the pager;
- name_search on res.partner (the many2one dropdown), limit 8;
- lead kanban: web_read_group of opportunities by stage, first groups unfolded (80 cards each).
Printed: mean and p95 per call and role, and the ratio salesperson / manager (goal: at most 2x).
Nothing here asserts a time.
"""

import os
import random
import statistics
import time

from odoo.addons.linear_crm.bench import bench_lookup

SELLERS = int(os.environ.get("BENCH_SELLERS", "20"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))

PARTNER_SPEC = {
    "display_name": {},
    "email": {},
    "phone": {},
    "function": {},
    "city": {},
    "is_company": {},
    "country_id": {"fields": {"display_name": {}}},
    "parent_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
}
LEAD_CARD_SPEC = {
    "name": {},
    "expected_revenue": {},
    "priority": {},
    "partner_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
    "stage_id": {"fields": {"display_name": {}}},
}


def hand_out(env):
    """Users, a team, and owners and stages for the generated rows (rolled back by the caller)."""
    stamp = time.time_ns()
    Users = env["res.users"].with_context(no_reset_password=True)
    salesman = env.ref("sales_team.group_sale_salesman")
    sellers = Users.create(
        [
            {"name": f"Bench seller {i}", "login": f"bench_vis_{i}_{stamp}", "group_ids": [(4, salesman.id)]}
            for i in range(SELLERS)
        ]
    )
    manager = Users.create(
        {
            "name": "Bench sales manager",
            "login": f"bench_vis_manager_{stamp}",
            "group_ids": [(4, env.ref("sales_team.group_sale_manager").id)],
        }
    )
    team = env["crm.team"].create({"name": "Bench visibility team", "member_ids": [(6, 0, sellers.ids)]})
    stages = env["crm.stage"].search([("is_won", "=", False)], limit=4)
    env.flush_all()
    cr = env.cr
    mark = bench_lookup.MARK
    # Clients round robin; flags a real client has (is_client, partner_share are stored computes
    # that the bulk INSERT left empty).
    cr.execute(
        """
        UPDATE res_partner p SET user_id = (%s::int[])[1 + (p.id %% %s)],
               is_client = TRUE, partner_share = TRUE
         WHERE ref = %s
        """,
        [sellers.ids, len(sellers), mark],
    )
    cr.execute(
        """
        UPDATE crm_lead l
           SET user_id = (SELECT p.user_id FROM res_partner p WHERE p.id = l.partner_id),
               team_id = %s, type = 'opportunity', stage_id = (%s::int[])[1 + (l.id %% %s)],
               company_id = %s
         WHERE l.referred = %s
        """,
        [team.id, stages.ids, len(stages), env.company.id, mark],
    )
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE crm_lead")
    env.invalidate_all()
    return sellers[0], manager


def timed(env, fn, rounds):
    values = []
    for _i in range(rounds):
        env.invalidate_all()
        start = time.perf_counter()
        fn()
        values.append((time.perf_counter() - start) * 1000)
    return values


def p95(values):
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


def main(env):
    rng = random.Random(bench_lookup.SEED)
    bench_lookup.generate(env, rng)  # kept between runs: committed once, reused afterwards
    try:
        seller, manager = hand_out(env)
        names = [f"Bench client {rng.randrange(bench_lookup.N)}" for _i in range(ROUNDS)]

        def calls(user):
            Partner = env["res.partner"].with_user(user)
            Lead = env["crm.lead"].with_user(user)
            queue = iter(names * 2)
            return {
                "contacts: web_search_read limit 80": lambda: Partner.web_search_read(
                    [], PARTNER_SPEC, limit=80
                ),
                "contacts: search_count (pager)": lambda: Partner.search_count([]),
                "name_search res.partner": lambda: Partner.name_search(next(queue)[:-1], limit=8),
                "lead kanban: web_read_group by stage": lambda: Lead.web_read_group(
                    [("type", "=", "opportunity")],
                    ["stage_id"],
                    ["expected_revenue:sum"],
                    auto_unfold=True,
                    unfold_read_specification=LEAD_CARD_SPEC,
                ),
            }

        seen = {
            "salesperson": env["res.partner"].with_user(seller).search_count([]),
            "manager": env["res.partner"].with_user(manager).search_count([]),
        }
        leads_seen = {
            "salesperson": env["crm.lead"].with_user(seller).search_count([]),
            "manager": env["crm.lead"].with_user(manager).search_count([]),
        }
        ours, theirs = calls(seller), calls(manager)
        for fn in list(ours.values()) + list(theirs.values()):  # warm-up: plans, caches
            fn()
        env.cr.execute("SELECT count(*) FROM res_partner")
        total = env.cr.fetchone()[0]
        print(
            f"visibility, {total} partners ({bench_lookup.N} generated clients), {SELLERS} salespeople,"
            f" {ROUNDS} rounds; contacts seen: salesperson {seen['salesperson']},"
            f" manager {seen['manager']}; leads seen: salesperson {leads_seen['salesperson']},"
            f" manager {leads_seen['manager']}"
        )
        print(f"{'call':40} {'salesperson mean/p95 ms':>24} {'manager mean/p95 ms':>22} {'ratio':>7}")
        for name in ours:
            mine = timed(env, ours[name], ROUNDS)
            base = timed(env, theirs[name], ROUNDS)
            print(
                f"{name:40} {statistics.mean(mine):11.2f} {p95(mine):11.2f}"
                f" {statistics.mean(base):10.2f} {p95(base):10.2f}"
                f" {statistics.mean(mine) / statistics.mean(base):6.2f}x"
            )
        print("ratio = salesperson mean / manager mean (goal: at most 2x)")
    finally:
        env.cr.rollback()


if "env" in globals():  # run by ``odoo-bin shell``
    main(env)  # noqa: F821 - ``env`` is provided by ``odoo-bin shell``
