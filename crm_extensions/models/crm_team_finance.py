# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class CrmTeam(models.Model):
    """Optional: a deal whose invoices are fully paid moves on by itself (crm_lead_finance.py)."""

    _inherit = "crm.team"

    linear_paid_stage_id = fields.Many2one(
        "crm.stage",
        string="Stage When Fully Paid",
        ondelete="set null",
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', id)]",
        help="When all posted invoices of a deal of this team are paid, the deal moves to this stage "
        "(as if a salesperson had moved it: the results gate still applies, and a deal it holds "
        "back gets a note instead). Deals already in a later or won stage stay. Empty: no move.",
    )
