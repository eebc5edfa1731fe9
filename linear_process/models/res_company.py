# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import SUPERUSER_ID, models
from odoo.tools import SQL


class ResCompany(models.Model):
    _inherit = "res.company"

    def _linear_text_lang(self):
        """Language of a text stored in a record or its chatter, which is read later by others.

        The request's language when there is one (a person clicked), else the acting user's,
        else the company's: crons, demo data and the system user run without a language and
        would otherwise store English in a Russian company.
        """
        lang = self.env.context.get("lang")
        if lang:
            return lang
        user = self.env.user
        if user.id != SUPERUSER_ID and not user._is_public() and user.lang:
            return user.lang
        company = self[:1] or self.env.company
        return company.partner_id.lang or user.lang or "en_US"

    def _linear_demo_use_currency(self, currency_id):
        """Demo data only: make the demo company work in the currency ``currency_id`` (roubles).

        Odoo refuses to change a company's currency once journal items exist, and Accounting's own
        demo invoices are posted in the old currency before this module's demo loads. Those demo
        documents are re-denominated in place (every stored currency link of the company's records
        moves to the new currency, amounts unchanged), so the ledger stays consistent; a real
        company never runs this.
        """
        currency = self.env["res.currency"].browse(currency_id)
        self.env.flush_all()
        for company in self.filtered(lambda c: c.currency_id != currency):
            old = company.currency_id
            for model in self.env.values():
                company_field = model._fields.get("company_id")
                if model._abstract or not model._auto or not company_field or not company_field.store:
                    continue
                if model._name.startswith("res.currency"):  # the rates are per currency, not amounts
                    continue
                for field in model._fields.values():
                    if field.type == "many2one" and field.comodel_name == "res.currency" and field.store:
                        self.env.cr.execute(
                            SQL(
                                "UPDATE %s SET %s = %s WHERE %s = %s AND company_id = %s",
                                SQL.identifier(model._table),
                                SQL.identifier(field.name),
                                currency.id,
                                SQL.identifier(field.name),
                                old.id,
                                company.id,
                            )
                        )
            self.env.cr.execute(
                "UPDATE res_company SET currency_id = %s WHERE id = %s", [currency.id, company.id]
            )
        self.env.invalidate_all()
