# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class CrmLeadStepResult(models.Model):
    """A result of the current process step to confirm on a lead (the step's checklist)."""

    _name = "crm.lead.step.result"
    _description = "Lead Step Result"
    _order = "lead_id, step_sequence, sequence, id"

    lead_id = fields.Many2one("crm.lead", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="lead_id.company_id", store=True, index=True)
    result_id = fields.Many2one(
        "linear.process.step.result", string="Step Result", required=True, ondelete="cascade", index=True
    )
    step_id = fields.Many2one(related="result_id.step_id", store=True, index=True)
    step_sequence = fields.Integer(related="result_id.step_id.sequence", store=True, string="Step Order")
    sequence = fields.Integer(related="result_id.sequence", store=True)
    name = fields.Char(related="result_id.name", string="Result")
    required = fields.Boolean(related="result_id.required")
    confirmed = fields.Boolean(readonly=True)
    confirmed_by = fields.Many2one("res.users", readonly=True)
    confirmed_at = fields.Datetime(readonly=True)

    _lead_result_uniq = models.UniqueIndex(
        "(lead_id, result_id)", "This result is already on the lead's checklist."
    )

    def action_confirm(self):
        pending = self.filtered(lambda line: not line.confirmed)
        pending.write(
            {"confirmed": True, "confirmed_by": self.env.uid, "confirmed_at": fields.Datetime.now()}
        )
        for lead in pending.lead_id:
            lead._linear_check_step_done()
        return True

    def action_unconfirm(self):
        self.write({"confirmed": False, "confirmed_by": False, "confirmed_at": False})
        return True
