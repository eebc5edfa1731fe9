# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""A stage change with process automation against a plain native stage write, same leads.

Run with `./dev bench bench_stage_change` (an Odoo shell on the benchmark database), or:

    ODOO=".venv/bin/python /opt/odoo/odoo-bin -c .local/odoo.conf --no-http"
    $ODOO shell -d lc_bench < bench/bench_stage_change.py

Two teams get BENCH_N opportunities each (500 by default). The native team has two ordinary
stages: half of its leads are moved plainly, the other half followed by the same two activities
scheduled natively (what a person or an automation rule would do without the process), to show
what the engine itself adds. The process team is bound to a two-step process whose second step
has two on-entry planned actions (one for the salesperson, one for the least-loaded holder of a
position with three employees), two results and a norm on the working calendar. Each lead is
moved to the second stage one write at a time, as kanban drags do, and timed; everything is
rolled back at the end. Goal from the issue: the automated move costs at most 2x the native one.
Nothing asserts it.
"""

import os
import statistics
import time

from odoo import Command

from odoo.addons.linear_crm.linear_process.models.linear_process import lifecycle_context

N = int(os.environ.get("BENCH_N", "500"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))


def setup(env):
    users = env["res.users"].create(
        [{"name": f"Bench seller {i}", "login": f"bench_seller_{i}_{time.time_ns()}"} for i in range(3)]
    )
    job = env["hr.job"].create({"name": f"Bench accountant {time.time_ns()}"})
    env["hr.employee"].create([{"name": u.name, "user_id": u.id, "job_id": job.id} for u in users])
    todo = env.ref("mail.mail_activity_data_todo")
    process = env["linear.process"].create(
        {
            "name": "Bench process",
            "step_ids": [
                Command.create({"name": "Request processing", "sequence": 1}),
                Command.create(
                    {
                        "name": "Payment collection",
                        "sequence": 2,
                        "norm_duration": 2,
                        "responsible_job_id": job.id,
                        "result_ids": [
                            Command.create({"name": "Invoice paid"}),
                            Command.create({"name": "Act signed"}),
                        ],
                        "action_ids": [
                            Command.create({"name": "Check payment", "activity_type_id": todo.id}),
                            Command.create(
                                {"name": "Send act", "activity_type_id": todo.id, "assignee": "position"}
                            ),
                        ],
                    }
                ),
            ],
        }
    )
    process.with_context(**lifecycle_context()).write({"state": "approved"})  # as the architect's Approve
    process_team = env["crm.team"].create({"name": "Bench process team"})
    env["linear.process.binding"]._bind(process_team, process)
    native_team = env["crm.team"].create({"name": "Bench native team"})
    native_stages = env["crm.stage"].create(
        [
            {"name": f"Bench native {i}", "sequence": 500 + i, "team_ids": [Command.link(native_team.id)]}
            for i in (1, 2)
        ]
    )
    process_stages = process_team.linear_stage_ids
    Lead = env["crm.lead"].with_context(tracking_disable=True, mail_create_nolog=True)
    seller = users[0]
    native = Lead.create(
        [
            {
                "name": f"N{i}",
                "type": "opportunity",
                "team_id": native_team.id,
                "user_id": seller.id,
                "stage_id": native_stages[0].id,
            }
            for i in range(N)
        ]
    )
    driven = Lead.create(
        [
            {
                "name": f"P{i}",
                "type": "opportunity",
                "team_id": process_team.id,
                "user_id": seller.id,
                "stage_id": process_stages[0].id,
            }
            for i in range(N)
        ]
    )
    return native, native_stages[1], driven, process_stages[1]


def move_one_by_one(leads, stage, by_hand=None):
    """Time one write per lead; `by_hand(lead)` adds what a person would do natively after it."""
    # The normal context of a user's drag: chatter tracking on, for every team.
    leads = leads.with_context(tracking_disable=False, mail_create_nolog=False)
    timings = []
    for lead in leads:
        start = time.perf_counter()
        lead.write({"stage_id": stage.id})
        if by_hand:
            by_hand(lead)
        lead.env.flush_all()
        timings.append(time.perf_counter() - start)
    return timings


def schedule_by_hand(lead):
    """The same two activities scheduled the native way (activity_schedule), for comparison."""
    holder = lead.env["res.users"].search([("login", "=like", "bench_seller_2_%")], limit=1)
    lead.activity_schedule("mail.mail_activity_data_todo", summary="Check payment", user_id=lead.user_id.id)
    lead.activity_schedule("mail.mail_activity_data_todo", summary="Send act", user_id=holder.id)


def main(env):
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        with env.cr.savepoint(flush=False) as savepoint:
            native, native_target, driven, driven_target = setup(env)
            env.flush_all()
            profiler.runcall(move_one_by_one, driven[:100], driven_target)
            savepoint.rollback()
        profiler.print_stats("cumulative")
        return
    results = {"native": [], "native + 2 activities": [], "automated": []}
    for _round in range(ROUNDS):
        with env.cr.savepoint(flush=False) as savepoint:
            native, native_target, driven, driven_target = setup(env)
            env.flush_all()
            env.invalidate_all()
            half = len(native) // 2
            results["native"] += move_one_by_one(native[:half], native_target)
            env.invalidate_all()
            results["native + 2 activities"] += move_one_by_one(
                native[half:], native_target, schedule_by_hand
            )
            env.invalidate_all()
            results["automated"] += move_one_by_one(driven, driven_target)
            created = env["mail.activity"].search_count(
                [("res_model", "=", "crm.lead"), ("res_id", "in", driven.ids)]
            )
            savepoint.rollback()
    print(f"stage change, {N} leads x {ROUNDS} rounds, one write per lead (as kanban drags)")
    for name, values in results.items():
        values_ms = [v * 1000 for v in values]
        p95 = statistics.quantiles(values_ms, n=20)[18]
        print(
            f"  {name:22s}  mean {statistics.mean(values_ms):6.2f} ms  "
            f"p50 {statistics.median(values_ms):6.2f} ms  p95 {p95:6.2f} ms"
        )
    automated = statistics.mean(results["automated"])
    print(f"  activities created in the last round: {created} (2 per lead)")
    plain = statistics.mean(results["native"])
    print(f"  ratio automated / plain native write (mean): {automated / plain:.2f}x  (goal: at most 2x)")
    by_hand = statistics.mean(results["native + 2 activities"])
    print(f"  ratio automated / native write + the same activities by hand: {automated / by_hand:.2f}x")


main(env)  # noqa: F821 - `env` is provided by the Odoo shell
