# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import json
import logging
from datetime import timedelta

import psycopg2
from werkzeug.datastructures import Headers

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.queue_job.exception import RetryableJobError

from ..lib import registry

_logger = logging.getLogger(__name__)

ADMIN = "linear_crm.group_channel_admin"
NEW, DONE, FAILED, IGNORED = "new", "done", "failed", "ignored"
STATES = [(NEW, "New"), (DONE, "Done"), (FAILED, "Failed"), (IGNORED, "Ignored")]
# what the adapter's split says an event is (lib/base.py RawEvent.kind); anything else is "other"
KINDS = [("message", "Message"), ("call", "Call"), ("status", "Status"), ("form", "Form"), ("other", "Other")]
MAX_ERROR = 2000  # characters of an error kept on the event
MAX_ATTEMPTS = 5
BACKOFF = (30, 120, 600, 1800)  # seconds before attempts 2, 3, 4, 5
REQUEUE_AFTER = 3  # minutes an event may stay new before the cron queues it again
PROCESS_AFTER = 15  # minutes after which the cron processes it itself (no job runner)
CRON_LIMIT = 1000
BATCH_SIZE = 50  # events per batch job: they commit (and notify the bus) together
JOB_MODE_PARAM = "linear_crm.channel_job_mode"
JOB_MODE_DEFAULT = "batch"  # half the door's cost of one job per event (bench/README.md)
UNSPLIT = "_linear_unsplit"  # payload key of a verified body stored whole by the door


def to_json(value):
    """JSON text for the log: readable (non-ASCII kept), or escaped when it holds lone surrogates,
    which PostgreSQL's UTF-8 would refuse."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    try:
        text.encode()
    except UnicodeEncodeError:
        text = json.dumps(value, sort_keys=True)
    return text


class LinearChannelEvent(models.Model):
    """One provider event as it arrived: the log that makes the channels exactly-once.

    The webhook door inserts the raw event (unique per channel and provider event id) before
    anything interprets it, so a repeated delivery is a no-op and nothing received is lost; a
    queue_job then parses it and hands it to linear.interaction. Rows are written by the door
    and the jobs only; channel administrators read them, retry failed ones and may delete them.
    """

    _name = "linear.channel.event"
    _description = "Channel Event"
    _order = "received_at desc, id desc"
    _rec_name = "event_id"

    channel_id = fields.Many2one(
        "linear.channel", required=True, index=True, ondelete="restrict", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    provider = fields.Selection(selection="_selection_provider", required=True, readonly=True)
    event_id = fields.Char(
        string="Provider Event ID",
        required=True,
        readonly=True,
        help="The provider's own id of this event (Telegram update_id, WhatsApp message id...): "
        "a repeated delivery carries the same id and is not processed twice.",
    )
    kind = fields.Selection(KINDS, readonly=True)
    received_at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    payload = fields.Text(readonly=True, help="The event as the provider sent it (JSON).")
    headers = fields.Text(
        readonly=True, help="Request headers kept for audit, without signatures or secrets."
    )
    state = fields.Selection(STATES, required=True, default=NEW, index=True, readonly=True)
    attempts = fields.Integer(readonly=True)
    error = fields.Text(readonly=True)
    processed_at = fields.Datetime(readonly=True)
    interaction_ids = fields.One2many(
        "linear.interaction",
        "event_id",
        string="Interactions",
        readonly=True,
        help="Calls and messages it made.",
    )

    _channel_event_uniq = models.UniqueIndex(
        "(channel_id, event_id)", "This event was already received on this channel."
    )
    _state_received_idx = models.Index("(state, received_at)")

    @api.model
    def _selection_provider(self):
        # called per request with the reader's language: the labels are marked for export in lib
        return [(key, self.env._(label)) for key, label in registry.PROVIDERS]

    # ------------------------------------------------------------------ user actions
    def action_retry(self):
        """Queue failed (or stuck new) events again; done and ignored ones stay as they are."""
        if not self.env.user.has_group(ADMIN):
            raise AccessError(self.env._("Only channel administrators may retry channel events."))
        todo = self.filtered(lambda e: e.state in (FAILED, NEW))
        if not todo:
            raise UserError(self.env._("Only failed or new events can be retried."))
        # sudo: the state is read-only for users; the admin check above is the permission.
        todo.sudo().write({"state": NEW, "error": False})
        todo.sudo()._linear_enqueue()
        return True

    # ------------------------------------------------------------------ the door's insert
    @api.model
    def _linear_store(self, channel, raw_events, headers):
        """INSERT ... ON CONFLICT DO NOTHING for each event; returns (new event ids, duplicates).

        One statement for the whole request: the unique index (channel_id, event_id) decides what is
        new, so concurrent deliveries of the same event on several servers store it once.
        """
        if not raw_events:
            return [], 0
        headers_json = to_json(headers)
        rows = [
            SQL(
                "(%s, %s, %s, %s, %s, now() at time zone 'UTC', %s, %s, 'new', 0,"
                " %s, now() at time zone 'UTC', %s, now() at time zone 'UTC')",
                channel.id,
                channel.company_id.id,
                channel.provider,
                event.event_id,
                event.kind if event.kind in dict(KINDS) else "other",  # SQL skips the selection's check
                to_json(event.payload),
                headers_json,
                self.env.uid,
                self.env.uid,
            )
            for event in raw_events
        ]
        ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """
                    INSERT INTO linear_channel_event
                        (channel_id, company_id, provider, event_id, kind, received_at, payload, headers,
                         state, attempts, create_uid, create_date, write_uid, write_date)
                    VALUES %s
                    ON CONFLICT (channel_id, event_id) DO NOTHING
                    RETURNING id
                    """,
                    SQL(", ").join(rows),
                )
            )
        ]
        return ids, len(raw_events) - len(ids)

    def _linear_enqueue(self):
        """Queue the processing of these events: one job per event, or one per channel (batch mode).

        The identity key reuses a job still waiting for the same event or channel, so the cron and a
        Retry never queue a second one. Which shape is cheaper for the door is measured in
        bench/bench_webhook_ingest.py; the system parameter linear_crm.channel_job_mode switches.
        """
        if not self:
            return
        # The job writes for the company, not in the language of whoever queued it (the door's
        # request is en_US): queue_job would keep the context's lang in the job. Dropping a key
        # takes the whole context (kwargs would only update it).
        context = {key: value for key, value in self.env.context.items() if key != "lang"}
        events = self.with_context(context)  # pylint: disable=context-overridden
        mode = self.env["ir.config_parameter"].sudo().get_param(JOB_MODE_PARAM, JOB_MODE_DEFAULT)
        if mode == "batch":
            for channel in events.channel_id:
                events.browse().with_delay(
                    description=f"Process events of channel {channel.id}",
                    identity_key=f"linear_channel:{channel.id}",
                )._linear_process_channel(channel.id)
            return
        for event in events:
            event.with_delay(
                description=f"Process channel event {event.id}",
                identity_key=f"linear_channel_event:{event.id}",
            )._linear_process()

    @api.model
    def _linear_process_channel(self, channel_id, limit=BATCH_SIZE):
        """Job (batch mode): process the events of one channel left new, oldest first."""
        # Lock them first, in the job's first statement: a concurrent job of the same channel skips
        # what this one holds, and nothing changes under this transaction's snapshot afterwards.
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM linear_channel_event WHERE channel_id = %s AND state = 'new'
                    ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""",
                channel_id,
                limit,
            )
        )
        events = self.browse([row[0] for row in rows])
        for event in events:
            event._linear_process()
        if len(events) == limit:  # more arrived meanwhile: carry on in a fresh job
            self.browse().with_delay(identity_key=f"linear_channel:{channel_id}")._linear_process_channel(
                channel_id
            )
        return f"{len(events)} events"

    def _linear_process(self):
        """Job: parse the payload with the provider's adapter and hand it to linear.interaction.

        Exactly once: the row is locked (SKIP LOCKED: a concurrent run of the same event just
        leaves) and its state re-read, so a second job, the cron and a Retry find it done. The
        work runs in a savepoint: on failure nothing of it stays, the event is marked failed with
        the error and a retry is queued with a growing delay, up to MAX_ATTEMPTS.
        """
        self.ensure_one()
        # sudo: the job acts for the provider; the event's channel may be out of the user's reach.
        # What it stores (leads, chatter, the event's note) is read later by the company's people:
        # its language, never a lang left in the job's context (jobs queued before 19.0.1.2.0).
        event = self.sudo().with_context(lang=None)
        event = event.with_context(lang=event.company_id._linear_text_lang())
        try:
            with self.env.cr.savepoint(flush=False):
                # not logged: under REPEATABLE READ, an event another job finished after this
                # transaction began is a serialization failure here, an expected answer
                self.env.cr.execute(
                    SQL(
                        "SELECT state FROM linear_channel_event WHERE id = %s FOR UPDATE SKIP LOCKED",
                        event.id,
                    ),
                    log_exceptions=False,
                )
                row = self.env.cr.fetchone()
        except psycopg2.errors.SerializationFailure:
            return "processed meanwhile by another job"
        if not row or row[0] not in (NEW, FAILED):
            return "already processed or being processed"
        event.invalidate_recordset()
        attempts = event.attempts + 1
        try:
            with self.env.cr.savepoint():
                state, note = event._linear_handle()
        except psycopg2.errors.SerializationFailure as error:
            # A concurrent update: the whole transaction is void; queue_job retries it later.
            raise RetryableJobError(str(error), seconds=5) from error
        except Exception as error:  # any failure is recorded on the event
            message = f"{type(error).__name__}: {error}"[:MAX_ERROR]
            _logger.warning("Channel event %s failed (attempt %s): %s", event.id, attempts, message)
            event.write({"state": FAILED, "attempts": attempts, "error": message})
            if attempts < MAX_ATTEMPTS:
                delay = BACKOFF[min(attempts, len(BACKOFF)) - 1]
                event.with_delay(
                    eta=delay,
                    description=f"Retry channel event {event.id}",
                    identity_key=f"linear_channel_event:{event.id}",
                )._linear_process()
            return f"failed: {message}"
        event.write(
            {
                "state": state,
                "attempts": attempts,
                "error": note or False,
                "processed_at": fields.Datetime.now(),
            }
        )
        return state

    def _linear_handle(self):
        """Interpret the event; returns (state, note). Raises on failure (the caller rolls back)."""
        payload = json.loads(self.payload)
        if isinstance(payload, dict) and UNSPLIT in payload:
            return self._linear_resplit(payload)
        normalised = registry.get(self.provider).parse(payload)
        ignored = [item for item in normalised if item.kind == "ignored"]
        reasons = "; ".join(dict.fromkeys(item.reason or "" for item in ignored if item.reason))
        if len(ignored) == len(normalised):
            return IGNORED, reasons or self.env._("Nothing in this event to process.")
        self.env["linear.interaction"]._linear_ingest(self, normalised)
        return DONE, reasons

    def _linear_resplit(self, payload):
        """A verified body the door could not cut into events: try again now (e.g. after a fix)."""
        request = payload.get("request") or {}
        raw = base64.b64decode(payload[UNSPLIT])
        adapter = registry.get(self.provider)
        events = adapter.split(
            self.channel_id._linear_conf(),
            Headers(request.get("headers") or {}),
            raw,
            request.get("query") or {},
            request.get("path") or "",
        )
        new_ids, _duplicates = self._linear_store(self.channel_id, events, request)
        self.browse(new_ids)._linear_enqueue()
        return DONE, self.env._("Split into %(count)s events.", count=len(events))

    @api.model
    def _linear_cron_requeue(self, requeue_after=REQUEUE_AFTER, process_after=PROCESS_AFTER):
        """Cron: queue again what was stored but never processed; process what waits far too long.

        An event still new after REQUEUE_AFTER lost its job (a crash between the insert and the
        enqueue, a purged queue): it is queued again (the identity key keeps one job per event).
        One still new after PROCESS_AFTER means no job runner serves this database: the cron
        processes it itself, one savepoint per event, so the channels work without the runner.
        The delays (minutes) are arguments so a tick can be simulated at once (bench/, tests).
        """
        now = fields.Datetime.now()
        stale = self.search(
            [("state", "=", NEW), ("received_at", "<", now - timedelta(minutes=requeue_after))],
            order="id",
            limit=CRON_LIMIT,
        )
        stale._linear_enqueue()
        late = stale.filtered(lambda e: e.received_at < now - timedelta(minutes=process_after))
        for event in late:
            event._linear_process()
            if self.env.context.get("cron_id"):
                self.env["ir.cron"]._commit_progress(1)
        return len(stale)
