# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

DIRECTIONS = [("export", "Export"), ("import", "Import"), ("auth", "Refused request")]
CHANNELS = [("http", "1C over HTTP"), ("manual", "Manual (wizard)")]
STATES = [("ok", "Done"), ("partial", "Done with errors"), ("failed", "Failed")]


class LinearExchangeLog(models.Model):
    """One exchange with 1C: who, when, which way, what came out, and the file itself.

    Written only by the exchange (sudo, see linear.exchange), read by accountants, deleted by
    administrators; nobody edits a log by hand."""

    _name = "linear.exchange.log"
    _description = "1C Exchange Log"
    _order = "date desc, id desc"
    _rec_name = "name"

    name = fields.Char(required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one("res.users", readonly=True, index="btree_not_null")
    company_id = fields.Many2one(
        "res.company", readonly=True, index=True, default=lambda self: self.env.company
    )
    direction = fields.Selection(DIRECTIONS, required=True, readonly=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    state = fields.Selection(STATES, required=True, readonly=True, default="ok")
    what = fields.Char(readonly=True, help="What was exchanged: counterparties, deals, a file's name.")
    count_total = fields.Integer(string="Documents", readonly=True)
    count_done = fields.Integer(string="Applied", readonly=True)
    count_skipped = fields.Integer(
        string="Skipped", readonly=True, help="Already applied before, or not imported."
    )
    count_failed = fields.Integer(string="Errors", readonly=True)
    result = fields.Text(readonly=True, help="One line per document: its number and what happened.")
    file = fields.Binary(attachment=True, readonly=True, copy=False)
    file_name = fields.Char(readonly=True)
    lead_ids = fields.Many2many(
        "crm.lead",
        "linear_exchange_log_lead_rel",
        "log_id",
        "lead_id",
        string="Exported Deals",
        readonly=True,
        help="Deals a 1C query received; they count as exchanged once 1C confirms (mode=success).",
    )
    confirmed_date = fields.Datetime(readonly=True, help="When 1C confirmed it recorded this export.")
