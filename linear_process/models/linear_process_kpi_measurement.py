# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class LinearProcessKpiMeasurement(models.Model):
    _name = "linear.process.kpi.measurement"
    _description = "KPI Measurement"
    _order = "date desc, id desc"

    kpi_id = fields.Many2one("linear.process.kpi", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="kpi_id.company_id", store=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    value = fields.Float(required=True)
    note = fields.Char()
