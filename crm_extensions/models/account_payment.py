# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class AccountPayment(models.Model):
    """A customer payment recorded from a 1C payment document.

    ``linear_1c_key`` (the 1C document's id, number and date) makes a re-imported file change
    nothing; ``linear_lead_id`` names the deal it was matched to, also when the deal had no open
    invoice and the payment stays an unreconciled advance of the client."""

    _inherit = "account.payment"

    linear_1c_key = fields.Char(
        string="1C Document",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The 1C payment document this payment was recorded from (id|number|date).",
    )
    linear_lead_id = fields.Many2one(
        "crm.lead",
        string="Deal",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The deal the 1C payment document was matched to.",
    )

    _linear_1c_key_company_uniq = models.UniqueIndex(
        "(linear_1c_key, company_id) WHERE linear_1c_key IS NOT NULL",
        "This 1C payment document was already recorded.",
    )
