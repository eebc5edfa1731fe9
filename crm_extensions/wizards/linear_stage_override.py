# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

from ..models.crm_lead_process import OVERRIDE_REASON


class LinearStageOverride(models.TransientModel):
    """A sales manager moves leads on although required step results are not confirmed."""

    _name = "linear.stage.override"
    _description = "Move Leads Past Unconfirmed Results"

    lead_ids = fields.Many2many("crm.lead", string="Leads", required=True)
    stage_id = fields.Many2one("crm.stage", string="Move To", required=True)
    reason = fields.Text(required=True, help="Logged in the chatter of each lead.")

    def action_move(self):
        self.ensure_one()
        self.lead_ids.with_context(**{OVERRIDE_REASON: self.reason or ""}).write(
            {"stage_id": self.stage_id.id}
        )
        return {"type": "ir.actions.act_window_close"}
