# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class LinearProcessGoal(models.Model):
    _name = "linear.process.goal"
    _inherit = ["linear.process.part"]
    _description = "Process Goal"
    _order = "process_id, sequence, id"
    _finding_fields = frozenset({"name"})

    process_id = fields.Many2one("linear.process", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="process_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(
        string="Goal",
        required=True,
        help="Starts with a verb, e.g. 'Increase sales revenue' / «Увеличить выручку от продаж».",
    )
