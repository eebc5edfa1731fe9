# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models
from odoo.exceptions import UserError


class LinearProcessStep(models.Model):
    """Keeps the pipeline stages of a bound process named after their steps."""

    _inherit = "linear.process.step"

    def _check_no_history(self):
        result = super()._check_no_history()
        # sudo: checklists of every lead count, not only those the deleting user may read.
        lines = (
            self.env["crm.lead.step.result"]
            .sudo()
            ._read_group([("step_id", "in", self.ids)], ["step_id"], ["__count"])
        )
        for step, count in lines:
            raise UserError(
                self.env._(
                    "Step «%(step)s» cannot be deleted: %(count)s checklist line(s) of leads refer to it. "
                    "Create a new version of the process without this step instead.",
                    step=step.name,
                    count=count,
                )
            )
        return result

    def write(self, vals):
        result = super().write(vals)
        if "name" in vals:
            stages = self.env["crm.stage"].sudo().search([("linear_step_id", "in", self.ids)])
            for stage in stages:
                if stage.name != stage.linear_step_id.name:
                    stage.name = stage.linear_step_id.name
        return result
