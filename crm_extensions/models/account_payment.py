# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import AccessError

# Only the exchange sets the two fields: this private object in the context says so; JSON-RPC
# cannot send it (a string or boolean context key would be a switch any user could flip).
EXCHANGE_WRITE = object()
EXCHANGE_FIELDS = ("linear_1c_key", "linear_lead_id")


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

    @api.model_create_multi
    def create(self, vals_list):
        if any(set(EXCHANGE_FIELDS) & set(vals) for vals in vals_list):
            self._linear_check_exchange_write()
        return super().create(vals_list)

    def write(self, vals):
        if set(EXCHANGE_FIELDS) & set(vals):
            self._linear_check_exchange_write()
        return super().write(vals)

    def _linear_check_exchange_write(self):
        if self.env.context.get("linear_exchange_write") is not EXCHANGE_WRITE:
            raise AccessError(
                self.env._("The 1C document and deal of a payment are set by the 1C exchange only.")
            )
