# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResUsers(models.Model):
    """Availability for new leads, and the hand-over of a leaving manager's clients and leads."""

    _inherit = "res.users"

    assignment_unavailable = fields.Boolean(
        string="Unavailable for New Leads",
        help="New leads and clients are not assigned to this user (e.g. sick, on a business trip). "
        "Their current leads and clients stay with them.",
    )

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "assignment_unavailable"]

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "assignment_unavailable"]

    def action_archive(self):
        """Archive, then offer to hand the users' clients and open leads over to others."""
        result = super().action_archive()
        if self.env.context.get("linear_skip_reassign"):
            return result
        wizard_action = self.env["linear.reassign.wizard"]._action_open_for(self, only_if_needed=True)
        return wizard_action or result

    def action_reassign_clients_and_leads(self):
        """Open the reassignment wizard for these users (from the user form or list)."""
        return self.env["linear.reassign.wizard"]._action_open_for(self)
