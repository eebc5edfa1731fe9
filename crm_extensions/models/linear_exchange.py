# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The 1C exchange: Odoo records to CommerceML documents and back, each run logged.

The CommerceML itself (building, parsing, hardening) is ``crm_extensions/lib/commerceml.py``;
this model only reads records, applies what 1C sent through Odoo's own operations and writes
the log. It is used by the export/import wizards and by the HTTP exchange controller.

Applying a payment document: matched to a deal by its 1C id, else the deal number (CRM-<id>),
else the payer's INN and the sum; registered with Odoo's payment wizard against the deal's open
customer invoices, so invoices, deal and client finance move as for a payment typed by hand; a
deal without open invoices gets a posted customer payment (an advance of the client, linked to
the deal) that Odoo offers on the client's next invoice. An order status: lost when 1C cancelled
or deleted the order, won when it is final, else the stage named like the 1C status, through the
ordinary writes (gate, history, timing see them). Every document runs in its own savepoint: a
bad one is reported by number and reason, the others are applied; a document applied before (its
id, number and date) is skipped.
"""

import base64
import datetime
import io
import logging
import zipfile
import zlib

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.misc import format_amount

from ..lib import commerceml as cml
from .account_payment import EXCHANGE_WRITE

_logger = logging.getLogger(__name__)

ACCOUNTANT_GROUP = "linear_crm.group_linear_accountant"
FILE_LIMIT_PARAM = "linear_crm.1c_exchange_file_limit"
DEFAULT_FILE_LIMIT = 20 * 1024 * 1024
ZIP_MAX_FILES = 50
DONE, SKIPPED, FAILED = "done", "skipped", "failed"


class LinearExchange(models.AbstractModel):
    _name = "linear.exchange"
    _description = "1C Exchange (CommerceML)"

    # ------------------------------------------------------------------ access and settings
    @api.model
    def _is_exchange_user(self, user=None):
        user = user or self.env.user
        return user.has_group(ACCOUNTANT_GROUP) or user.has_group("base.group_system")

    @api.model
    def _check_exchange_access(self):
        if not self._is_exchange_user():
            raise AccessError(self.env._("Only accountants and administrators exchange data with 1C."))

    @api.model
    def _file_limit(self):
        # sudo: a technical setting every exchange reads, whatever the user may read
        value = self.env["ir.config_parameter"].sudo().get_param(FILE_LIMIT_PARAM)
        try:
            return max(int(value), 1024) if value else DEFAULT_FILE_LIMIT
        except ValueError:
            return DEFAULT_FILE_LIMIT

    @api.model
    def _id_prefix(self):
        """Odoo's identifiers in 1C start with this database's own prefix, so two databases that
        exchange with one 1C never collide and a document coming back is recognised."""
        # sudo: the database uuid is a system parameter
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid") or "00000000"
        return "lc" + uuid.replace("-", "")[:8]

    @api.model
    def _in_text_lang(self):
        """This model in the language of what the exchange writes (stage and country names sent to
        1C, log lines, chatter notes, memos): the caller's, else the user's, else the company's."""
        if self.env.context.get("lang"):
            return self
        return self.with_context(lang=self.env.user.lang or self.env.company.partner_id.lang or "en_US")

    # ------------------------------------------------------------------ identifiers
    def _partner_1c_id(self, partner):
        return partner.sudo().linear_1c_id or f"{self._id_prefix()}-partner-{partner.id}"

    def _lead_1c_id(self, lead):
        return lead.sudo().linear_1c_id or f"{self._id_prefix()}-lead-{lead.id}"

    def _lead_id_from_1c_id(self, doc_id):
        prefix = f"{self._id_prefix()}-lead-"
        if doc_id and doc_id.startswith(prefix) and doc_id[len(prefix) :].isdigit():
            return int(doc_id[len(prefix) :])
        return None

    # ------------------------------------------------------------------ export
    @api.model
    def _counterparty(self, partner):
        partner = partner.commercial_partner_id
        director = (partner.director_name or "").split()
        address = ", ".join(
            part
            for part in (partner.zip, partner.country_id.name, partner.city, partner.street, partner.street2)
            if part
        )
        fields_ = [
            (kind, value)
            for kind, value in (
                ("Почтовый индекс", partner.zip),
                ("Страна", partner.country_id.name),
                ("Город", partner.city),
                ("Улица", " ".join(filter(None, (partner.street, partner.street2)))),
            )
            if value
        ]
        accounts = tuple(
            cml.BankAccount(
                number="".join((bank.acc_number or "").split()),
                bik=bank.bank_id.bic or "",
                bank_name=bank.bank_id.name or "",
                corr_account=bank.bank_id.corr_account or "",
            )
            for bank in partner.bank_ids
        )
        return cml.Counterparty(
            id=self._partner_1c_id(partner),
            name=partner.name or "",
            full_name=partner.name or "",
            is_person=not partner.is_company,
            inn="".join((partner.vat or "").split()),
            kpp=partner.kpp or "",
            legal_address=(partner.legal_address or "").replace("\n", ", "),
            address=address,
            address_fields=tuple(fields_),
            director_last=director[0] if len(director) >= 2 else "",
            director_first=director[1] if len(director) >= 2 else "",
            director_middle=" ".join(director[2:]),
            director_position=partner.director_position or "",
            accounts=accounts,
            phone=partner.phone or "",
            email=partner.email or "",
        )

    @api.model
    def _deal_document(self, lead):
        amount = cml.money(lead.expected_revenue or 0)
        created = lead.create_date or fields.Datetime.now()
        return cml.Document(
            id=self._lead_1c_id(lead),
            number=cml.deal_number(lead.id),
            date=created.date(),
            operation=cml.OP_ORDER,
            amount=amount,
            currency=lead.company_currency.name or lead.company_id.currency_id.name or "RUB",
            counterparties=(self._counterparty(lead.partner_id),),
            lines=(cml.Line(name=lead.name or cml.deal_number(lead.id), amount=amount, price=amount, id=""),),
            time=created.time().replace(microsecond=0),
            requisites=(("Статус заказа", lead.stage_id.name or ""),),
        )

    @api.model
    def _export_leads(self, leads, *, channel, name=None, bom=False):
        """Deals as orders ("Заказ товара") with their clients' requisites: (xml bytes, log)."""
        self._check_exchange_access()
        if not self.env.context.get("lang"):  # stage and country names are sent translated
            return self._in_text_lang()._export_leads(leads, channel=channel, name=name, bom=bom)
        leads = leads.with_env(self.env).filtered("partner_id")
        now = fields.Datetime.now()
        buffer = io.BytesIO()
        stats = cml.write_exchange(
            buffer, (self._deal_document(lead) for lead in leads), generated_at=now, bom=bom
        )
        data = buffer.getvalue()
        log = self._log(
            direction="export",
            channel=channel,
            what=name or self.env._("Deals"),
            results=[(DONE, cml.deal_number(lead.id), lead.name) for lead in leads],
            warnings=stats.warnings,
            data=data,
            file_name=f"orders-{now:%Y%m%d-%H%M%S}.xml",
            lead_ids=leads.ids,
        )
        return data, log

    @api.model
    def _export_partners(self, partners, *, channel, name=None):
        """Counterparties alone: one "Прочие" document listing them (see commerceml)."""
        self._check_exchange_access()
        if not self.env.context.get("lang"):  # country names are sent translated
            return self._in_text_lang()._export_partners(partners, channel=channel, name=name)
        partners = partners.with_env(self.env).commercial_partner_id
        if not partners:
            raise UserError(self.env._("There are no counterparties to export."))
        now = fields.Datetime.now()
        stamp = f"{now:%Y%m%d%H%M%S}"
        directory = cml.counterparty_directory(
            (self._counterparty(partner) for partner in partners),
            doc_id=f"{self._id_prefix()}-clients-{stamp}",
            number=f"CP-{stamp}",
            date=now.date(),
        )
        buffer = io.BytesIO()
        stats = cml.write_exchange(buffer, [directory], generated_at=now)
        data = buffer.getvalue()
        log = self._log(
            direction="export",
            channel=channel,
            what=name or self.env._("Counterparties"),
            results=[(DONE, partner.vat or "", partner.name) for partner in partners],
            warnings=stats.warnings,
            data=data,
            file_name=f"counterparties-{now:%Y%m%d-%H%M%S}.xml",
        )
        return data, log

    @api.model
    def _pending_leads(self):
        """Deals a 1C query sends: with a client, new or changed since 1C last confirmed them."""
        domain = Domain("type", "=", "opportunity") & Domain("partner_id", "!=", False)
        domain &= Domain("company_id", "in", [*self.env.companies.ids, False])
        # sudo: accountants read every deal (bookkeeping needs them); the 1C fields are theirs
        leads = self.env["crm.lead"].sudo().search(domain, order="id")
        return leads.filtered(
            lambda lead: not lead.linear_1c_exported_date or lead.write_date > lead.linear_1c_exported_date
        ).with_env(self.env)

    # ------------------------------------------------------------------ import
    @api.model
    def _unpack(self, data, file_name):
        """The XML files of an upload: the file itself, or the .xml members of a zip (bounded)."""
        limit = self._file_limit()
        if len(data) > limit:
            raise cml.CommerceMLError(cml.MSG_TOO_BIG, size=len(data), limit=limit)
        if not data.startswith(b"PK\x03\x04"):
            return [(file_name or "exchange.xml", data)]
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            members = [info for info in archive.infolist() if not info.is_dir()]
        except (zipfile.BadZipFile, ValueError) as error:
            raise UserError(self.env._("The zip archive cannot be read: %(error)s", error=error)) from error
        xml_members = [info for info in members if info.filename.lower().endswith(".xml")]
        if not xml_members or len(members) > ZIP_MAX_FILES:
            raise UserError(
                self.env._("The zip archive must hold between 1 and %(max)s XML files.", max=ZIP_MAX_FILES)
            )
        if sum(info.file_size for info in xml_members) > limit:
            raise cml.CommerceMLError(
                cml.MSG_TOO_BIG, size=sum(info.file_size for info in xml_members), limit=limit
            )
        files = []
        for info in xml_members:
            if info.flag_bits & 0x1:
                raise UserError(self.env._("Encrypted zip archives are not accepted."))
            try:
                with archive.open(info) as member:
                    content = member.read(limit + 1)  # the declared size may lie: read no more
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
                raise UserError(
                    self.env._("The zip archive cannot be read: %(error)s", error=error)
                ) from error
            if len(content) > limit:
                raise cml.CommerceMLError(cml.MSG_TOO_BIG, size=len(content), limit=limit)
            files.append((info.filename, content))
        return files

    @api.model
    def _import_file(self, data, file_name, *, channel):
        """Read and apply one upload (XML or zip): (log, refusal). ``refusal`` says why the whole
        file was refused (malformed, bomb, too big), else None. Never raises on bad input."""
        self._check_exchange_access()
        if not self.env.context.get("lang"):  # log lines, notes and memos are stored
            return self._in_text_lang()._import_file(data, file_name, channel=channel)
        results, refusal = [], None
        try:
            for name, content in self._unpack(data, file_name):
                exchange = cml.parse_exchange(content, max_bytes=self._file_limit())
                results += self._apply(exchange, prefix=name if name != file_name else "")
        except cml.CommerceMLError as error:
            refusal = self.env._(error.reason, **error.params)
        except UserError as error:
            refusal = str(error.args[0] if error.args else error)
        if refusal:
            results.append((FAILED, file_name, refusal))
        log = self._log(
            direction="import",
            channel=channel,
            what=file_name,
            results=results,
            data=data,
            file_name=file_name or "exchange.xml",
        )
        return log, refusal

    @api.model
    def _confirm_query(self):
        """1C recorded the last query's orders (mode=success): they count as exchanged."""
        self._check_exchange_access()
        # sudo: logs and the deals' exchange date are written only by the exchange itself
        log = (
            self.env["linear.exchange.log"]
            .sudo()
            .search(
                [
                    ("direction", "=", "export"),
                    ("channel", "=", "http"),
                    ("user_id", "=", self.env.uid),
                    ("confirmed_date", "=", False),
                ],
                order="date desc, id desc",
                limit=1,
            )
        )
        if not log:
            return log
        now = self.env.cr.now()
        log.confirmed_date = now
        log.lead_ids.with_context(tracking_disable=True).write({"linear_1c_exported_date": now})
        return log

    @api.model
    def _apply(self, exchange, prefix=""):
        results = []
        tag = f"{prefix}: " if prefix else ""
        for problem in exchange.problems:
            results.append(
                (FAILED, tag + self._doc_label(problem), self.env._(problem.reason, **problem.params))
            )
        for note in exchange.skipped:
            results.append((SKIPPED, tag + self._doc_label(note), self.env._(note.reason, **note.params)))
        for kind, items, method in (
            ("status", exchange.statuses, self._apply_status),
            ("payment", exchange.payments, self._apply_payment),
        ):
            for item in items:
                label = tag + self._doc_label(item)
                try:
                    with self.env.cr.savepoint():
                        state, message = method(item)
                except (UserError, ValidationError, AccessError) as error:
                    state, message = FAILED, str(error.args[0] if error.args else error)
                except Exception as error:
                    _logger.exception("1C %s %s could not be applied", kind, label)
                    state, message = FAILED, self.env._("unexpected error: %(error)s", error=error)
                results.append((state, label, message))
        return results

    def _doc_label(self, item):
        number = getattr(item, "number", "") or ""
        doc_id = getattr(item, "id", "") or getattr(item, "doc_id", "") or ""
        date = getattr(item, "date", None)
        label = self.env._("No. %(number)s", number=number) if number else doc_id
        return f"{label} ({date:%d.%m.%Y})" if isinstance(date, datetime.date) else label

    # --- matching
    @api.model
    def _match_lead(self, doc_id, number, inn, amount):
        """The deal a 1C document is about: by 1C id, else by deal number, else by INN and sum."""
        # sudo: accountants read every deal; salespeople never reach this (access checked above)
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        company_domain = Domain("company_id", "in", [*self.env.companies.ids, False])
        if doc_id:
            own_id = self._lead_id_from_1c_id(doc_id)
            domain = Domain("id", "=", own_id) if own_id else Domain("linear_1c_id", "=", doc_id)
            lead = Lead.search(domain & company_domain, limit=1)
            if lead:
                return lead
        lead_id = cml.deal_id_from_number(number)
        if lead_id:
            lead = Lead.search(Domain("id", "=", lead_id) & company_domain, limit=1)
            if lead:
                return lead
        if not inn:
            raise UserError(
                self.env._(
                    "no deal found: 1C id %(id)s and number %(number)s are unknown and no INN is given",
                    id=doc_id or "-",
                    number=number or "-",
                )
            )
        partners = (
            self.env["res.partner"]
            .sudo()
            .search(Domain("vat", "=", inn) & Domain("company_id", "in", [*self.env.companies.ids, False]))
        )
        if not partners:
            raise UserError(self.env._("unknown counterparty: no client has INN %(inn)s", inn=inn))
        leads = Lead.search(
            Domain("partner_id", "child_of", partners.commercial_partner_id.ids)
            & Domain("type", "=", "opportunity")
            & Domain("active", "=", True)
            & company_domain
        )
        if amount is not None:
            leads = leads.filtered(lambda lead: self._lead_matches_sum(lead, amount))
        if len(leads) != 1:
            raise UserError(
                self.env._(
                    "%(count)s open deals of the client with INN %(inn)s match the sum %(amount)s; "
                    "1C must send the deal number (CRM-…)",
                    count=len(leads),
                    inn=inn,
                    amount=amount,
                )
            )
        return leads

    def _lead_matches_sum(self, lead, amount):
        invoices = self._open_invoices(lead)
        if invoices:
            return cml.money(sum(invoices.mapped("amount_residual"))) == amount
        return cml.money(lead.expected_revenue or 0) == amount

    def _open_invoices(self, lead):
        Move = self.env["account.move"]
        if "linear_lead_id" not in Move._fields:  # the deal-finance link (crm_extensions/account_move)
            return Move
        return Move.search(
            [
                ("linear_lead_id", "=", lead.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ],
            order="invoice_date_due, id",
        )

    # --- payments
    @api.model
    def _apply_payment(self, payment):
        Payment = self.env["account.payment"]
        done = Payment.sudo().search([("linear_1c_key", "=", payment.key)], limit=1)
        if done:
            return SKIPPED, self.env._("already recorded as %(payment)s", payment=done.name)
        lead = self._match_lead(payment.order_id, payment.order_number, payment.inn, payment.amount)
        company = lead.company_id or self.env.company
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", payment.currency)], limit=1)
        )
        if not currency:
            raise UserError(self.env._("unknown currency %(currency)s", currency=payment.currency))
        # cash documents go to a cash journal when the company keeps one, else to the bank
        Journal = self.env["account.journal"]
        types = ("cash", "bank") if payment.cash else ("bank",)
        journal = Journal
        for journal_type in types:
            journal = journal or Journal.search(
                [("type", "=", journal_type), ("company_id", "=", company.id)], order="sequence, id", limit=1
            )
        if not journal:
            raise UserError(self.env._("the company has no bank or cash journal for the payment"))
        memo = self.env._(
            "1C %(number)s of %(date)s", number=payment.number or payment.id, date=f"{payment.date:%d.%m.%Y}"
        )
        invoices = self._open_invoices(lead.with_company(company))
        if invoices:
            wizard = (
                self.env["account.payment.register"]
                .with_company(company)
                .with_context(active_model="account.move", active_ids=invoices.ids)
                .create(
                    {
                        "payment_date": payment.date,
                        "amount": float(payment.amount),
                        "currency_id": currency.id,
                        "journal_id": journal.id,
                        "group_payment": True,
                        "communication": memo,
                    }
                )
            )
            records = wizard._create_payments()
            how = self.env._("against %(invoices)s", invoices=", ".join(invoices.mapped("name")))
        else:
            records = Payment.with_company(company).create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": lead.partner_id.commercial_partner_id.id,
                    "amount": float(payment.amount),
                    "currency_id": currency.id,
                    "date": payment.date,
                    "journal_id": journal.id,
                    "memo": memo,
                }
            )
            records.action_post()
            how = self.env._("as an advance of the client (the deal has no open invoice)")
        # sudo: the two exchange fields are readonly in forms and set by nobody else
        records.sudo().with_context(linear_exchange_write=EXCHANGE_WRITE).write(
            {"linear_1c_key": payment.key, "linear_lead_id": lead.id}
        )
        message = self.env._(
            "Payment %(amount)s received in 1C (%(memo)s), recorded %(how)s.",
            amount=format_amount(self.env, float(payment.amount), currency),
            memo=memo,
            how=how,
        )
        # sudo: accountants do not write deals; the note tells the deal's team what 1C recorded
        lead.sudo().message_post(body=message, author_id=self.env.user.partner_id.id)
        return DONE, self.env._("%(deal)s: %(message)s", deal=cml.deal_number(lead.id), message=message)

    # --- order statuses
    @api.model
    def _apply_status(self, status):
        lead = self._match_lead(status.id, status.number, status.inn, status.amount)
        # sudo: accountants may not edit the pipeline; the status is bookkeeping's statement about
        # the order, applied through the ordinary writes (the stage gate, history and timing run)
        lead = lead.sudo()
        if lead.linear_1c_status_key == status.key:
            return SKIPPED, self.env._(
                "%(deal)s: this status was applied before", deal=cml.deal_number(lead.id)
            )
        changes = []
        if status.cancelled or status.deleted:
            if lead.active:
                lead.action_set_lost()
                changes.append(self.env._("marked lost (cancelled in 1C)"))
        else:
            stage = self._stage_for(lead, status.status)
            if status.final and not (stage and stage.is_won):
                stage = self.env["crm.stage"].search(
                    [
                        ("is_won", "=", True),
                        "|",
                        ("team_ids", "=", False),
                        ("team_ids", "in", lead.team_id.ids),
                    ],
                    limit=1,
                )
            if stage and stage != lead.stage_id:
                if not lead.active:
                    lead.action_unarchive()
                lead.write({"stage_id": stage.id})
                changes.append(self.env._("moved to «%(stage)s»", stage=stage.name))
        values = {"linear_1c_status_key": status.key}
        if status.id and not lead.linear_1c_id and not self._lead_id_from_1c_id(status.id):
            values["linear_1c_id"] = status.id
        lead.write(values)
        deal = cml.deal_number(lead.id)
        if not changes:
            return DONE, self.env._("%(deal)s: nothing to change", deal=deal)
        lead.message_post(
            body=self.env._(
                "1C order status %(status)s: %(changes)s",
                status=status.status or "-",
                changes="; ".join(changes),
            ),
            author_id=self.env.user.partner_id.id,
        )
        return DONE, self.env._("%(deal)s: %(changes)s", deal=deal, changes="; ".join(changes))

    def _stage_for(self, lead, name):
        if not name:
            return self.env["crm.stage"]
        wanted = name.strip().casefold()
        stages = self.env["crm.stage"].search(
            ["|", ("team_ids", "=", False), ("team_ids", "in", lead.team_id.ids)], order="sequence, id"
        )
        # the name 1C got from the export (the exchange's language), the user's and company's
        # names, and the English source name Odoo's own stages have
        langs = {self.env.user.lang, self.env.company.partner_id.lang, "ru_RU", "en_US"} - {False, None}
        for stage in stages:
            names = {stage.name or ""} | {stage.with_context(lang=lang).name or "" for lang in langs}
            if wanted in {n.strip().casefold() for n in names}:
                return stage
        return self.env["crm.stage"]

    # ------------------------------------------------------------------ log
    @api.model
    def _log(self, *, direction, channel, what, results, warnings=(), data=None, file_name=None, lead_ids=()):
        labels = {DONE: self.env._("done"), SKIPPED: self.env._("skipped"), FAILED: self.env._("error")}
        lines = [f"[{labels[state]}] {label}: {message}" for state, label, message in results]
        warning = self.env._("warning")  # outside the f-string, where the term export finds it
        lines += [f"[{warning}] " + self.env._(w.reason, **w.params) for w in warnings]
        failed = sum(1 for state, *_rest in results if state == FAILED)
        done = sum(1 for state, *_rest in results if state == DONE)
        state = "ok" if not failed else ("partial" if done else "failed")
        values = {
            "name": f"{fields.Datetime.now():%Y-%m-%d %H:%M:%S} {what or ''}".strip(),
            "user_id": self.env.uid,
            "company_id": self.env.company.id,
            "direction": direction,
            "channel": channel,
            "what": what,
            "state": state,
            "count_total": len(results),
            "count_done": done,
            "count_skipped": sum(1 for state, *_rest in results if state == SKIPPED),
            "count_failed": failed,
            "result": "\n".join(lines) or self.env._("Nothing to exchange."),
            "lead_ids": [fields.Command.set(list(lead_ids))],
        }
        if data is not None:
            values.update(file=base64.b64encode(data), file_name=file_name)
        # sudo: logs are written only here, never by hand (accountants read them)
        return self.env["linear.exchange.log"].sudo().create(values).with_env(self.env)

    @api.model
    def _log_refusal(self, reason, login=None):
        """A refused HTTP request (sign-in, cookie, size), for the administrator to see who knocked."""
        log = self._log(
            direction="auth",
            channel="http",
            what=login or "",
            results=[(FAILED, login or "-", reason)],
        )
        log.user_id = False  # nobody signed in: the login tried is in the log's text
        return log
