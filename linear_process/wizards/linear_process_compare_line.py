# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class LinearProcessCompareLine(models.TransientModel):
    _name = "linear.process.compare.line"
    _description = "Process Version Difference"

    compare_id = fields.Many2one("linear.process.compare", required=True, ondelete="cascade")
    change = fields.Selection(
        [("added", "Added"), ("removed", "Removed"), ("changed", "Changed")], required=True
    )
    name = fields.Char(string="Step")
    changed_fields = fields.Char(string="What Changed")
    old_value = fields.Char(string="Before")
    new_value = fields.Char(string="After")
