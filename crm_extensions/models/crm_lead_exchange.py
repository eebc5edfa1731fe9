# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class CrmLead(models.Model):
    """What the 1C exchange keeps on a deal: its 1C identifier and what was last exchanged."""

    _inherit = "crm.lead"

    linear_1c_id = fields.Char(
        string="1C ID",
        copy=False,
        index="btree_not_null",
        groups="linear_crm.group_linear_accountant,base.group_system",
        help="Identifier of this deal's order in 1C (Ид in CommerceML). Empty: the export sends "
        "Odoo's own identifier and 1C documents are matched by it or by the deal number CRM-<id>.",
    )
    linear_1c_status_key = fields.Char(
        string="Last 1C Status",
        copy=False,
        groups="base.group_system",
        help="The order status document from 1C applied last (id, number, date, values): the same "
        "document sent again changes nothing.",
    )
    linear_1c_exported_date = fields.Datetime(
        string="Sent to 1C",
        copy=False,
        groups="linear_crm.group_linear_accountant,base.group_system",
        help="When 1C last confirmed it received this deal (HTTP exchange, mode=success).",
    )
