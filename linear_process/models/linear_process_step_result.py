# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class LinearProcessStepResult(models.Model):
    """What is done when the step is over ("Что сделано?")."""

    _name = "linear.process.step.result"
    _description = "Step Result"
    _order = "step_id, sequence, id"

    step_id = fields.Many2one("linear.process.step", required=True, index=True, ondelete="cascade")
    process_id = fields.Many2one(related="step_id.process_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(
        string="Result",
        required=True,
        help="Phrased as done, e.g. 'Shipping documents prepared' / «Оформлен пакет отгрузочных документов».",
    )
    result_type = fields.Selection(
        [("informational", "Informational"), ("material", "Material")],
        string="Kind",
        default="informational",
        required=True,
        help="Informational: a document or data; material: goods or a physical change.",
    )
    required = fields.Boolean(
        default=True, help="A required result must be confirmed before the work moves to the next step."
    )

    @api.model_create_multi
    def create(self, vals_list):
        results = super().create(vals_list)
        results.process_id._refresh_findings()
        return results

    def write(self, vals):
        result = super().write(vals)
        if "name" in vals:
            self.process_id._refresh_findings()
        return result

    def unlink(self):
        processes = self.process_id
        result = super().unlink()
        processes.exists()._refresh_findings()
        return result
