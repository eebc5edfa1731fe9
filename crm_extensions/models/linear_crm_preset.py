# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import ast
import calendar
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

BIRTHDAY, CONTRACT_END, HOLIDAY, NO_CONTACT = "birthday", "contract_end", "holiday", "no_contact"
NEEDS_TEMPLATE = (BIRTHDAY, HOLIDAY)
HOLIDAY_CATCH_UP_DAYS = 7  # a campaign missed on its day (server down) still goes out that week
TALK_MESSAGE_TYPES = ("comment", "email", "email_outgoing")


class LinearCrmPreset(models.Model):
    """A ready-made business automation: off by default, switched on and tuned by a manager.

    The daily cron runs the enabled presets; each preset acts at most once per record and
    occasion (a birthday per year, a contract per end date, a campaign per year, a silence per
    last contact), which the log guarantees even when the cron runs several times a day.
    A preset belongs to one company and acts only on that company's contacts and leads (and the
    shared ones); each runs in its own savepoint, so one broken preset never stops the others.
    """

    _name = "linear.crm.preset"
    _description = "Business Automation Preset"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The preset acts on this company's contacts and leads and on shared ones.",
    )
    sequence = fields.Integer(default=10)
    code = fields.Selection(
        [
            (BIRTHDAY, "Birthday greeting"),
            (CONTRACT_END, "Contract end reminder"),
            (HOLIDAY, "Holiday campaign"),
            (NO_CONTACT, "No contact for N days"),
        ],
        string="Automation",
        required=True,
    )
    enabled = fields.Boolean(default=False, help="Disabled presets do nothing.")
    description = fields.Text(translate=True)
    days = fields.Integer(
        default=30,
        help="Contract end reminder: how many days before the end date. "
        "No contact: how many days without any contact make a task.",
    )
    holiday_month = fields.Integer(default=1)
    holiday_day = fields.Integer(default=1)
    partner_domain = fields.Char(
        string="Segment",
        default="[]",
        help="Which contacts this preset addresses (a domain on contacts).",
    )
    require_consent = fields.Boolean(
        string="Only Consenting Contacts",
        default=True,
        help="Write only to contacts who consented to mailings (Consents to Mailings on the contact). "
        "Tasks for the salesperson are scheduled either way.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        ondelete="set null",
        help="Email sent to the client (birthday greeting, holiday campaign).",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        ondelete="set null",
        help="Task scheduled for the client's salesperson.",
    )
    activity_summary = fields.Char(translate=True)
    last_run = fields.Datetime(readonly=True)
    last_result = fields.Char(readonly=True)
    log_count = fields.Integer(string="Actions Done", compute="_compute_log_count")

    _holiday_date_valid = models.Constraint(
        "CHECK(holiday_month BETWEEN 1 AND 12 AND holiday_day BETWEEN 1 AND 31)",
        "The holiday month must be 1-12 and its day 1-31.",
    )
    _days_not_negative = models.Constraint("CHECK(days >= 0)", "The number of days cannot be negative.")

    def _compute_log_count(self):
        counts = dict(
            self.env["linear.crm.preset.log"]._read_group(
                [("preset_id", "in", self.ids)], ["preset_id"], ["__count"]
            )
        )
        for preset in self:
            preset.log_count = counts.get(preset, 0)

    # ------------------------------------------------------------------ configuration checks
    def _config_problem(self):
        """What prevents this preset from running, as a message; None when it is ready."""
        self.ensure_one()
        if self.code in NEEDS_TEMPLATE and not self.mail_template_id:
            return self.env._(
                "The preset “%(name)s” needs an email template: choose one before enabling it.",
                name=self.name,
            )
        if self.code in (CONTRACT_END, NO_CONTACT) and not self.activity_type_id:
            return self.env._(
                "The preset “%(name)s” needs an activity type: choose one before enabling it.", name=self.name
            )
        expected_model = "crm.lead" if self.code == CONTRACT_END else "res.partner"
        if self.mail_template_id and self.mail_template_id.model != expected_model:
            return self.env._(
                "The email template of the preset “%(name)s” must be made for %(model)s.",
                name=self.name,
                model=expected_model,
            )
        try:
            self._segment_domain()
        except (ValueError, SyntaxError):
            return self.env._("The segment of the preset “%(name)s” is not a valid domain.", name=self.name)
        return None

    @api.constrains("enabled", "mail_template_id", "activity_type_id", "partner_domain", "code")
    def _check_ready_when_enabled(self):
        for preset in self.filtered("enabled"):
            if problem := preset._config_problem():
                raise ValidationError(problem)

    def _segment_domain(self):
        domain = Domain(ast.literal_eval(self.partner_domain or "[]"))
        domain.validate(self.env["res.partner"])
        return domain

    def _company_domain(self):
        """Records of the preset's company or shared: the cron runs as superuser, rules do not."""
        return Domain("company_id", "in", [self.company_id.id, False])

    def _consenting(self, partners):
        """The partners this preset may write to, per the client's consent to mailings."""
        return partners.filtered("mailing_consent") if self.require_consent else partners

    # ------------------------------------------------------------------ running
    @api.model
    def _cron_run(self):
        # the cron runs as superuser and sees every company's presets; each runs in its company
        for preset in self.search([("enabled", "=", True)]):
            # what a run stores (its result, activity summaries) is read later: company's language
            lang = preset.company_id._linear_text_lang()
            preset.with_company(preset.company_id).with_context(lang=lang)._run_isolated()

    def _run_isolated(self, today=None):
        """Run in a savepoint: a failure is rolled back, logged and reported, nothing else is lost."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                return self._run(today)
        except Exception as error:  # pylint: disable=broad-except  # one preset's error spares the others
            _logger.warning("Automation preset %s (%s) failed: %s", self.id, self.name, error)
            message = self.env._("Failed: %(error)s", error=str(error) or error.__class__.__name__)
            self._log_failure(today or fields.Date.context_today(self), message)
            return None

    def _log_failure(self, today, message):
        """One failure line per preset and day (the latest error), and the preset's last result."""
        Log = self.env["linear.crm.preset.log"].sudo()
        key = f"failed {today.isoformat()}"
        vals = {"preset_id": self.id, "res_model": self._name, "res_id": self.id, "key": key}
        log = Log.search([(name, "=", value) for name, value in vals.items()], limit=1)
        if log:
            log.message = message
        else:
            Log.create(dict(vals, failed=True, message=message))
        self.sudo().write({"last_run": fields.Datetime.now(), "last_result": message})

    def action_run_now(self):
        self.ensure_one()
        if not self.enabled:
            raise UserError(self.env._("Enable the preset “%(name)s” before running it.", name=self.name))
        done = self.with_company(self.company_id)._run_isolated()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info" if done is not None else "warning",
                "message": self.last_result,
                "sticky": done is None,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_view_logs(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Actions Done"),
            "res_model": "linear.crm.preset.log",
            "view_mode": "list",
            "views": [(False, "list")],
            "domain": [("preset_id", "=", self.id)],
        }

    def _run(self, today=None):
        """Run one enabled preset for `today`; return how many records it acted on, or None."""
        self.ensure_one()
        if not self.enabled:
            return None
        today = today or fields.Date.context_today(self)
        if problem := self._config_problem():
            _logger.warning("Automation preset %s skipped: %s", self.id, problem)
            self.sudo().write({"last_run": fields.Datetime.now(), "last_result": problem})
            return None
        handler = {
            BIRTHDAY: self._run_birthday,
            CONTRACT_END: self._run_contract_end,
            HOLIDAY: self._run_holiday,
            NO_CONTACT: self._run_no_contact,
        }[self.code]
        done, note = handler(today)
        message = self.env._("%(count)s record(s) processed.", count=done)
        if note:
            message = f"{message} {note}"
        self.sudo().write({"last_run": fields.Datetime.now(), "last_result": message})
        return done

    # ------------------------------------------------------------------ idempotence
    def _not_done(self, records, key):
        """Records this preset has not acted on yet for `key` (e.g. a year, a date)."""
        done = (
            self.env["linear.crm.preset.log"]
            .sudo()
            .search(
                [
                    ("preset_id", "=", self.id),
                    ("res_model", "=", records._name),
                    ("res_id", "in", records.ids),
                    ("key", "=", key),
                ]
            )
        )
        return records - records.browse(done.mapped("res_id"))

    def _mark_done(self, records, keys):
        """Log the act for each record; `keys` maps a record id to its occasion key."""
        self.env["linear.crm.preset.log"].sudo().create(
            [
                {"preset_id": self.id, "res_model": records._name, "res_id": r.id, "key": keys[r.id]}
                for r in records
            ]
        )

    # ------------------------------------------------------------------ the four presets
    def _send_template(self, records):
        for record in records:
            record.message_post_with_source(
                self.mail_template_id, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def _schedule(self, record, user, date_deadline, summary):
        record.activity_schedule(
            activity_type_id=self.activity_type_id.id,
            summary=summary,
            user_id=user.id,
            date_deadline=date_deadline,
        )

    def _run_birthday(self, today):
        Partner = self.env["res.partner"]
        days = [today.day]
        if today.month == 2 and today.day == 28 and not calendar.isleap(today.year):
            days.append(29)  # born on 29 February: greeted on the 28th in common years
        domain = (
            self._segment_domain()
            & self._company_domain()
            & Domain(
                [
                    ("birthday", "!=", False),
                    ("birthday.month_number", "=", today.month),
                    ("birthday.day_of_month", "in", days),
                ]
            )
        )
        partners = self._not_done(Partner.search(domain), str(today.year))
        self._send_template(self._consenting(partners.filtered("email")))
        if self.activity_type_id:
            summary = self.activity_summary or self.env._("Congratulate the client on their birthday")
            for partner in partners.filtered("user_id"):
                self._schedule(partner, partner.user_id, today, summary)
        self._mark_done(partners, dict.fromkeys(partners.ids, str(today.year)))
        return len(partners), None

    def _run_contract_end(self, today):
        leads = self.env["crm.lead"].search(
            Domain(
                [
                    ("contract_end_date", ">=", today),
                    ("contract_end_date", "<=", today + timedelta(days=self.days)),
                    ("user_id", "!=", False),
                ]
            )
            & self._company_domain()
        )
        segment = self._segment_domain()
        if not segment.is_true():
            leads = leads.filtered_domain(Domain("partner_id", "any", segment))
        keys = {lead.id: lead.contract_end_date.isoformat() for lead in leads}
        todo = self.env["crm.lead"]
        for key in set(keys.values()):
            todo |= self._not_done(leads.filtered(lambda lead, key=key: keys[lead.id] == key), key)
        for lead in todo:
            summary = self.activity_summary or self.env._("The contract ends soon: prepare the renewal")
            self._schedule(
                lead, lead.user_id, max(today, lead.contract_end_date - timedelta(days=1)), summary
            )
        if self.mail_template_id:
            consenting = self._consenting(todo.partner_id)
            self._send_template(todo.filtered(lambda lead: lead.partner_id in consenting))
        self._mark_done(todo, keys)
        return len(todo), None

    def _run_holiday(self, today):
        try:
            holiday = today.replace(month=self.holiday_month, day=self.holiday_day)
        except ValueError:
            return 0, self.env._("This year has no such date.")
        if not holiday <= today <= holiday + timedelta(days=HOLIDAY_CATCH_UP_DAYS):
            return 0, None
        Partner = self.env["res.partner"]
        domain = self._segment_domain() & self._company_domain() & Domain("email", "!=", False)
        if self.require_consent:
            domain &= Domain("mailing_consent", "=", True)
        partners = self._not_done(Partner.search(domain), str(today.year))
        self._send_template(partners)
        self._mark_done(partners, dict.fromkeys(partners.ids, str(today.year)))
        return len(partners), None

    def _run_no_contact(self, today):
        Partner = self.env["res.partner"]
        domain = (
            self._segment_domain()
            & self._company_domain()
            & Domain([("is_client", "=", True), ("user_id", "!=", False), ("parent_id", "=", False)])
        )
        clients = Partner.search(domain)
        last = self._last_contact_dates(clients)
        limit = today - timedelta(days=self.days)
        keys = {pid: at.date().isoformat() for pid, at in last.items() if at.date() <= limit}
        silent = clients.filtered(lambda p: p.id in keys)
        todo = Partner
        for key in set(keys.values()):
            todo |= self._not_done(silent.filtered(lambda p, key=key: keys[p.id] == key), key)
        summary = self.activity_summary or self.env._(
            "No contact for %(days)s days: get in touch", days=self.days
        )
        for partner in todo:
            self._schedule(partner, partner.user_id, today, summary)
        self._mark_done(todo, keys)
        return len(todo), None

    def _last_contact_dates(self, clients):
        """Latest message or done activity on each client, its contacts or their leads."""
        if not clients:
            return {}
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["crm.lead"].flush_model(["partner_id"])
        self.env["mail.message"].flush_model(["model", "res_id", "date", "message_type"])
        rows = self.env.execute_query(
            SQL(
                """
            WITH fam AS (
                SELECT id, commercial_partner_id AS cid
                  FROM res_partner WHERE commercial_partner_id = ANY(%(ids)s)
            ), talk AS (
                SELECT fam.cid, m.date
                  FROM mail_message m JOIN fam ON m.model = 'res.partner' AND m.res_id = fam.id
                 WHERE m.message_type IN %(types)s OR m.mail_activity_type_id IS NOT NULL
                UNION ALL
                SELECT fam.cid, m.date FROM mail_message m
                  JOIN crm_lead l ON m.model = 'crm.lead' AND m.res_id = l.id
                  JOIN fam ON fam.id = l.partner_id
                 WHERE m.message_type IN %(types)s OR m.mail_activity_type_id IS NOT NULL
            )
            SELECT p.id, GREATEST(p.create_date, MAX(talk.date))
              FROM res_partner p LEFT JOIN talk ON talk.cid = p.id
             WHERE p.id = ANY(%(ids)s)
             GROUP BY p.id, p.create_date
            """,
                ids=clients.ids,
                types=TALK_MESSAGE_TYPES,
            )
        )
        return dict(rows)
