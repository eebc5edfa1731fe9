# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class LinearProcessStep(models.Model):
    """Keeps the pipeline stages of a bound process named after their steps."""

    _inherit = "linear.process.step"

    def write(self, vals):
        result = super().write(vals)
        if "name" in vals:
            stages = self.env["crm.stage"].sudo().search([("linear_step_id", "in", self.ids)])
            for stage in stages:
                if stage.name != stage.linear_step_id.name:
                    stage.name = stage.linear_step_id.name
        return result
