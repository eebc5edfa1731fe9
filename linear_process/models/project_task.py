# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

CLOSED_STATES = ("1_done",)


class ProjectTask(models.Model):
    _inherit = "project.task"

    linear_run_line_id = fields.Many2one(
        "linear.process.run.line",
        string="Process Run Step",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )

    def write(self, vals):
        closing = self.browse()
        if vals.get("state") in CLOSED_STATES:
            closing = self.filtered(
                lambda t: t.linear_run_line_id.state == "running" and t.state not in CLOSED_STATES
            )
        result = super().write(vals)
        for task in closing:
            task.linear_run_line_id.run_id._on_task_closed(task.linear_run_line_id)
        return result
