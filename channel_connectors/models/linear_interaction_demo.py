# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Demo data only: secrets for the demo channels and a few calls and messages, fed through the
same ingestion as real events (clients recognised, a new client and lead, a call-back task)."""

import json
import secrets
from datetime import timedelta

from odoo import api, fields, models

from ..lib.base import NormalisedEvent

DEMO_LEAD_NAMES = {
    "demo-1002": "Пропущенный звонок с +7 903 777-11-22",
    "880011:17": "Доставка стеллажей в Тверь (Telegram)",
    "site-form-demo-1": "Оснащение офиса на 30 мест (заявка с сайта)",
}


class LinearInteraction(models.Model):
    _inherit = "linear.interaction"

    @api.model
    def _linear_demo_load(self, telegram_id, whatsapp_id, zadarma_id, site_id):
        Channel = self.env["linear.channel"].sudo()
        telegram, whatsapp, zadarma, site = (
            Channel.browse(i) for i in (telegram_id, whatsapp_id, zadarma_id, site_id)
        )
        # never ship a secret: each database draws its own (and the webhook key by the field default)
        for channel in telegram | whatsapp | zadarma | site:
            if not channel.secret:
                channel.secret = secrets.token_urlsafe(24)
        if not whatsapp.verify_token:
            whatsapp.verify_token = secrets.token_urlsafe(16)
        if self.sudo().search_count([("channel_id", "in", (telegram | whatsapp | zadarma | site).ids)]):
            return
        now = fields.Datetime.now().replace(second=0, microsecond=0)
        ago = lambda **delta: now - timedelta(**delta)  # noqa: E731
        script = [
            # Ромашка calls and is recognised by its number; the call is answered and recorded
            (
                zadarma,
                NormalisedEvent(
                    kind="call",
                    external_id="demo-1001",
                    phone="+78121234567",
                    call_stage="start",
                    call_status="ringing",
                    extension="101",
                    occurred_at=ago(days=1, minutes=40),
                ),
            ),
            (
                zadarma,
                NormalisedEvent(
                    kind="call",
                    external_id="demo-1001",
                    phone="+78121234567",
                    call_stage="end",
                    call_status="answered",
                    duration=214,
                    extension="101",
                    occurred_at=ago(days=1, minutes=36),
                    recording_url="https://demo.linia.example.ru/records/demo-1001.mp3",
                ),
            ),
            # an unknown number misses the managers: a new client, a lead and a call-back task
            (
                zadarma,
                NormalisedEvent(
                    kind="call",
                    external_id="demo-1002",
                    phone="+79037771122",
                    call_stage="start",
                    call_status="ringing",
                    occurred_at=ago(minutes=25),
                ),
            ),
            (
                zadarma,
                NormalisedEvent(
                    kind="call",
                    external_id="demo-1002",
                    phone="+79037771122",
                    call_stage="end",
                    call_status="missed",
                    duration=0,
                    occurred_at=ago(minutes=24),
                ),
            ),
            # a new client writes to the Telegram bot
            (
                telegram,
                NormalisedEvent(
                    kind="message",
                    external_id="880011:17",
                    handle="880011",
                    handle_kind="telegram",
                    name="Мария Соколова",
                    username="m_sokolova",
                    occurred_at=ago(hours=3),
                    text="Здравствуйте! Сколько стоит доставка стеллажей в Тверь?",
                ),
            ),
            # Ромашка writes from WhatsApp (its number is on the card)
            (
                whatsapp,
                NormalisedEvent(
                    kind="message",
                    external_id="wamid.DEMO-ROMASHKA-1",
                    handle="79215550102",
                    handle_kind="whatsapp",
                    name="Ромашка",
                    occurred_at=ago(hours=2),
                    text="Пришлите, пожалуйста, счёт на предоплату.",
                ),
            ),
            # a request from the site's form, with its advertising campaign
            (
                site,
                NormalisedEvent(
                    kind="message",
                    external_id="site-form-demo-1",
                    name="Ольга Иванова",
                    phone="8 (926) 410-22-33",
                    email="o.ivanova@example.ru",
                    occurred_at=ago(hours=5),
                    text="Нужна консультация по оснащению офиса на 30 мест.",
                    utm={
                        "utm_source": "yandex",
                        "utm_medium": "cpc",
                        "utm_campaign": "Офисная мебель — осень",
                    },
                ),
            ),
        ]
        Event = self.env["linear.channel.event"].sudo()
        for number, (channel, item) in enumerate(script, start=1):
            event = Event.create(
                {
                    "channel_id": channel.id,
                    "company_id": channel.company_id.id,
                    "provider": channel.provider,
                    "event_id": f"demo-{number}",
                    "kind": item.kind,
                    "payload": json.dumps({"demo": item.external_id}),
                    "state": "done",
                }
            )
            last_lead = self.env["crm.lead"].sudo().search([], order="id desc", limit=1).id
            interaction = self.sudo()._linear_ingest(event, [item])
            # Module records too, named after their channel: uninstalling deletes them first (newest
            # xmlid first), so the channels they hold on to (ondelete restrict) can go after them.
            owned = [{"xml_id": f"linear_crm.demo_channel_event_{number}", "record": event, "noupdate": True}]
            if interaction.event_id == event:  # made by this event (a call's end updates the start's)
                owned.append(
                    {
                        "xml_id": f"linear_crm.demo_channel_interaction_{number}",
                        "record": interaction,
                        "noupdate": True,
                    }
                )
            self.env["ir.model.data"]._update_xmlids(owned)
            # The demo company speaks Russian, but this module's translations load after its demo
            # data: name the requests the ingestion opened the way a Russian salesperson would.
            lead = interaction.lead_id
            if lead.id > last_lead:
                if item.external_id in DEMO_LEAD_NAMES:
                    lead.name = DEMO_LEAD_NAMES[item.external_id]
                # Owned by the module like any demo record: uninstalling removes them with it.
                self.env["ir.model.data"]._update_xmlids(
                    [
                        {
                            "xml_id": f"linear_crm.demo_channel_lead_{number}",
                            "record": lead,
                            "noupdate": True,
                        },
                        {
                            "xml_id": f"linear_crm.demo_channel_client_{number}",
                            "record": lead.partner_id,
                            "noupdate": True,
                        },
                    ]
                    if interaction.new_client
                    else [
                        {"xml_id": f"linear_crm.demo_channel_lead_{number}", "record": lead, "noupdate": True}
                    ]
                )
