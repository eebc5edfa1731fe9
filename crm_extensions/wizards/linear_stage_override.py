# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models
from odoo.exceptions import UserError

from ..models.crm_lead_process import gate_override_context


class LinearStageOverride(models.TransientModel):
    """A sales manager moves leads on although required step results are not confirmed."""

    _name = "linear.stage.override"
    _description = "Move Leads Past Unconfirmed Results"

    lead_ids = fields.Many2many("crm.lead", string="Leads", required=True)
    stage_id = fields.Many2one("crm.stage", string="Move To", required=True)
    reason = fields.Text(required=True, help="Logged in the chatter of each lead.")

    def action_move(self):
        self.ensure_one()
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise UserError(self.env._("Only a sales manager may move a lead past unconfirmed results."))
        # The only client-reachable way past the gate: a manager, a reason, logged per lead.
        self.lead_ids.with_context(**gate_override_context(self.reason or "")).write(
            {"stage_id": self.stage_id.id}
        )
        # The form behind the dialog still shows the refused move: reload it from the server.
        return {"type": "ir.actions.client", "tag": "soft_reload"}
