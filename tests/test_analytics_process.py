# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Stage history and step timing come from the one stage-move hook and agree; the process panel
of the analytics reads the same timings."""

import datetime

from odoo.tests import freeze_time, tagged

from ..crm_extensions.models.crm_lead_process import gate_override_context
from ..linear_process.lib import planning
from .test_pipeline_automation import PipelineCase

D0 = datetime.datetime(2026, 3, 2, 9, 0)  # a Monday


def at(days=0, hours=0):
    return D0 + datetime.timedelta(days=days, hours=hours)


@tagged("post_install", "-at_install")
class TestHistoryAndTiming(PipelineCase):
    def moves(self):
        s1, s2, s3 = self.stages
        ordinary = self.env["crm.stage"].create({"name": "AN Ordinary", "sequence": 99})
        won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        pipeline = self.env["crm.lead"].with_context(**gate_override_context())  # the pipeline itself moves
        with freeze_time(at()):
            lead = self._lead()
            other = self._lead(name="Other")
        lead, other = pipeline.browse(lead.id), pipeline.browse(other.id)
        for when, record, stage in (
            (at(hours=3), lead, s2),
            (at(hours=5), other, s2),
            (at(days=1), lead, ordinary),
            (at(days=2), lead, s1),
            (at(days=3), lead, s3),
            (at(days=3, hours=2), other, s3),
            (at(days=4), lead, won),
        ):
            with freeze_time(when):
                record.write({"stage_id": stage.id})
        return lead | other

    def test_history_and_timing_agree(self):
        leads = self.moves()
        for lead in leads:
            timings = self.env["linear.step.timing"].search(
                [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)], order="entered_at, id"
            )
            entries = self.env["linear.stage.history"].search(
                [
                    ("lead_id", "=", lead.id),
                    ("is_entry", "=", True),
                    ("stage_to_id.linear_step_id", "!=", False),
                ],
                order="date, id",
            )
            self.assertEqual(
                [(t.step_id, t.entered_at, t.left_at or False, t.duration_hours) for t in timings],
                [
                    (h.stage_to_id.linear_step_id, h.date, h.left_date or False, h.hours_in_stage)
                    for h in entries
                ],
            )
        self.assertEqual(len(entries), 3, "the other lead entered three steps")
        first = self.env["linear.stage.history"].search([("lead_id", "=", leads[0].id)], order="date, id")
        self.assertEqual(
            [(r.stage_to_id.name, r.duration_hours) for r in first],
            [
                ("Request processing", 0.0),
                ("Payment collection", 3.0),
                ("AN Ordinary", 21.0),
                ("Request processing", 24.0),
                ("Order delivery", 24.0),
                (first[-1].stage_to_id.name, 24.0),
            ],
        )

    def test_process_panel(self):
        leads = self.moves()
        Analytics = self.env["linear.sales.analytics"].with_user(self.owner)
        result = Analytics.process(
            {"date_from": "2026-03-01", "date_to": "2026-03-31", "team_id": self.team.id}
        )
        self.assertEqual(result["process_id"], self.process.id)
        timings = self.env["linear.step.timing"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "in", leads.ids)]
        )
        steps = {row["step_id"]: row for row in result["steps"]}
        self.assertEqual(
            [row["step_id"] for row in result["steps"]], self.process.step_ids.sorted("sequence").ids
        )
        for step in self.process.step_ids:
            done = timings.filtered(lambda t, step=step: t.step_id == step and t.left_at)
            hours = sorted(done.mapped("work_hours"))
            row = steps[step.id]
            self.assertEqual(row["count"], len(done), step.name)
            average = round(sum(hours) / len(hours), 2) if hours else None  # None: nothing measured
            self.assertEqual(row["avg_hours"], average, step.name)
            self.assertEqual(
                row["overdue_share"], round(len(done.filtered("over_norm")) / len(done), 4) if done else 0.0
            )
            norm_hours = planning.norm_in_working_time(step.norm_duration, step.norm_unit, 8.0)[0]
            self.assertEqual(row["norm_hours"], round(norm_hours, 2) if step.norm_duration else False)
        # step 1 passed twice by the lead and once by the other one; step 3 left by the lead only
        self.assertEqual([row["count"] for row in result["steps"]], [3, 2, 1])
        self.assertEqual(sum(row["bottleneck"] for row in result["steps"]) <= 1, True)
        self.assertEqual(
            set(self.env["crm.lead"].search(steps[self.step2.id]["lead_domain"]).ids), set(leads.ids)
        )
