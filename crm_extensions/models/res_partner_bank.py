# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import requisites


class ResPartnerBank(models.Model):
    """A client's settlement account: its control key is checked against the bank's BIK."""

    _inherit = "res.partner.bank"

    bank_corr_account = fields.Char(
        related="bank_id.corr_account",
        readonly=False,
        string="Correspondent Account",
        help="Correspondent account of the bank.",
    )

    @api.constrains("acc_number", "bank_id", "partner_id")
    def _check_linear_settlement_account(self):
        for account in self:
            bank = account.bank_id
            # a bank without a country follows the account holder's company, as requisites do
            company = account.company_id or account.partner_id.company_id or self.env.company
            if not bank or not bank._linear_is_russian(company):
                continue
            try:
                requisites.check_account(account.acc_number, bank.bic)
            except requisites.RequisiteError as error:
                message = account.partner_id._linear_requisite_message(error)
                raise ValidationError(message) from error
