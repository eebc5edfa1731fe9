# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ..lib import planning


class LinearStepTiming(models.Model):
    """How long a record really stayed in a process step: the fact behind the step's norm.

    One row per entry into a step; reports, KPIs and the board overlay read this table.
    """

    _name = "linear.step.timing"
    _description = "Step Timing"
    _order = "entered_at desc, id desc"
    _rec_name = "step_id"

    res_model = fields.Char(string="Document Model", required=True, index=True)
    res_id = fields.Many2oneReference(string="Document", model_field="res_model", required=True, index=True)
    # History outlives nothing: a step with timings cannot be deleted (see the step's ondelete).
    step_id = fields.Many2one("linear.process.step", required=True, index=True, ondelete="restrict")
    process_id = fields.Many2one(related="step_id.process_id", store=True, index=True)
    company_id = fields.Many2one(related="step_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", string="Responsible", index="btree_not_null")
    entered_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    left_at = fields.Datetime(index="btree_not_null")
    norm_deadline = fields.Datetime(
        help="When the step should have been left, per its norm and the working calendar."
    )
    duration_hours = fields.Float(
        string="Duration (h)",
        compute="_compute_duration",
        store=True,
        aggregator="avg",
        help="Elapsed hours.",
    )
    norm_hours = fields.Float(string="Norm (h)", compute="_compute_duration", store=True, aggregator="avg")
    over_norm = fields.Boolean(compute="_compute_duration", store=True, help="Left after the norm deadline.")

    # A document is in one step at a time: at most one open row per document, even when two
    # users move it at once (the second insert fails instead of opening a parallel timing).
    _record_open_uniq = models.UniqueIndex(
        "(res_model, res_id) WHERE left_at IS NULL", "This document is already timed in a step."
    )

    @api.depends("entered_at", "left_at", "norm_deadline")
    def _compute_duration(self):
        for timing in self:
            timing.norm_hours = (
                (timing.norm_deadline - timing.entered_at).total_seconds() / 3600.0
                if timing.norm_deadline
                else 0.0
            )
            if timing.left_at:
                timing.duration_hours = (timing.left_at - timing.entered_at).total_seconds() / 3600.0
                timing.over_norm = bool(timing.norm_deadline and timing.left_at > timing.norm_deadline)
            else:
                timing.duration_hours = 0.0
                timing.over_norm = False

    @api.model
    def _figures_for_process(self, process):
        """Per step: count, average and median hours, share over norm; plus the bottleneck step.

        One grouped read over the finished entries; the board overlay and reports use it.
        """
        steps = process.step_ids
        durations, norms = {step.id: [] for step in steps}, {}
        rows = self.sudo().search_fetch(
            [("step_id", "in", steps.ids), ("left_at", "!=", False)],
            ["step_id", "duration_hours", "norm_hours", "over_norm"],
        )
        for row in rows:
            durations[row.step_id.id].append(row.duration_hours)
            norms.setdefault(row.step_id.id, []).append(row.norm_hours)
        figures = {}
        for step in steps:
            norm_values = [value for value in norms.get(step.id, []) if value]
            norm = sum(norm_values) / len(norm_values) if norm_values else 0.0
            figures[step.id] = dict(planning.step_figures(durations[step.id], norm), norm=norm)
        return {"steps": figures, "bottleneck_step_id": planning.bottleneck(figures)}
