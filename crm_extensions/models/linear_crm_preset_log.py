# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class LinearCrmPresetLog(models.Model):
    """One act of an automation preset on one record for one occasion: never done twice."""

    _name = "linear.crm.preset.log"
    _description = "Business Automation Preset Log"
    _order = "id desc"

    preset_id = fields.Many2one("linear.crm.preset", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="preset_id.company_id", store=True, index=True)
    res_model = fields.Char(string="Model", required=True)
    res_id = fields.Integer(string="Record ID", required=True)
    key = fields.Char(
        string="Occasion",
        required=True,
        help="What the act was for: a year for greetings, an end date for contracts, the last contact date.",
    )
    record_name = fields.Char(compute="_compute_record_name", string="Record")
    failed = fields.Boolean(
        readonly=True, help="The preset failed on this day; nothing of that run was kept."
    )
    message = fields.Char(readonly=True, help="Why the preset failed.")

    _preset_record_key_uniq = models.UniqueIndex(
        "(preset_id, res_model, res_id, key)", "This preset already acted on this record for this occasion."
    )

    def _compute_record_name(self):
        for log in self:
            record = (
                self.env[log.res_model].browse(log.res_id).exists() if log.res_model in self.env else None
            )
            log.record_name = record.display_name if record else f"{log.res_model},{log.res_id}"
