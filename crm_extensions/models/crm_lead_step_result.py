# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import AccessError

# Who confirmed what and when is written only by action_confirm / action_unconfirm, as the current
# user and now: the switch is a private object in the context, which JSON-RPC cannot send
# (OCA queue_job's EDIT_SENTINEL).
_CONFIRMATION = object()
_CONFIRMATION_KEY = "linear_checklist_confirmation"
PROTECTED_FIELDS = frozenset({"confirmed", "confirmed_by", "confirmed_at", "lead_id", "result_id"})


class CrmLeadStepResult(models.Model):
    """A result of the current process step to confirm on a lead (the step's checklist)."""

    _name = "crm.lead.step.result"
    _description = "Lead Step Result"
    _order = "lead_id, step_sequence, sequence, id"

    lead_id = fields.Many2one("crm.lead", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="lead_id.company_id", store=True, index=True)
    result_id = fields.Many2one(
        "linear.process.step.result", string="Step Result", required=True, ondelete="restrict", index=True
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

    @api.model_create_multi
    def create(self, vals_list):
        # Lines are created unconfirmed by the engine; data files (superuser) may load history.
        trusted = self.env.su or self.env.context.get(_CONFIRMATION_KEY) is _CONFIRMATION
        if not trusted and any(
            vals.get(name) for vals in vals_list for name in ("confirmed", "confirmed_by", "confirmed_at")
        ):
            raise AccessError(self.env._("A checklist line is confirmed only with its Confirm button."))
        return super().create(vals_list)

    def write(self, vals):
        if PROTECTED_FIELDS & set(vals) and self.env.context.get(_CONFIRMATION_KEY) is not _CONFIRMATION:
            raise AccessError(
                self.env._(
                    "Checklist lines are confirmed or undone only with their buttons, as yourself and now."
                )
            )
        return super().write(vals)

    def action_confirm(self):
        pending = self.filtered(lambda line: not line.confirmed)
        pending.with_context(**{_CONFIRMATION_KEY: _CONFIRMATION}).write(
            {"confirmed": True, "confirmed_by": self.env.uid, "confirmed_at": fields.Datetime.now()}
        )
        for lead in pending.lead_id:
            lead._linear_check_step_done()
        return True

    def action_unconfirm(self):
        self.with_context(**{_CONFIRMATION_KEY: _CONFIRMATION}).write(
            {"confirmed": False, "confirmed_by": False, "confirmed_at": False}
        )
        return True

    def _linear_repoint(self, result):
        """Engine use: the line follows its result into a new version of the process."""
        self.with_context(**{_CONFIRMATION_KEY: _CONFIRMATION}).write({"result_id": result.id})
