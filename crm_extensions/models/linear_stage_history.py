# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.tools import SQL

SOURCES = [
    ("create", "Created"),
    ("ui", "Web Client"),
    ("rpc", "External RPC"),
    ("import", "Import"),
    ("automation", "Automation"),
    ("merge", "Merge"),
    ("won", "Marked Won"),
    ("lost", "Marked Lost"),
    ("restore", "Restored"),
    ("server", "Server"),
    ("backfill", "Backfill"),
]


class LinearStageHistory(models.Model):
    """One row per stage move of a lead, by any path: the fact the funnel is built from.

    Public contract for BI tools: the table name and the fields up to ``source`` keep their names.
    A move row is also the lead's entry into ``stage_to_id``; the next move of the lead completes
    that entry (``left_date``, ``hours_in_stage``, ``moved_forward``, ...), so the funnel is one
    scan of this table instead of a window over every lead's moves. Rows are written by the one
    stage-move hook of crm.lead (crm_lead_process.py), never by users.
    """

    _name = "linear.stage.history"
    _description = "Lead Stage History"
    _order = "date desc, id desc"
    _rec_name = "stage_to_id"

    # indexed by _lead_date_idx (lead first): no single-column index to maintain on every move
    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade")
    stage_from_id = fields.Many2one(
        "crm.stage", string="From Stage", index="btree_not_null", ondelete="set null"
    )
    stage_to_id = fields.Many2one("crm.stage", string="To Stage", index=True, ondelete="set null")
    user_id = fields.Many2one("res.users", string="Moved By", ondelete="set null")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    duration_hours = fields.Float(
        string="Hours in Stage Left",
        aggregator="avg",
        help="Calendar hours the lead spent in the stage it left with this move.",
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", ondelete="set null"
    )  # see _first_entry_team_idx
    salesperson_id = fields.Many2one(
        "res.users",
        ondelete="set null",
        help="The lead's salesperson at the move.",
    )
    company_id = fields.Many2one("res.company", ondelete="cascade")
    is_won = fields.Boolean(
        string="Won", help="The lead was marked won (moved into a won stage) by this move."
    )
    is_lost = fields.Boolean(string="Lost", help="The lead was marked lost in its stage by this move.")
    is_restore = fields.Boolean(string="Restored", help="A lost lead was restored by this move.")
    source = fields.Selection(SOURCES, required=True, default="server", help="How the move was made.")
    # The entry into stage_to_id, completed by the lead's next move (see the class docstring).
    is_entry = fields.Boolean(
        string="Stage Entry", help="The lead entered a new stage (not a lost or restore mark in its stage)."
    )
    is_open = fields.Boolean(string="Current Stage", help="The lead is still in the stage this row entered.")
    # The funnel counts each lead once per stage: its first entry, which also keeps whether the
    # lead ever left that stage forward or was lost in it (a later stay may do what the first did not).
    is_first_entry = fields.Boolean(
        string="First Entry", help="The lead's first entry into this stage: the one the funnel counts."
    )
    left_date = fields.Datetime(string="Left Stage On")
    hours_in_stage = fields.Float(
        string="Hours in Stage", aggregator="avg", help="Calendar hours spent in the stage this row entered."
    )
    moved_forward = fields.Boolean(
        help="The lead left this stage for a later stage of the pipeline or a won one (on a first "
        "entry: in any of its stays in the stage).",
    )
    lost_in_stage = fields.Boolean(
        string="Lost Here",
        help="The lead was marked lost while in this stage (on a first entry: in any stay).",
    )
    won_later = fields.Boolean(help="The lead was won after entering this stage.")

    # The hook finds a lead's open entry on each move; the funnel scans entries by stage and date.
    _lead_open_uniq = models.UniqueIndex(
        "(lead_id) WHERE is_open", "This lead already has a current stage entry."
    )
    # Covering: the funnel of a team reads its first entries from the index alone (bench_funnel).
    _first_entry_team_idx = models.Index(
        "(team_id, date) INCLUDE (stage_to_id, company_id, salesperson_id, lead_id, left_date, "
        "hours_in_stage, moved_forward, lost_in_stage, won_later) WHERE is_first_entry"
    )
    _first_entry_date_idx = models.Index("(date) WHERE is_first_entry")
    _lead_date_idx = models.Index("(lead_id, date, id)")

    def init(self):
        # On install (and on the upgrade that creates the table) the leads already in the database
        # get their history from the tracking of their stage; later the hook writes it.
        self.env.cr.execute("SELECT 1 FROM linear_stage_history LIMIT 1")
        if not self.env.cr.fetchone():
            self._linear_backfill()

    @api.model
    def _linear_backfill(self):
        """History of the leads that have none, rebuilt from mail.tracking.value of stage_id:
        a first row at the lead's creation (into the stage before its first tracked change), one
        row per tracked change, a lost row for leads lost now. Team, salesperson and company are
        the lead's current ones (the tracking does not keep them). Returns the rows written."""
        cr = self.env.cr
        cr.execute("SELECT id FROM ir_model_fields WHERE model = 'crm.lead' AND name = 'stage_id'")
        field = cr.fetchone()
        if not field:
            return 0
        cr.execute(
            SQL(
                """
                CREATE TEMPORARY TABLE linear_backfill_leads ON COMMIT DROP AS
                SELECT l.id FROM crm_lead l
                 WHERE NOT EXISTS (SELECT 1 FROM linear_stage_history h WHERE h.lead_id = l.id);
                WITH tracked AS (
                    SELECT m.res_id AS lead_id, fs.id AS stage_from_id, ts.id AS stage_to_id,
                           m.date, m.author_id, m.id AS ord
                      FROM mail_tracking_value tv
                      JOIN mail_message m ON m.id = tv.mail_message_id
                      JOIN linear_backfill_leads b ON b.id = m.res_id
                 LEFT JOIN crm_stage fs ON fs.id = tv.old_value_integer
                 LEFT JOIN crm_stage ts ON ts.id = tv.new_value_integer
                     WHERE m.model = 'crm.lead' AND tv.field_id = %(field)s
                ),
                moves AS (
                    -- the creation, unless the tracking has it (a first value without an old one)
                    SELECT l.id AS lead_id, NULL::int AS stage_from_id,
                           COALESCE((SELECT t.stage_from_id FROM tracked t WHERE t.lead_id = l.id
                                      ORDER BY t.date, t.ord LIMIT 1),
                                    CASE WHEN EXISTS (SELECT 1 FROM tracked t WHERE t.lead_id = l.id)
                                         THEN NULL ELSE l.stage_id END) AS stage_to_id,
                           l.create_date AS date, NULL::int AS author_id, 0 AS ord
                      FROM crm_lead l JOIN linear_backfill_leads b ON b.id = l.id
                     WHERE NOT EXISTS (SELECT 1 FROM tracked t
                                        WHERE t.lead_id = l.id AND t.stage_from_id IS NULL)
                    UNION ALL
                    SELECT lead_id, stage_from_id, stage_to_id, date, author_id, ord FROM tracked
                ),
                ordered AS (
                    SELECT mv.*, s.is_won, s.sequence,
                           LEAD(mv.date) OVER w AS next_date,
                           LEAD(mv.stage_to_id) OVER w AS next_stage,
                           LAG(mv.date) OVER w AS prev_date,
                           BOOL_OR(COALESCE(s.is_won, FALSE)) OVER (
                               PARTITION BY mv.lead_id ORDER BY mv.date, mv.ord
                               ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS won_later
                      FROM moves mv LEFT JOIN crm_stage s ON s.id = mv.stage_to_id
                    WINDOW w AS (PARTITION BY mv.lead_id ORDER BY mv.date, mv.ord)
                )
                INSERT INTO linear_stage_history (
                    lead_id, stage_from_id, stage_to_id, user_id, date, duration_hours, team_id,
                    salesperson_id, company_id, is_won, is_lost, is_restore, source, is_entry, is_open,
                    left_date, hours_in_stage, moved_forward, lost_in_stage, won_later,
                    create_uid, create_date, write_uid, write_date)
                SELECT o.lead_id, o.stage_from_id, o.stage_to_id,
                       (SELECT u.id FROM res_users u WHERE u.partner_id = o.author_id ORDER BY u.id LIMIT 1),
                       o.date,
                       COALESCE(EXTRACT(EPOCH FROM (o.date - o.prev_date)) / 3600.0, 0),
                       l.team_id, l.user_id, l.company_id,
                       COALESCE(o.is_won, FALSE) AND o.ord > 0, FALSE, FALSE, 'backfill',
                       o.stage_to_id IS NOT NULL,
                       o.stage_to_id IS NOT NULL AND o.next_date IS NULL,
                       o.next_date,
                       COALESCE(EXTRACT(EPOCH FROM (o.next_date - o.date)) / 3600.0, 0),
                       o.next_date IS NOT NULL AND COALESCE(ns.is_won OR ns.sequence > o.sequence, FALSE),
                       o.next_date IS NULL AND l.won_status = 'lost',
                       o.won_later AND o.stage_to_id IS NOT NULL,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM ordered o
                  JOIN crm_lead l ON l.id = o.lead_id
             LEFT JOIN crm_stage ns ON ns.id = o.next_stage;
                INSERT INTO linear_stage_history (
                    lead_id, stage_from_id, stage_to_id, user_id, date, duration_hours, team_id,
                    salesperson_id, company_id, is_won, is_lost, is_restore, source, is_entry, is_open,
                    create_uid, create_date, write_uid, write_date)
                SELECT l.id, l.stage_id, l.stage_id, NULL, COALESCE(l.date_closed, l.write_date),
                       GREATEST(COALESCE(EXTRACT(EPOCH FROM (
                           COALESCE(l.date_closed, l.write_date) - h.date)) / 3600.0, 0), 0),
                       l.team_id, l.user_id, l.company_id, FALSE, TRUE, FALSE, 'backfill', FALSE, FALSE,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM crm_lead l
                  JOIN linear_backfill_leads b ON b.id = l.id
             LEFT JOIN linear_stage_history h ON h.lead_id = l.id AND h.is_open
                 WHERE l.won_status = 'lost';
                UPDATE linear_stage_history h SET is_first_entry = TRUE
                  FROM (SELECT DISTINCT ON (e.lead_id, e.stage_to_id) e.id
                          FROM linear_stage_history e JOIN linear_backfill_leads b ON b.id = e.lead_id
                         WHERE e.is_entry ORDER BY e.lead_id, e.stage_to_id, e.date, e.id) f
                 WHERE h.id = f.id;
                UPDATE linear_stage_history h
                   SET moved_forward = h.moved_forward OR s.forward, lost_in_stage = h.lost_in_stage OR s.lost
                  FROM (SELECT e.lead_id, e.stage_to_id, BOOL_OR(e.moved_forward) AS forward,
                               BOOL_OR(e.lost_in_stage) AS lost
                          FROM linear_stage_history e JOIN linear_backfill_leads b ON b.id = e.lead_id
                         WHERE e.is_entry GROUP BY e.lead_id, e.stage_to_id) s
                 WHERE h.is_first_entry AND h.lead_id = s.lead_id AND h.stage_to_id = s.stage_to_id;
                SELECT COUNT(*) FROM linear_stage_history h JOIN linear_backfill_leads b ON b.id = h.lead_id;
                """,
                field=field[0],
                uid=self.env.uid,
            )
        )
        count = cr.fetchone()[0]
        cr.execute("DROP TABLE linear_backfill_leads")
        self.invalidate_model()
        return count
