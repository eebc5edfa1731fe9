# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResPartner(models.Model):
    """The client's identifier in 1C, so documents 1C sends back find it without guessing."""

    _inherit = "res.partner"

    linear_1c_id = fields.Char(
        string="1C ID",
        copy=False,
        index="btree_not_null",
        groups="linear_crm.group_linear_accountant,base.group_system",
        help="Identifier of this counterparty in 1C (Ид in CommerceML). Empty: the export sends "
        "Odoo's own identifier.",
    )
