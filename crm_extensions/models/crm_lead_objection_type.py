# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class CrmLeadObjectionType(models.Model):
    """Kinds of objections ("too expensive", "no need now"...): a list admins extend."""

    _name = "crm.lead.objection.type"
    _description = "Objection Type"
    _order = "sequence, id"

    name = fields.Char(string="Objection Type", required=True, translate=True)
    sequence = fields.Integer(default=10, help="Order in lists and drop-downs.")
    active = fields.Boolean(default=True, help="Archived types are no longer offered.")
    suggested_answer = fields.Text(
        translate=True,
        help="A proven answer to this objection, offered to salespeople when they log one.",
    )
