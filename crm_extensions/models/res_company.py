# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import solvency

THRESHOLD_FIELDS = {
    "linear_solvency_watch_share": "watch_share",
    "linear_solvency_bad_share": "bad_share",
    "linear_solvency_watch_days": "watch_days",
    "linear_solvency_bad_days": "bad_days",
}


class ResCompany(models.Model):
    """Where a client's solvency turns from good to watch to bad (lib/solvency.py)."""

    _inherit = "res.company"

    linear_solvency_watch_share = fields.Float(
        string="Watch from Overdue Share (%)",
        default=solvency.DEFAULT_THRESHOLDS["watch_share"],
        help="A client is marked Watch when this percentage of what it was invoiced is overdue (0: off).",
    )
    linear_solvency_bad_share = fields.Float(
        string="Bad from Overdue Share (%)",
        default=solvency.DEFAULT_THRESHOLDS["bad_share"],
        help="A client is marked Bad when this percentage of what it was invoiced is overdue (0: off).",
    )
    linear_solvency_watch_days = fields.Float(
        string="Watch from Days Late",
        default=solvency.DEFAULT_THRESHOLDS["watch_days"],
        help="A client is marked Watch when its invoices are on average this many days late (0: off).",
    )
    linear_solvency_bad_days = fields.Float(
        string="Bad from Days Late",
        default=solvency.DEFAULT_THRESHOLDS["bad_days"],
        help="A client is marked Bad when its invoices are on average this many days late (0: off).",
    )

    def _linear_solvency_thresholds(self):
        self.ensure_one()
        return {key: self[fname] for fname, key in THRESHOLD_FIELDS.items()}

    @api.constrains(*THRESHOLD_FIELDS)
    def _check_linear_solvency_thresholds(self):
        for company in self:
            try:
                solvency.check_thresholds(company._linear_solvency_thresholds())
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "Solvency thresholds: each must be zero or more, a share at most 100 percent, "
                        "and a Watch level not above its Bad level."
                    )
                ) from error

    def write(self, vals):
        result = super().write(vals)
        if THRESHOLD_FIELDS.keys() & vals.keys():
            # every client's mark follows the new thresholds at once
            self.env["res.partner"]._linear_recompute_finance(
                self.env["res.partner"].sudo().search([("linear_solvency", "!=", False)])
            )
        return result
