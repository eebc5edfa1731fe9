# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models, tools
from odoo.tools import SQL


class LinearReportFunnel(models.Model):
    """One row per lead and stage it entered (its first entry, from the stage history): moved
    forward from it, lost there, won later, hours of the first stay. Summed per stage it is the
    funnel of linear.sales.analytics; a row opens its lead. Seen as the leads are (record rules)."""

    _name = "linear.report.funnel"
    _description = "Funnel Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "stage_id"

    lead_id = fields.Many2one("crm.lead", readonly=True)
    stage_id = fields.Many2one("crm.stage", readonly=True)
    stage_sequence = fields.Integer(string="Stage Order", readonly=True, aggregator=False)
    date = fields.Datetime(string="Entered On", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    medium_id = fields.Many2one("utm.medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    entered = fields.Integer(readonly=True, help="The lead entered the stage (counted once).")
    forward = fields.Integer(
        string="Moved Forward", readonly=True, help="Left the stage for a later or won stage."
    )
    lost = fields.Integer(string="Lost Here", readonly=True, help="Marked lost while in the stage.")
    won_later = fields.Integer(readonly=True, help="Won after entering the stage.")
    is_open = fields.Boolean(string="Still There", readonly=True)
    hours_in_stage = fields.Float(string="Hours in Stage", readonly=True, aggregator="avg")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT h.id, h.lead_id, h.stage_to_id AS stage_id, s.sequence AS stage_sequence,
                           h.date, h.team_id, h.salesperson_id AS user_id, h.company_id,
                           l.source_id, l.medium_id, l.campaign_id,
                           1 AS entered, h.moved_forward::int AS forward, h.lost_in_stage::int AS lost,
                           h.won_later::int AS won_later, h.is_open,
                           CASE WHEN h.left_date IS NOT NULL THEN h.hours_in_stage END AS hours_in_stage
                      FROM linear_stage_history h
                      JOIN crm_lead l ON l.id = h.lead_id
                      JOIN crm_stage s ON s.id = h.stage_to_id
                     WHERE h.is_first_entry
                )
                """,
                SQL.identifier(self._table),
            )
        )
