# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import SUPERUSER_ID, models


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
