# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class LinearReassignWizardLine(models.TransientModel):
    """One client or open lead of a leaving manager, with the proposed new manager and why."""

    _name = "linear.reassign.wizard.line"
    _description = "Reassignment Proposal"
    _order = "kind, id"

    wizard_id = fields.Many2one("linear.reassign.wizard", required=True, ondelete="cascade", index=True)
    kind = fields.Selection([("client", "Client"), ("lead", "Open lead")], required=True, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    lead_id = fields.Many2one("crm.lead", readonly=True)
    current_user_id = fields.Many2one("res.users", string="Current Manager", readonly=True)
    proposed_user_id = fields.Many2one("res.users", string="Proposed Manager", readonly=True)
    new_user_id = fields.Many2one(
        "res.users",
        string="New Manager",
        domain="[('share', '=', False)]",
        help="Proposed by the assignment rules; change it to choose by hand.",
    )
    rule = fields.Char(readonly=True)
    reason = fields.Char(readonly=True)
