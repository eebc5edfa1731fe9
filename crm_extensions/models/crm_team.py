# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class CrmTeam(models.Model):
    """Settings of the instant assignment of new leads inside a sales team."""

    _inherit = "crm.team"

    assignment_instant = fields.Boolean(
        string="Assign New Leads Instantly",
        default=True,
        help="A new lead without a salesperson is assigned when it is created: to the client's "
        "manager, else to the last manager who talked with the client, else by weighted rotation "
        "among the members of this team.",
    )
    assignment_winrate_days = fields.Integer(
        string="Win Rate Window (days)",
        default=90,
        help="Members' win rates (won / closed leads of this team) are measured over this many days; "
        "a higher win rate gets proportionally more new leads.",
    )
    assignment_floor_weight = fields.Float(
        string="Floor Weight",
        default=0.1,
        digits=(3, 2),
        help="Minimum rotation weight, as a win rate between 0 and 1, so that new members and members "
        "with no closed leads in the window still get leads.",
    )
    assignment_working_hours = fields.Boolean(
        string="Only During Working Hours",
        help="Skip members who are outside their working hours (the working schedule of their "
        "employee, else of their company) when the lead arrives.",
    )

    _assignment_winrate_days_positive = models.Constraint(
        "CHECK(assignment_winrate_days > 0)", "The win rate window must be at least one day."
    )
    _assignment_floor_weight_range = models.Constraint(
        "CHECK(assignment_floor_weight > 0 AND assignment_floor_weight <= 1)",
        "The floor weight must be above 0 and at most 1.",
    )
