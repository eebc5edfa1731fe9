# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

CHANGES = [
    ("create", "New stage"),
    ("rename", "Renamed"),
    ("keep", "Unchanged"),
    ("map", "Existing stage"),
    ("remove", "Removed"),
]


class LinearProcessBindingLine(models.TransientModel):
    _name = "linear.process.binding.line"
    _description = "Process Binding Change"
    _order = "sequence, id"

    binding_id = fields.Many2one("linear.process.binding", required=True, ondelete="cascade")
    sequence = fields.Integer()
    step_id = fields.Many2one("linear.process.step")
    stage_id = fields.Many2one("crm.stage", help="Leave empty to create a stage for the step.")
    change = fields.Selection(CHANGES, required=True)
    old_name = fields.Char(string="Current Name")
    new_name = fields.Char()
    lead_count = fields.Integer(
        string="Leads",
        help="Leads (open or not) in this stage now; those of a removed stage move to the fallback stage.",
    )
