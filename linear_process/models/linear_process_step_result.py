# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class LinearProcessStepResult(models.Model):
    """What is done when the step is over ("Что сделано?")."""

    _name = "linear.process.step.result"
    _inherit = ["linear.process.part"]
    _description = "Step Result"
    _order = "step_id, sequence, id"
    _finding_fields = frozenset({"name"})

    step_id = fields.Many2one("linear.process.step", required=True, index=True, ondelete="cascade")
    process_id = fields.Many2one(related="step_id.process_id", store=True, index=True)
    company_id = fields.Many2one(related="step_id.company_id", store=True, index=True)
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
