# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Data flow 4 of DESIGN.md: click-to-call and messages sent from the card, through the channel's
adapter, each logged as an outgoing interaction whose later statuses come through the webhook."""

from odoo import api, models
from odoo.exceptions import UserError

from ..lib import interaction_status as st
from ..lib import registry
from ..lib.base import ProviderError

ORIGINATE = "originate_call"
SEND = "send_message"


class LinearInteraction(models.Model):
    _inherit = "linear.interaction"

    @api.model
    def _linear_capable_providers(self, capability):
        return [key for key, adapter in registry.ADAPTERS.items() if capability in adapter.CAPABILITIES]

    @api.model
    def _linear_outbound_channels(self, capability, company):
        """Active channels of ``company`` that can do ``capability``, as the user may read them."""
        return self.env["linear.channel"].search(
            [
                ("provider", "in", self._linear_capable_providers(capability)),
                ("company_id", "=", company.id),
            ],
            order="sequence, id",
        )

    @api.model
    def _linear_check_target(self, partner, lead):
        """The user must be able to read what they call or write to: ids come from the browser."""
        if not partner and not lead:
            raise UserError(self.env._("Choose a client or a lead first."))
        for record in (partner, lead):
            if record:
                record.check_access("read")

    @api.model
    def _linear_provider_reason(self, error):
        """The adapter's plain-words reason, translated (lib marks its sentences for export)."""
        template = getattr(error, "template", None) or error.user_message
        params = getattr(error, "params", None) or {}
        try:
            return self.env._(template, **params) if params else self.env._(template)
        except (KeyError, TypeError, ValueError):
            return error.user_message

    @api.model
    def _linear_log_outbound(self, channel, kind, partner, lead, vals):
        """The outgoing interaction, written as superuser: interactions are written by the channel
        code only (salespeople have no create right, so they cannot forge a call or a status);
        the caller has checked that the user may read the client and lead."""
        company = channel.company_id
        values = {
            "kind": kind,
            "direction": "out",
            "channel_id": channel.id,
            "partner_id": partner.id or lead.partner_id.id or False,
            "lead_id": lead.id or False,
            "user_id": self.env.uid,
            "company_id": company.id,
            **vals,
        }
        return self.sudo().with_company(company).create(values).with_env(self.env)

    # ------------------------------------------------------------------ click-to-call
    @api.model
    def _linear_call_action(self, partner, lead, number):
        """The Call button of the card and the lead: place the call, tell the user to pick up."""
        self._linear_originate(partner, lead, number)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._("Calling %(number)s: pick up your phone.", number=number),
                "type": "info",
                "sticky": False,
                # closing reloads the card: its Calls & Messages count shows the new call
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _linear_originate(self, partner, lead, number):
        """Ring the user's extension, then ``number``, through the company's telephony channel."""
        self._linear_check_target(partner, lead)
        number = (number or "").strip()
        if not number:
            raise UserError(self.env._("There is no phone number to call."))
        company = lead.company_id or partner.company_id or self.env.company
        channel = self._linear_outbound_channels(ORIGINATE, company)[:1]
        if not channel:
            raise UserError(
                self.env._(
                    "No telephony channel of %(company)s can place calls. Ask an administrator to "
                    "set up a Zadarma, Mango Office or Asterisk channel.",
                    company=company.name,
                )
            )
        extension = (self.env.user.linear_phone_extension or "").strip()
        if not extension:
            raise UserError(
                self.env._(
                    "Your phone extension is not set: enter it in your preferences (Phone Extension) "
                    "so that the call rings your phone first."
                )
            )
        adapter = registry.get(channel.provider)
        try:
            call_id = adapter.originate_call(channel._linear_conf(), extension, number)
        except ProviderError as error:
            raise UserError(
                self.env._(
                    "The call could not be placed: %(reason)s", reason=self._linear_provider_reason(error)
                )
            ) from None
        return self._linear_log_outbound(
            channel,
            "call",
            partner,
            lead,
            {"external_id": call_id or False, "phone": number, "status": st.RINGING},
        )

    # ------------------------------------------------------------------ messages
    @api.model
    def _linear_recipient(self, channel, partner):
        """Where the provider delivers to: the Telegram chat id, or the WhatsApp number's digits."""
        if not partner:
            return False
        if channel.provider == "telegram":
            return partner.telegram_chat_id or False
        if channel.provider == "whatsapp":
            number = partner.whatsapp_e164 or partner.phone_e164
            return number.lstrip("+") if number else False
        return partner.phone_e164 or partner.phone or False

    @api.model
    def _linear_send_message(self, channel, partner, lead, text):
        """Send ``text`` to the client through ``channel``; the outgoing message interaction."""
        self._linear_check_target(partner, lead)
        channel.check_access("read")
        text = (text or "").strip()
        if not text:
            raise UserError(self.env._("Write a message first."))
        if channel.provider not in self._linear_capable_providers(SEND):
            raise UserError(self.env._("Channel %(channel)s cannot send messages.", channel=channel.name))
        client = partner or lead.partner_id
        to = self._linear_recipient(channel, client)
        if not to:
            raise UserError(
                self.env._(
                    "%(client)s has no address on %(channel)s: the client has to write to the channel "
                    "first (Telegram), or the card needs a WhatsApp number.",
                    client=client.display_name or lead.display_name,
                    channel=channel.name,
                )
            )
        adapter = registry.get(channel.provider)
        try:
            message_id = adapter.send_message(channel._linear_conf(), to, text)
        except ProviderError as error:
            raise UserError(
                self.env._("The message was not sent: %(reason)s", reason=self._linear_provider_reason(error))
            ) from None
        interaction = self._linear_log_outbound(
            channel,
            "message",
            client,
            lead,
            {"external_id": message_id or False, "handle": to, "text": text, "status": st.SENT},
        )
        interaction.sudo()._linear_post_chatter()
        return interaction
