# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import requisites


class ResBank(models.Model):
    """A Russian bank: BIK is the native ``bic``; the correspondent account is added here."""

    _inherit = "res.bank"

    corr_account = fields.Char(
        string="Correspondent Account",
        help="The bank's correspondent account with the Bank of Russia (20 digits, starts with 30101); "
        "its control key is checked against the BIK.",
    )

    def _linear_is_russian(self, company=None):
        """A bank is Russian when its country is Russia; with no country, when the company's is
        (the account holder's company, else the current one), or the BIC looks like a BIK."""
        self.ensure_one()
        if self.country:
            return self.country.code == "RU"
        company = company or self.env.company
        bic = requisites.clean(self.bic)
        return company.country_id.code == "RU" or bool(self.corr_account) or (bic.isdigit() and len(bic) == 9)

    @api.constrains("bic", "corr_account", "country")
    def _check_linear_requisites(self):
        for bank in self:
            if not bank._linear_is_russian():
                continue
            try:
                if bank.bic or bank.corr_account:
                    requisites.check_bik(bank.bic)
                if bank.corr_account:
                    requisites.check_corr_account(bank.corr_account, bank.bic)
            except requisites.RequisiteError as error:
                raise ValidationError(self.env["res.partner"]._linear_requisite_message(error)) from error

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._linear_clean_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._linear_clean_vals(vals)
        return super().write(vals)

    @api.model
    def _linear_clean_vals(self, vals):
        for fname in ("bic", "corr_account"):
            if isinstance(vals.get(fname), str) and requisites.clean(vals[fname]).isdigit():
                vals[fname] = requisites.clean(vals[fname])
        return vals
