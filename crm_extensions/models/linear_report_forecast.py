# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models, tools
from odoo.tools import SQL


class LinearReportForecast(models.Model):
    """Open opportunities by expected closing date: expected and weighted (× probability)
    revenue. Targets per month are in linear.sales.target."""

    _name = "linear.report.forecast"
    _description = "Sales Forecast"
    _auto = False
    _order = "date_deadline, id"
    _rec_name = "lead_id"

    lead_id = fields.Many2one("crm.lead", readonly=True)
    date_deadline = fields.Date(string="Expected Closing", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    stage_id = fields.Many2one("crm.stage", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    probability = fields.Float(readonly=True, aggregator="avg")
    expected = fields.Float(string="Expected Revenue", readonly=True)
    weighted = fields.Float(string="Weighted Revenue", readonly=True, help="Expected revenue × probability.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT l.id, l.id AS lead_id, l.date_deadline, l.team_id, l.user_id, l.stage_id,
                           l.company_id, l.probability, COALESCE(l.expected_revenue, 0) AS expected,
                           COALESCE(l.expected_revenue, 0) * COALESCE(l.probability, 0) / 100.0 AS weighted
                      FROM crm_lead l
                     WHERE l.active AND l.won_status = 'pending' AND l.type = 'opportunity'
                )
                """,
                SQL.identifier(self._table),
            )
        )
