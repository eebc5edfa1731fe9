# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class LinearProcessRunStart(models.TransientModel):
    """Start an approved process on the current record (e.g. a project or an applicant)."""

    _name = "linear.process.run.start"
    _description = "Start a Process Run"

    process_id = fields.Many2one("linear.process", required=True, domain=[("state", "=", "approved")])
    project_id = fields.Many2one(
        "project.project", required=True, help="Project that receives the step tasks."
    )
    res_model = fields.Char()
    res_id = fields.Integer()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") and context.get("active_id"):
            values.setdefault("res_model", context["active_model"])
            values.setdefault("res_id", context["active_id"])
            if context["active_model"] == "project.project" and "project_id" in fields_list:
                values.setdefault("project_id", context["active_id"])
        return values

    def action_start(self):
        self.ensure_one()
        record = self.env[self.res_model].browse(self.res_id) if self.res_model else None
        run = self.env["linear.process.run"]._start_for(record, self.process_id, self.project_id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "linear.process.run",
            "res_id": run.id,
            "view_mode": "form",
            "target": "current",
        }
