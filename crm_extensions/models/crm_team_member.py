# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


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
