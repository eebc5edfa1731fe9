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
            # sudo: the run's lines follow the run's rules; closing a task one may write is enough
            closing = self.filtered(
                lambda t: t.linear_run_line_id.sudo().state == "running" and t.state not in CLOSED_STATES
            )
        result = super().write(vals)
        for task in closing:
            line = task.linear_run_line_id.sudo()
            line.run_id._on_task_closed(line)
        return result
