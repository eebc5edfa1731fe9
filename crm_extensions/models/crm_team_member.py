# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

# Who may see which leads and clients depends on these (res.users._linear_sales_teams).
OWNERSHIP_FIELDS = {"user_id", "crm_team_id", "active"}


class CrmTeamMember(models.Model):
    """A member's limit of open leads for the instant assignment rotation."""

    _inherit = "crm.team.member"

    open_lead_capacity = fields.Integer(
        string="Open Leads Capacity",
        default=0,
        help="The rotation skips this salesperson while they hold this many open leads or more "
        "(all teams). 0 means no limit.",
    )

    _open_lead_capacity_positive = models.Constraint(
        "CHECK(open_lead_capacity >= 0)", "The open leads capacity cannot be negative."
    )

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        self.env["res.users"]._linear_ownership_changed()
        return members

    def write(self, vals):
        result = super().write(vals)
        if OWNERSHIP_FIELDS & set(vals):
            self.env["res.users"]._linear_ownership_changed()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["res.users"]._linear_ownership_changed()
        return result
