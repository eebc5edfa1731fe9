# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL, email_normalize, ormcache

from ..lib import handles, phones


class LinearClientLookup(models.AbstractModel):
    """Find the client behind a phone, an e-mail or a messenger handle, with its open leads.

    Every key is normalised the way it is stored (E.164 phone, normalised e-mail, lower-case
    Telegram username) and compared exactly through an index: no ``ilike`` scan, whatever the
    number of clients. Channels call :meth:`find` on every inbound call or message.
    """

    _name = "linear.client.lookup"
    _description = "Client Lookup"

    @api.model
    def _default_region(self):
        return self._company_region(self.env.company.id)

    @api.model
    @ormcache("company_id")
    def _company_region(self, company_id):
        """The company's country code, cached: every lookup (each webhook call) needs it, and
        res.company.country_id is computed from the company's partner, which costs several
        queries when the cache is cold. Cleared when a company partner's country changes."""
        self.env["res.partner"].flush_model(["country_id"])
        rows = self.env.execute_query(
            SQL(
                """SELECT c.code FROM res_company co
                     JOIN res_partner p ON p.id = co.partner_id
                     JOIN res_country c ON c.id = p.country_id
                    WHERE co.id = %s""",
                company_id,
            )
        )
        return (rows and rows[0][0]) or phones.DEFAULT_REGION

    @api.model
    def _partner_domains(self, phone=None, email=None, telegram=None, whatsapp=None):
        """(key, normalised value, partner domain, lead domain) in order of trust: the most specific
        key first. Keys that are empty or cannot be normalised are left out."""
        region = self._default_region()
        result = []
        if telegram:
            chat_id = handles.telegram_chat_id(telegram)
            username = handles.telegram_username(str(telegram))
            if chat_id:
                result.append(("telegram", chat_id, Domain("telegram_chat_id", "=", chat_id), None))
            elif username:
                result.append(("telegram", username, Domain("telegram_username", "=", username), None))
        if whatsapp:
            e164 = phones.normalize(whatsapp, region)
            if e164:
                partner_domain = Domain("whatsapp_e164", "=", e164) | Domain("phone_e164", "=", e164)
                result.append(("whatsapp", e164, partner_domain, Domain("phone_e164", "=", e164)))
        if phone:
            e164 = phones.normalize(phone, region)
            if e164:
                partner_domain = Domain("phone_e164", "=", e164) | Domain("whatsapp_e164", "=", e164)
                result.append(("phone", e164, partner_domain, Domain("phone_e164", "=", e164)))
        if email:
            normalized = email_normalize(email, strict=False)
            if normalized:
                domain = Domain("email_normalized", "=", normalized)
                result.append(("email", normalized, domain, domain))
        return result

    @api.model
    def _open_leads_domain(self):
        return Domain("won_status", "=", "pending") & Domain("active", "=", True)

    @api.model
    def _open_leads(self, key_domain, client):
        """Open leads of ``client``, plus open leads matching the key with no client yet."""
        domain = Domain.FALSE
        if key_domain is not None:
            domain = key_domain & Domain("partner_id", "=", False) if client else key_domain
        if client:
            # ids first: "partner_id IN (subquery)" OR'ed with the phone would defeat the indexes
            Partner = self.env["res.partner"].with_context(active_test=False)
            members = Partner.search([("commercial_partner_id", "=", client.id)]).ids
            domain |= Domain("partner_id", "in", members)
        if domain.is_false():
            return self.env["crm.lead"]
        return self.env["crm.lead"].search_fetch(
            domain & self._open_leads_domain(), ["partner_id"], order="id desc", limit=100
        )

    @api.private  # returns recordsets; RPC callers use find_ids
    @api.model
    def find(self, phone=None, email=None, telegram=None, whatsapp=None):
        """The client matching the first key that finds one.

        :returns: dict with ``partner`` (the commercial entity: the company, or the person when
            independent; empty recordset when nothing matched), ``contact`` (the partner that
            matched, maybe a company's employee), ``leads`` (open leads of the client, and open
            leads matching the key that have no client yet, newest first), ``matched_by`` (``'telegram'``,
            ``'whatsapp'``, ``'phone'``, ``'email'`` or ``False``), ``key`` (the normalised value)
            and ``candidates`` (every client the key matched, the chosen one first).
        """
        Partner = self.env["res.partner"]
        Lead = self.env["crm.lead"]
        result = {
            "partner": Partner,
            "contact": Partner,
            "leads": Lead,
            "matched_by": False,
            "key": False,
            "candidates": Partner,
        }
        for key, value, partner_domain, lead_domain in self._partner_domains(
            phone, email, telegram, whatsapp
        ):
            # Originals before flagged duplicates, then the oldest record; two queries in all.
            contacts = Partner.search_fetch(
                partner_domain, ["duplicate_of_id", "commercial_partner_id"], order="id", limit=50
            ).sorted(lambda p: (bool(p.duplicate_of_id), p.id))
            client = contacts[:1].commercial_partner_id
            leads = self._open_leads(lead_domain, client)
            if not contacts and not leads:
                continue
            contact = contacts[:1] or leads.partner_id[:1]
            if not client and contact:  # known by a lead's phone only: that lead's client
                client = contact.commercial_partner_id
                leads = self._open_leads(lead_domain, client)
            candidates = client | contacts.commercial_partner_id
            if not self.env.su:
                # A contact the user may open can belong to a company they may not: never name it.
                candidates = candidates._filtered_access("read")
                client = client & candidates
            result.update(
                partner=client,
                contact=contact,
                leads=leads,
                matched_by=key,
                key=value,
                candidates=candidates,
            )
            break
        return result

    @api.model
    def find_ids(self, phone=None, email=None, telegram=None, whatsapp=None):
        """:meth:`find` for JSON-RPC callers (screen pop): ids instead of recordsets."""
        found = self.find(phone=phone, email=email, telegram=telegram, whatsapp=whatsapp)
        return {
            "partner_id": found["partner"].id,
            "contact_id": found["contact"].id,
            "lead_ids": found["leads"].ids,
            "matched_by": found["matched_by"],
            "key": found["key"],
            "candidate_ids": found["candidates"].ids,
        }
