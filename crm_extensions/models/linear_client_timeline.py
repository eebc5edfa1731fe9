# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The client card's timeline: one chronological, read-only list of everything about a client.

A SQL view, a UNION ALL of one SELECT per source. Each source joins its rows to the client (the
commercial partner) through indexed columns, so the view filtered on ``partner_id`` reads only that
client's rows. Sources whose app is not installed (sales, invoicing) are left out and added when
the app appears (see ``_register_hook``).

Extension point: inherit this model, add kinds with ``selection_add`` on ``kind`` and return one
more ``SQL`` from ``_timeline_sources`` (the channels add calls and messages this way). Each source
selects, in this order: ``id`` (source row id * 32 + a code of its own, so ids stay unique; codes
1-8 are taken here), ``partner_id`` (commercial partner), ``date``, ``kind``, ``name`` (one-line
summary), ``lead_id``, ``author_id`` (res.partner), ``res_model``, ``res_id``, ``message_id``; and
list the source's document model in ``_timeline_document_models``.

Who reads a row: whoever may read its document (``res_model``/``res_id``: the lead, the contact,
the meeting, the order...) and its lead if any; internal notes only internal users.
Each is the document model's own ``_search([])`` (ACL and record rules) as a correlated subquery
in the SQL, so a salesperson never reads a colleague's private lead or note on a shared client.
Rows of a model the user has no read access to, or of a model not listed, are never shown.
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.sql import create_index, table_exists

_logger = logging.getLogger(__name__)

KINDS = [
    ("message", "Message"),
    ("email", "E-mail"),
    ("note", "Note"),
    ("activity", "Activity Done"),
    ("meeting", "Meeting"),
    ("lead", "Lead Created"),
    ("stage", "Stage Change"),
    ("won", "Won"),
    ("lost", "Lost"),
    ("quotation", "Quotation"),
    ("sale_order", "Sales Order"),
    ("invoice", "Invoice"),
    ("payment", "Payment"),
]
# One line of text from an HTML body, for the summary column.
_PLAIN_TEXT = (
    "left(btrim(regexp_replace(regexp_replace(coalesce(%s, ''), '<[^>]*>', ' ', 'g'),"
    " '\\s+', ' ', 'g')), 200)"
)


class LinearClientTimeline(models.Model):
    _name = "linear.client.timeline"
    _description = "Client Timeline"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"

    partner_id = fields.Many2one(
        "res.partner", string="Client", readonly=True, help="The client (commercial entity)."
    )
    date = fields.Datetime(readonly=True)
    kind = fields.Selection(KINDS, string="Type", readonly=True)
    name = fields.Char(string="Summary", readonly=True)
    lead_id = fields.Many2one("crm.lead", readonly=True)
    author_id = fields.Many2one("res.partner", readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(string="Document", model_field="res_model", readonly=True)
    message_id = fields.Many2one("mail.message", readonly=True)

    # ------------------------------------------------------------------ access
    @api.model
    def _search(self, domain, *args, **kwargs):
        if not self.env.su:
            # Each row's document and lead (see the module docstring). This also closes the
            # history of another manager's client: its card, its leads are not the user's.
            access = Domain.custom(to_sql=lambda model, alias, query: model._timeline_access_sql(alias))
            domain = Domain(domain) & access
        return super()._search(domain, *args, **kwargs)

    def _check_access(self, operation):
        """Reading rows by id (read, export) obeys the same filter as searching them."""
        result = super()._check_access(operation)
        if result or self.env.su or not any(self._ids):
            return result
        visible = set(self._search([("id", "in", [i for i in self._ids if i])]))
        forbidden = self.filtered(lambda row: row.id not in visible)
        if not forbidden:
            return None
        return forbidden, lambda: AccessError(
            self.env._("You may not read these timeline entries: their lead or document is not yours.")
        )

    @api.model
    def _timeline_document_models(self):
        """Models a row's ``res_model`` may name; rows of other models are hidden (extension point)."""
        optional = [name for name in self._timeline_optional_sources() if self._timeline_has(name)]
        return ["res.partner", "crm.lead", "calendar.event", *optional]

    @api.model
    def _timeline_readable_sql(self, model_name, column):
        """SQL condition: the record ``column`` of ``model_name`` is readable by the current user
        (ACL and record rules), as a correlated EXISTS: cheap for the few rows of one client."""
        if model_name not in self.env or not self.env[model_name].has_access("read"):
            return SQL("FALSE")
        query = self.env[model_name].with_context(active_test=False)._search([])
        if query.is_empty():
            return SQL("FALSE")
        if not query.where_clause:
            return SQL("TRUE")
        query.add_where(SQL("%s = %s", SQL.identifier(query.table, "id"), column))
        return SQL("EXISTS(%s)", query.select(SQL("1")))

    @api.model
    def _timeline_access_sql(self, alias):
        """Rows of ``alias`` the current user may read: the document, the lead, internal notes."""
        res_model, res_id, lead_id, kind = (
            SQL.identifier(alias, name) for name in ("res_model", "res_id", "lead_id", "kind")
        )
        # Each subquery costs planning time (the filter sits above the view's UNION): a row about a
        # lead names it in lead_id too, so the lead's rules are written once, on lead_id.
        documents = SQL(" OR ").join(
            SQL(
                "(%s = %s AND %s)",
                res_model,
                name,
                SQL("%s = %s", res_id, lead_id)
                if name == "crm.lead"
                else self._timeline_readable_sql(name, res_id),
            )
            for name in self._timeline_document_models()
        )
        lead = SQL("(%s IS NULL OR %s)", lead_id, self._timeline_readable_sql("crm.lead", lead_id))
        condition = SQL("(%s) AND %s", documents, lead)
        if not self.env.user._is_internal():
            condition = SQL("%s AND %s NOT IN ('note', 'activity')", condition, kind)
        return condition

    # ------------------------------------------------------------------ sources

    @api.model
    def _timeline_sources(self):
        """One SQL SELECT per source, columns in the order given in the module docstring."""
        sources = [
            self._source_messages("res.partner"),
            self._source_messages("crm.lead"),
            self._source_stage_changes(),
            self._source_leads(),
            self._source_meetings(),
        ]
        optional = self._timeline_optional_sources()
        return sources + [source() for name, source in optional.items() if self._timeline_has(name)]

    @api.model
    def _timeline_optional_sources(self):
        return {
            "sale.order": self._source_sale_orders,
            "account.move": self._source_invoices,
            "account.payment": self._source_payments,
        }

    @api.model
    def _timeline_has(self, model_name):
        model = self.env.get(model_name)
        return model is not None and table_exists(self.env.cr, model._table)

    @api.model
    def _timeline_signature(self):
        """Which optional sources the view holds; stored as the view's comment (never empty)."""
        present = [name for name in self._timeline_optional_sources() if self._timeline_has(name)]
        return "linear timeline: " + (", ".join(present) or "core")

    @api.model
    def _source_messages(self, model_name):
        """Chatter of the client's contacts, or of its leads: messages, e-mails, notes, done activities."""
        if model_name == "res.partner":
            join = SQL("JOIN res_partner p ON m.model = 'res.partner' AND m.res_id = p.id")
            lead = SQL("NULL::int")
        else:
            join = SQL(
                "JOIN crm_lead l ON m.model = 'crm.lead' AND m.res_id = l.id"
                " JOIN res_partner p ON p.id = l.partner_id"
            )
            lead = SQL("l.id")
        return SQL(
            """
            SELECT m.id::bigint * 32 + 1 AS id, p.commercial_partner_id AS partner_id, m.date AS date,
                   CASE WHEN m.mail_activity_type_id IS NOT NULL THEN 'activity'
                        WHEN m.message_type IN ('email', 'email_outgoing') THEN 'email'
                        WHEN m.is_internal OR st.internal THEN 'note'
                        ELSE 'message' END AS kind,
                   coalesce(nullif(%(text)s, ''), m.subject) AS name,
                   %(lead)s AS lead_id, m.author_id AS author_id,
                   %(model)s::varchar AS res_model, m.res_id AS res_id, m.id AS message_id
              FROM mail_message m
              %(join)s
         LEFT JOIN mail_message_subtype st ON st.id = m.subtype_id
             WHERE m.message_type IN ('comment', 'email', 'email_outgoing')
                OR m.mail_activity_type_id IS NOT NULL
            """,
            text=SQL(_PLAIN_TEXT, SQL("m.body")),
            # a constant, not m.model: the access filter then reduces to this model's check
            model=model_name,
            lead=lead,
            join=join,
        )

    @api.model
    def _source_stage_changes(self):
        return SQL(
            """
            SELECT v.id::bigint * 32 + 2, p.commercial_partner_id, m.date, 'stage',
                   concat_ws(' → ', v.old_value_char, v.new_value_char),
                   l.id, m.author_id, 'crm.lead', l.id, m.id
              FROM mail_tracking_value v
              JOIN mail_message m ON m.id = v.mail_message_id
              JOIN crm_lead l ON m.model = 'crm.lead' AND m.res_id = l.id
              JOIN res_partner p ON p.id = l.partner_id
             WHERE v.field_id = (SELECT id FROM ir_model_fields
                                  WHERE model = 'crm.lead' AND name = 'stage_id')
            """
        )

    @api.model
    def _source_leads(self):
        """Leads created, and leads won or lost (when they were closed)."""
        return SQL(
            """
            SELECT l.id::bigint * 32 + 3, p.commercial_partner_id, l.create_date, 'lead', l.name,
                   l.id, NULL::int, 'crm.lead', l.id, NULL::int
              FROM crm_lead l
              JOIN res_partner p ON p.id = l.partner_id
            UNION ALL
            SELECT l.id::bigint * 32 + 4, p.commercial_partner_id, l.date_closed, l.won_status, l.name,
                   l.id, NULL::int, 'crm.lead', l.id, NULL::int
              FROM crm_lead l
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.won_status IN ('won', 'lost') AND l.date_closed IS NOT NULL
            """
        )

    @api.model
    def _source_meetings(self):
        return SQL(
            """
            SELECT e.id::bigint * 32 + 5, p.commercial_partner_id, e.start, 'meeting', e.name,
                   l.id, NULL::int, 'calendar.event', e.id, NULL::int
              FROM calendar_event e
              JOIN crm_lead l ON l.id = e.opportunity_id
              JOIN res_partner p ON p.id = l.partner_id
             WHERE e.active
            """
        )

    @api.model
    def _source_sale_orders(self):
        return SQL(
            """
            SELECT so.id::bigint * 32 + 6, p.commercial_partner_id, so.date_order,
                   CASE WHEN so.state IN ('draft', 'sent') THEN 'quotation' ELSE 'sale_order' END,
                   concat_ws(' ', so.name, so.amount_total::text),
                   NULL::int, NULL::int, 'sale.order', so.id, NULL::int
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state <> 'cancel'
            """
        )

    @api.model
    def _source_invoices(self):
        return SQL(
            """
            SELECT am.id::bigint * 32 + 7, p.commercial_partner_id, am.invoice_date::timestamp, 'invoice',
                   concat_ws(' ', am.name, am.amount_total::text),
                   NULL::int, NULL::int, 'account.move', am.id, NULL::int
              FROM account_move am
              JOIN res_partner p ON p.id = am.partner_id
             WHERE am.move_type IN ('out_invoice', 'out_refund') AND am.state = 'posted'
            """
        )

    @api.model
    def _source_payments(self):
        return SQL(
            """
            SELECT pay.id::bigint * 32 + 8, p.commercial_partner_id, pay.date::timestamp, 'payment',
                   concat_ws(' ', pay.name, pay.amount::text),
                   NULL::int, NULL::int, 'account.payment', pay.id, NULL::int
              FROM account_payment pay
              JOIN res_partner p ON p.id = pay.partner_id
             WHERE pay.state IN ('in_process', 'paid')
            """
        )

    # ------------------------------------------------------------------ the view
    def init(self):
        cr = self.env.cr
        if self._timeline_has("account.payment"):
            # Odoo does not index payments by partner; the timeline reads them that way.
            create_index(cr, "account_payment_partner_id_linear_idx", "account_payment", ["partner_id"])
        body = SQL("\nUNION ALL\n").join(SQL("(%s)", source) for source in self._timeline_sources())
        self.env.execute_query(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (SELECT * FROM (%s) AS timeline WHERE date IS NOT NULL)",
                SQL.identifier(self._table),
                body,
            )
        )
        self.env.execute_query(
            SQL("COMMENT ON VIEW %s IS %s", SQL.identifier(self._table), self._timeline_signature())
        )

    def _register_hook(self):
        """Rebuild the view when sales or invoicing were installed (or removed) after this module."""
        super()._register_hook()
        cr = self.env.cr
        cr.execute("SELECT obj_description(to_regclass(%s), 'pg_class')", [self._table])
        row = cr.fetchone()
        if row is None or row[0] is None or row[0] == self._timeline_signature():
            return
        try:
            with cr.savepoint():
                self.init()
        except Exception:
            _logger.warning("Could not rebuild the client timeline view", exc_info=True)

    # ------------------------------------------------------------------ actions
    def action_open_document(self):
        """Open what this line is about: the lead, the contact, the meeting, the order..."""
        self.ensure_one()
        if not self.res_model or not self.res_id or self.res_model not in self.env:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
