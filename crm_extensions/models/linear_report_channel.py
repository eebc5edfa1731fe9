# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models, tools
from odoo.tools import SQL


class LinearReportChannel(models.Model):
    """One row per lead with its channel (UTM source, medium, campaign): leads, won, revenue won.
    Costs per channel and month are in linear.marketing.cost (the analytics API joins them)."""

    _name = "linear.report.channel"
    _description = "Channel Analysis"
    _auto = False
    _order = "create_date desc, id desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one("crm.lead", readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    medium_id = fields.Many2one("utm.medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    leads = fields.Integer(readonly=True)
    won = fields.Integer(readonly=True)
    lost = fields.Integer(readonly=True)
    revenue = fields.Float(string="Revenue Won", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT l.id, l.id AS lead_id, l.create_date, l.source_id, l.medium_id,
                           l.campaign_id, l.team_id, l.user_id, l.company_id, 1 AS leads,
                           (l.won_status = 'won')::int AS won, (l.won_status = 'lost')::int AS lost,
                           CASE WHEN l.won_status = 'won' THEN COALESCE(l.expected_revenue, 0) ELSE 0 END
                               AS revenue
                      FROM crm_lead l
                )
                """,
                SQL.identifier(self._table),
            )
        )
