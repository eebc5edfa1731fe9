# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Requisites bookkeeping needs on a client card, and what is still missing of them.

The values themselves are checked where they are typed (res_partner.py, res_bank.py,
res_partner_bank.py); this file adds the director's authority ("acting on the basis of") and
lists what an invoice, a contract or the 1C export would miss, for an organisation or a sole
trader in Russia.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..lib import requisites

# Who holds a client (record rules of salespeople follow them): not the bookkeeper's to change.
OWNERSHIP_FIELDS = {"user_id", "team_id"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    director_basis = fields.Char(
        string="Acting on the Basis of",
        help="The document that authorises the director to sign, as it is written in contracts: "
        "the Charter, or a power of attorney with its number and date.",
    )
    linear_requisites_missing = fields.Text(
        string="Missing Requisites",
        compute="_compute_linear_requisites_missing",
        help="What invoices, contracts and the exchange with bookkeeping need and the card lacks.",
    )

    def _commercial_fields(self):
        return [*super()._commercial_fields(), "director_basis"]

    def write(self, vals):
        user = self.env.user
        if (
            OWNERSHIP_FIELDS & vals.keys()
            and not self.env.su
            and user.has_group("linear_crm.group_linear_accountant")
            and not user.has_group("sales_team.group_sale_salesman")
        ):
            raise AccessError(
                self.env._("An accountant edits a client's requisites, not who handles the client.")
            )
        return super().write(vals)

    @api.depends(
        "is_company",
        "parent_id",
        "country_id",
        "vat",
        "kpp",
        "company_registry",
        "legal_address",
        "street",
        "city",
        "director_name",
        "director_position",
        "director_basis",
        "bank_ids.acc_number",
        "bank_ids.bank_id.bic",
    )
    def _compute_linear_requisites_missing(self):
        for partner in self:
            missing = partner._linear_requisites_missing() if partner.is_company else []
            partner.linear_requisites_missing = "\n".join(missing) or False

    def _linear_requisites_missing(self):
        """Labels of the requisites a Russian organisation (or sole trader) card lacks."""
        self.ensure_one()
        if not self._linear_is_russian():
            return []

        inn = requisites.clean(self.vat if self.vat != "/" else "")
        organisation = len(inn) != 12  # a 12-digit INN is a sole trader's: no KPP, no director
        checks = [
            (inn, self.env._("INN")),
            (self.kpp or not organisation, self.env._("KPP")),
            (self.company_registry, self.env._("OGRN / OGRNIP")),
            (self.legal_address, self.env._("Legal address")),
            (self.street and self.city, self.env._("Actual address (street and city)")),
            (self.director_name or not organisation, self.env._("Director")),
            (self.director_position or not organisation, self.env._("Director's position")),
            (self.director_basis or not organisation, self.env._("Acting on the basis of")),
            (self.bank_ids, self.env._("Bank account")),
        ]
        missing = [label for present, label in checks if not present]
        for account in self.bank_ids.filtered(lambda acc: not acc.bank_id.bic):
            missing.append(self.env._("BIK of the bank of account %(account)s", account=account.acc_number))
        return missing
