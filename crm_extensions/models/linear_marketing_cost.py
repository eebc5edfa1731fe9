# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LinearMarketingCost(models.Model):
    """What a channel or campaign cost in a month: the channel report's cost per lead, cost per
    won client (CAC) and ROMI. Amounts in another currency are converted to the company's at the
    rate of the month's first day."""

    _name = "linear.marketing.cost"
    _description = "Marketing Cost"
    _order = "month desc, id desc"
    _check_company_auto = True

    month = fields.Date(required=True, index=True, help="Any day of the month; stored as its first day.")
    source_id = fields.Many2one("utm.source", index="btree_not_null")
    medium_id = fields.Many2one("utm.medium")
    campaign_id = fields.Many2one("utm.campaign")
    amount = fields.Monetary(required=True, currency_field="currency_id")
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    note = fields.Char()

    _amount_positive = models.Constraint("CHECK(amount >= 0)", "A cost cannot be negative.")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("month"):
                vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("month"):
            vals = dict(vals, month=fields.Date.to_date(vals["month"]).replace(day=1))
        return super().write(vals)

    @api.constrains("source_id", "medium_id", "campaign_id")
    def _check_channel(self):
        for cost in self:
            if not (cost.source_id or cost.medium_id or cost.campaign_id):
                raise ValidationError(self.env._("A cost belongs to a source, a medium or a campaign."))
