# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LinearSalesTarget(models.Model):
    """A month's revenue target of a sales team or of one salesperson in it: the forecast
    report puts the weighted pipeline against it."""

    _name = "linear.sales.target"
    _description = "Sales Target"
    _order = "month desc, team_id, user_id"
    _check_company_auto = True

    month = fields.Date(required=True, index=True, help="Any day of the month; stored as its first day.")
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, check_company=True)
    user_id = fields.Many2one("res.users", string="Salesperson", index="btree_not_null")
    amount = fields.Monetary(required=True, currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _amount_positive = models.Constraint("CHECK(amount >= 0)", "A target cannot be negative.")
    _month_team_user_uniq = models.UniqueIndex(
        "(month, COALESCE(team_id, 0), COALESCE(user_id, 0), company_id)",
        "There is already a target for this month, team and salesperson.",
    )

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

    @api.constrains("team_id", "user_id")
    def _check_owner(self):
        for target in self:
            if not (target.team_id or target.user_id):
                raise ValidationError(self.env._("A target belongs to a sales team or a salesperson."))
