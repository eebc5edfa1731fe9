# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class LinearProcess(models.Model):
    """A business process described by the linear methodology: a passport and a linear body."""

    _name = "linear.process"
    _description = "Business Process"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name, id"

    name = fields.Char(
        required=True,
        tracking=True,
        translate=True,
        help="Starts with a noun, e.g. 'Fulfilment of customer orders'.",
    )
    code = fields.Char(help="Short code used in regulations and references, e.g. 'BP-01'.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
