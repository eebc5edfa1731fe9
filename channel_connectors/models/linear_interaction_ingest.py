# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""From parsed provider events to clients, leads, interactions, chatter, screen pops, call-backs.

Data flow 3 of DESIGN.md after the adapter's ``parse``: the event job hands the normalised events
to :meth:`_linear_ingest`. Calls are one interaction updated by their ringing, answer and end
events; messenger statuses update the outbound message they name.
"""

from datetime import timedelta

import pytz
from markupsafe import Markup, escape

from odoo import api, fields, models

from ...crm_extensions.lib import handles, phones
from ..lib import interaction_status as st

SCREEN_POP = "linear_crm/screen_pop"
MAX_POP_LEADS = 5
TEXT_PREVIEW = 200
ORIGINATE_WINDOW = 5  # minutes between a click-to-call and the PBX's report of that call


class LinearInteraction(models.Model):
    _inherit = "linear.interaction"

    # ------------------------------------------------------------------ entry point
    @api.private
    @api.model
    def _linear_ingest(self, event, normalised_events):
        """Apply the normalised events of one channel event; return the interactions touched.

        Raises on failure, leaving nothing half-written (one savepoint for the whole event): the
        event job marks the event failed and retries it.

        Runs as superuser, on purpose: the sender is a provider, not a user, and what it brings
        belongs to whichever salesperson the rules choose, so matching a caller must read every
        client and creating the lead must write for someone else. The checks that matter still
        run because everything goes through the ORM's own create: the lead through crm.lead's
        create (instant assignment with its reason, duplicate flags, stage entry), the client
        through res.partner's (handle validation, duplicate flags), in the channel's company.
        """
        channel = event.channel_id
        company = channel.company_id or self.env.company
        # the company's language, whatever lang the caller's context holds (the door's en_US)
        lang = company.with_context(lang=None)._linear_text_lang()
        env_self = self.sudo().with_company(company).with_context(lang=lang)
        result = self.browse()
        pops = []
        with self.env.cr.savepoint():
            for item in normalised_events:
                kind = getattr(item, "kind", None)
                if kind == "call":
                    interaction, pop = env_self._linear_ingest_call(channel, event, item)
                    if pop:
                        pops.append(pop)
                elif kind == "message":
                    interaction = env_self._linear_ingest_message(channel, event, item)
                elif kind == "status":
                    interaction = env_self._linear_ingest_status(channel, item)
                else:
                    continue  # 'ignored': the adapter said why, the event keeps the reason
                result |= interaction
        # Only once everything is written: a rolled-back event must not pop up a call.
        for user, payload in pops:
            user._bus_send(SCREEN_POP, payload)
        return result.with_env(self.env)

    # ------------------------------------------------------------------ calls
    @api.model
    def _linear_ingest_call(self, channel, event, item):
        """(interaction, screen pop or None) for one call event: the call's one interaction,
        created by its first event and updated by the next ones."""
        interaction = self._linear_find(channel, "call", item.external_id) or self._linear_originated(
            channel, item
        )
        created = not interaction
        if created:
            interaction = self._linear_create_from(channel, event, item, "call")
        was_ended = bool(interaction.date_end)
        interaction._linear_apply_call(item)
        pop = None
        if created and interaction.direction == "in" and not interaction.date_end:
            pop = interaction._linear_screen_pop_target()
        if not was_ended and interaction.date_end:
            interaction._linear_post_chatter()
            if interaction.direction == "in" and interaction.status in st.CALLBACK_STATUSES:
                interaction._linear_schedule_callback(channel)
        return interaction, pop

    def _linear_apply_call(self, item):
        self.ensure_one()
        stage = getattr(item, "call_stage", None)
        vals = {}
        status = st.next_call_status(
            self.status, bool(self.date_end), getattr(item, "call_status", None), stage
        )
        if status != self.status:
            vals["status"] = status
        at = getattr(item, "occurred_at", None) or fields.Datetime.now()
        if stage == "end" and not self.date_end:
            vals["date_end"] = max(at, self.date)
            duration = st.clean_duration(getattr(item, "duration", None))
            if duration is not None:
                vals["duration"] = duration
        recording = st.safe_url(getattr(item, "recording_url", None))
        if recording and recording != self.recording_url:
            vals["recording_url"] = recording
        if stage == "answer" or status == st.ANSWERED:
            answered_by = self._linear_extension_user(getattr(item, "extension", None))
            if answered_by:
                vals["user_id"] = answered_by.id
        if vals:
            self.write(vals)

    @api.model
    def _linear_originated(self, channel, item):
        """The click-to-call interaction this outgoing call event reports, when the provider gave
        no call id on originating (Zadarma, Asterisk): the latest one of the last minutes on this
        channel to the same number, not yet linked to a provider call. It takes the call id, so
        the call is logged once."""
        if getattr(item, "direction", "in") != "out" or not item.external_id:
            return self.browse()
        region = self.env["linear.client.lookup"]._default_region()
        number = phones.normalize(getattr(item, "phone", None), region)
        if not number:
            return self.browse()
        recent = self.search(
            [
                ("channel_id", "=", channel.id),
                ("kind", "=", "call"),
                ("direction", "=", "out"),
                ("external_id", "=", False),
                ("date", ">=", fields.Datetime.now() - timedelta(minutes=ORIGINATE_WINDOW)),
            ],
            order="date desc, id desc",
            limit=20,
        )
        for interaction in recent:
            if phones.normalize(interaction.phone, region) == number:
                interaction.external_id = str(item.external_id)[:255]
                return interaction
        return self.browse()

    # ------------------------------------------------------------------ messages
    @api.model
    def _linear_ingest_message(self, channel, event, item):
        """An inbound (or echoed outbound) message: one interaction per provider message id; a
        re-delivered message with the same id changes nothing."""
        interaction = self._linear_find(channel, "message", item.external_id)
        if interaction:
            return interaction
        interaction = self._linear_create_from(channel, event, item, "message")
        interaction._linear_post_chatter()
        return interaction

    @api.model
    def _linear_ingest_status(self, channel, item):
        """A delivery status of a message we sent: never downgrades; a failure keeps the error.
        A status of a message sent elsewhere (the phone app) names nothing here: ignored."""
        interaction = self._linear_find(channel, "message", item.external_id)
        if not interaction:
            return interaction
        new_status = st.next_message_status(interaction.status, getattr(item, "message_status", None))
        if new_status == interaction.status:
            return interaction
        vals = {"status": new_status}
        if new_status == st.FAILED:
            vals["error"] = (getattr(item, "error", None) or self.env._("Not delivered"))[:500]
        interaction.write(vals)
        if new_status == st.FAILED:
            interaction._linear_post_chatter()
        return interaction

    # ------------------------------------------------------------------ creation
    @api.model
    def _linear_find(self, channel, kind, external_id):
        if not external_id:
            return self.browse()
        return self.search(
            [("channel_id", "=", channel.id), ("kind", "=", kind), ("external_id", "=", str(external_id))],
            limit=1,
        )

    @api.model
    def _linear_create_from(self, channel, event, item, kind):
        """A new interaction for ``item``, with its client and lead found or created."""
        direction = "out" if getattr(item, "direction", "in") == "out" else "in"
        contact, lead, new_client = self._linear_resolve_client(channel, item, create=direction == "in")
        at = getattr(item, "occurred_at", None) or fields.Datetime.now()
        handle = getattr(item, "handle", None)
        vals = {
            "kind": kind,
            "direction": direction,
            "channel_id": channel.id,
            "event_id": event.id,
            "partner_id": contact.id,
            "lead_id": lead.id,
            "external_id": str(item.external_id)[:255] if item.external_id else False,
            "phone": (getattr(item, "phone", None) or "")[:64] or False,
            "handle": str(handle)[:255] if handle else False,
            "text": getattr(item, "text", None) or False,
            "date": at,
            "status": st.RECEIVED if kind == "message" and direction == "in" else False,
            "new_client": new_client,
            "company_id": channel.company_id.id or self.env.company.id,
        }
        if kind == "message" and direction == "out":
            vals["status"] = st.SENT
        interaction = self.create(vals)
        responsible = interaction._linear_responsible(getattr(item, "extension", None))
        if responsible:
            interaction.user_id = responsible
        if contact:
            contact._linear_register_contact(at, channel.medium_id, channel.source_id)
        return interaction

    @api.model
    def _linear_resolve_client(self, channel, item, create):
        """(contact, open lead, whether the client is new) for the sender of ``item``.

        Matched with linear.client.lookup (phone, e-mail, Telegram chat or username, WhatsApp);
        a known client's newest open lead is used; an unknown sender becomes a client with a lead,
        and a known client without an open lead gets a new lead (every request lands in the CRM).
        ``create`` False (an outbound call or message seen by the provider): only matched.
        """
        Lookup = self.env["linear.client.lookup"]
        handle_kind = getattr(item, "handle_kind", None)
        handle = getattr(item, "handle", None)
        username = getattr(item, "username", None)
        keys = {"phone": getattr(item, "phone", None), "email": getattr(item, "email", None)}
        if handle and handle_kind == "telegram":
            keys["telegram"] = str(handle)
        elif handle and handle_kind == "whatsapp":
            keys["whatsapp"] = str(handle)
        found = Lookup.find(**keys)
        if not found["contact"] and handle_kind == "telegram" and username:
            found = Lookup.find(telegram=username)
            if found["contact"] and handle and not found["contact"].telegram_chat_id:
                found["contact"].telegram_chat_id = str(handle)  # so that replies reach the chat
        contact = found["contact"]
        company = channel.company_id
        if contact and contact.company_id and company and contact.company_id != company:
            contact = self.env["res.partner"]  # another company's client is not this channel's
            found["leads"] = self.env["crm.lead"]
        leads = found["leads"].filtered(lambda lead: not lead.company_id or lead.company_id == company)
        new_client = False
        if not contact and not leads:
            if not create or not (keys["phone"] or keys["email"] or handle):
                return self.env["res.partner"], self.env["crm.lead"], False
            contact = self._linear_create_client(channel, item)
            new_client = True
        elif not contact:
            contact = leads[:1].partner_id
        lead = leads[:1]
        if not lead and create:
            lead = self._linear_create_lead(channel, item, contact)
        return contact, lead, new_client

    @api.model
    def _linear_display_phone(self, item):
        """The sender's number as people write it (+7 903 555-77-88), else as the provider sent it."""
        raw = getattr(item, "phone", None)
        if not raw:
            return None
        region = self.env["linear.client.lookup"]._default_region()
        return phones.format_international(raw, region) or raw

    @api.model
    def _linear_sender_name(self, item):
        username = getattr(item, "username", None)
        return (
            (getattr(item, "name", None) or "").strip()
            or (username and f"@{username}")
            or self._linear_display_phone(item)
            or getattr(item, "email", None)
            or self.env._("Unknown client")
        )[:128]

    @api.model
    def _linear_create_client(self, channel, item):
        """A new client from what the sender told: number, e-mail, messenger handle (stored in
        the client card's messenger fields, so the next message finds it)."""
        handle_kind = getattr(item, "handle_kind", None)
        handle = getattr(item, "handle", None)
        vals = {
            "name": self._linear_sender_name(item),
            "phone": self._linear_display_phone(item) or False,
            "email": getattr(item, "email", None) or False,
            "company_id": channel.company_id.id or False,
            # anything later mailed to the client speaks the company's language (not ir.default's)
            "lang": (channel.company_id or self.env.company).partner_id.lang or False,
        }
        if handle_kind == "telegram":
            vals["telegram_chat_id"] = str(handle) if handle else False
            # a username the card would refuse is dropped, not the message: the chat id answers
            vals["telegram_username"] = handles.telegram_username(getattr(item, "username", None)) or False
        elif handle_kind == "whatsapp" and handle:
            number = str(handle)
            vals["whatsapp_number"] = number if number.startswith("+") else f"+{number}"
            vals["phone"] = vals["phone"] or vals["whatsapp_number"]
        return self.env["res.partner"].create(vals)

    @api.model
    def _linear_create_lead(self, channel, item, contact):
        """A lead for the request, with the channel's team and UTM (a site form's own UTM first);
        its salesperson is chosen by the instant assignment inside crm.lead's create."""
        Lead = self.env["crm.lead"]
        titles = {
            "call": self.env._("Call from %(who)s"),
            "message": self.env._("Message from %(who)s"),
        }
        who = contact.name or self._linear_sender_name(item)
        title = titles.get(item.kind, titles["message"]) % {"who": who}
        utm = getattr(item, "utm", None) or {}
        team = channel.team_id
        vals = {
            "name": title[:200],
            "partner_id": contact.id,
            "type": "lead" if team.use_leads else "opportunity",
            "team_id": team.id or False,
            "company_id": channel.company_id.id or False,
            "phone": self._linear_display_phone(item) or contact.phone or False,
            "email_from": getattr(item, "email", None) or contact.email or False,
            "contact_name": who,
            "description": getattr(item, "text", None) or False,
            "source_id": channel.source_id.id or False,
            "medium_id": channel.medium_id.id or False,
            "campaign_id": channel.campaign_id.id or False,
        }
        for key, field, model in (
            ("utm_source", "source_id", "utm.source"),
            ("utm_medium", "medium_id", "utm.medium"),
            ("utm_campaign", "campaign_id", "utm.campaign"),
        ):
            name = utm.get(key)
            if isinstance(name, str) and name.strip():
                vals[field] = Lead._find_or_create_record(model, name.strip()[:100]).id
        return Lead.create(vals)

    # ------------------------------------------------------------------ who is responsible
    @api.model
    def _linear_extension_user(self, extension):
        if not extension:
            return self.env["res.users"]
        return self.env["res.users"].search(
            [
                ("linear_phone_extension", "=", str(extension).strip()),
                ("share", "=", False),
                ("company_ids", "in", self.env.company.id),  # the channel's company (see ingest)
            ],
            limit=1,
        )

    def _linear_responsible(self, extension=None):
        """The client's salesperson, else the lead's, else the user of the extension that rang,
        else the channel's team leader. An outgoing call is the caller's: the extension first."""
        self.ensure_one()
        client = self.partner_id.commercial_partner_id
        if self.direction == "out" and extension:
            caller = self._linear_extension_user(extension)
            if caller:
                return caller
        return (
            self.partner_id.user_id
            or client.user_id
            or self.lead_id.user_id
            or self._linear_extension_user(extension)
            or self.channel_id.team_id.user_id
        )

    # ------------------------------------------------------------------ screen pop
    def _linear_screen_pop_target(self):
        """(user, payload) of the screen pop for this ringing call, or None without a responsible.

        The pop shows what the user may read, no more: the extension's user or the team leader
        may not hold this client, and then sees only the number.
        """
        self.ensure_one()
        user = self.user_id
        if not user or user.share:
            return None
        client = self.partner_id.commercial_partner_id
        partner = self.partner_id.with_user(user)._filtered_access("read")
        leads = self.env["crm.lead"]
        if client:
            leads = self.env["crm.lead"].search(
                [("partner_id", "child_of", client.id), ("won_status", "=", "pending")],
                order="id desc",
                limit=MAX_POP_LEADS,
            )
            leads = leads.with_user(user)._filtered_access("read").sudo()
        lead = self.lead_id.with_user(user)._filtered_access("read")
        return user, {
            "interaction_id": self.id,
            "phone": self.phone or "",
            "channel": self.channel_id.name,
            "partner_id": partner.id or False,
            "partner_name": partner.sudo().display_name or "",
            "new_client": self.new_client and bool(partner),
            "known_client": bool(self.partner_id),
            "lead_id": lead.id or False,
            "leads": [
                {"id": lead.id, "name": lead.name, "stage": lead.stage_id.name or ""} for lead in leads
            ],
        }

    # ------------------------------------------------------------------ chatter
    def _linear_chatter_body(self):
        self.ensure_one()
        who = self.partner_id.name or self.phone or self.handle or ""
        provider = dict(self.channel_id._fields["provider"]._description_selection(self.env)).get(
            self.channel_id.provider, ""
        )
        if self.kind == "call":
            minutes, seconds = st.format_duration(self.duration)
            status = dict(self._fields["status"]._description_selection(self.env)).get(self.status, "")
            label = self.env._("Incoming call") if self.direction == "in" else self.env._("Outgoing call")
            body = Markup("<p><b>%s</b> %s: %s, %s</p>") % (
                label,
                who,
                status,
                self.env._("%(minutes)s min %(seconds)s s", minutes=minutes, seconds=seconds),
            )
            if self.recording_url:
                body += Markup('<p><a href="%s" target="_blank" rel="noopener noreferrer">%s</a></p>') % (
                    self.recording_url,
                    self.env._("Call recording"),
                )
            return body
        if self.status == st.FAILED:
            return Markup("<p><b>%s</b> %s</p>") % (
                self.env._("Message not delivered:"),
                self.error or "",
            )
        label = (
            self.env._("%(provider)s message from %(who)s", provider=provider, who=who)
            if self.direction == "in"
            else self.env._("%(provider)s message to %(who)s", provider=provider, who=who)
        )
        text = (self.text or "")[: TEXT_PREVIEW * 10]
        return Markup("<p><b>%s</b></p><p>%s</p>") % (label, escape(text))

    def _linear_post_chatter(self):
        """A short note on the lead (else the client); the timeline lists the interaction itself,
        so the note is a notification, not a second timeline message."""
        for interaction in self:
            record = interaction.lead_id or interaction.partner_id
            if not record:
                continue
            author = (
                interaction.partner_id if interaction.direction == "in" else interaction.user_id.partner_id
            )
            record.with_context(mail_post_autofollow=False).message_post(
                body=interaction._linear_chatter_body(),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
                author_id=author.id or None,
            )

    # ------------------------------------------------------------------ missed calls
    def _linear_schedule_callback(self, channel):
        """A "Call back" activity for the responsible, due the channel's deadline after the call."""
        self.ensure_one()
        record = self.lead_id or self.partner_id
        minutes = channel.missed_call_deadline if channel.missed_call_deadline > 0 else 15
        due = (self.date_end or self.date) + timedelta(minutes=minutes)
        user = self.user_id or self._linear_responsible()
        tz = pytz.timezone(user.tz or self.env.company.partner_id.tz or "UTC")
        local_due = pytz.utc.localize(due).astimezone(tz)
        vals = {"callback_due": due}
        if record:
            who = self.partner_id.name or self.phone or ""
            user_env = self.with_context(lang=user.lang or self.env.lang).env
            activity = record.activity_schedule(
                "linear_crm.mail_activity_type_call_back",
                date_deadline=local_due.date(),
                summary=user_env._(
                    "Call back %(who)s by %(time)s", who=who, time=local_due.strftime("%H:%M")
                ),
                note=user_env._(
                    "Missed call from %(phone)s at %(at)s. Call back by %(due)s (%(tz)s).",
                    phone=self.phone or who,
                    at=pytz.utc.localize(self.date).astimezone(tz).strftime("%d.%m.%Y %H:%M"),
                    due=local_due.strftime("%d.%m.%Y %H:%M"),
                    tz=tz.zone,
                ),
                user_id=user.id or self.env.uid,
            )
            vals["activity_id"] = activity[:1].id
        self.write(vals)
