# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Process KPIs of the demo data, for databases installed before 19.0.1.1.0 (demo is noupdate).

* «Среднее время обработки заявки» named its step by id, so every new version of the process
  kept reading the first version's step: it now names the step by its version-stable key.
* «Выручка от продаж» summed every won lead of the company: it now sums its own pipeline's.

Only definitions still as shipped are changed; what the users edited is left alone.
"""

import ast

from odoo import SUPERUSER_ID, api

DEMO_STEP_KEY = "linear_crm_demo_order_request"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    step = env.ref("linear_crm.demo_step_order_1", raise_if_not_found=False)
    if step:
        old_key, old_ids = step.step_key, set(step.search([("step_key", "=", step.step_key)]).ids)
        if old_key != DEMO_STEP_KEY:
            # every version of the step keeps one key
            step.search([("step_key", "=", old_key)]).write({"step_key": DEMO_STEP_KEY})
        for kpi in env["linear.process.kpi"].search([("domain", "like", "step_id")]):
            if _shipped_step_domain(kpi.domain, old_ids):
                kpi.domain = repr([("step_id.step_key", "=", DEMO_STEP_KEY), ("left_at", "!=", False)])
    revenue = env.ref("linear_crm.demo_kpi_order_revenue", raise_if_not_found=False)
    team = env.ref("linear_crm.demo_team_process", raise_if_not_found=False)
    if revenue and team and _leaves(revenue.domain) == [("stage_id.is_won", "=", True)]:
        revenue.domain = repr([("stage_id.is_won", "=", True), ("team_id", "=", team.id)])


def _leaves(domain):
    try:
        return [tuple(leaf) if isinstance(leaf, list) else leaf for leaf in ast.literal_eval(domain or "[]")]
    except (ValueError, SyntaxError):
        return None


def _shipped_step_domain(domain, step_ids):
    """The shipped domain, in the demo KPI or its copies in later versions: this step by id, left."""
    leaves = _leaves(domain)
    return (
        leaves is not None
        and len(leaves) == 2
        and leaves[1] == ("left_at", "!=", False)
        and leaves[0][:2] == ("step_id", "=")
        and leaves[0][2] in step_ids
    )
