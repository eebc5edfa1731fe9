# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models
from odoo.tools import formatLang

from ..lib import numerals
from ..lib import regulation as regulation_lib


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def _linear_number(self, value, digits=1):
        """`value` in the reader's number format without needless decimals: «1,5», «1 000»."""
        decimal_point = self._get_data(code=self.env.lang or "en_US").decimal_point
        text = formatLang(self.env, numerals.rounded(value, digits), digits=digits)
        return regulation_lib.trim_zeros(text, decimal_point)

    @api.model
    def _linear_quantity(self, value, unit, digits=1):
        """«3 рабочих дня», «1,5 часа», '1 hour': the number in the reader's format, then its
        words agreeing with it (`unit` is one of `numerals.UNITS`)."""
        return numerals.quantity(
            value, unit, self.env.lang or "en_US", digits, number_text=self._linear_number(value, digits)
        )
