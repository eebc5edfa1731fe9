# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    linear_solvency_watch_share = fields.Float(
        related="company_id.linear_solvency_watch_share", readonly=False
    )
    linear_solvency_bad_share = fields.Float(related="company_id.linear_solvency_bad_share", readonly=False)
    linear_solvency_watch_days = fields.Float(related="company_id.linear_solvency_watch_days", readonly=False)
    linear_solvency_bad_days = fields.Float(related="company_id.linear_solvency_bad_days", readonly=False)
