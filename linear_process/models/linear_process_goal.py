# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class LinearProcessGoal(models.Model):
    _name = "linear.process.goal"
    _description = "Process Goal"
    _order = "process_id, sequence, id"

    process_id = fields.Many2one("linear.process", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(
        string="Goal",
        required=True,
        help="Starts with a verb, e.g. 'Increase sales revenue' / «Увеличить выручку от продаж».",
    )

    @api.model_create_multi
    def create(self, vals_list):
        goals = super().create(vals_list)
        goals.process_id._refresh_findings()
        return goals

    def write(self, vals):
        result = super().write(vals)
        if "name" in vals:
            self.process_id._refresh_findings()
        return result
