# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Shared set-up of the interaction tests: a sales team with a rotation, channels, a client.

Events are built the way the adapters hand them over (lib.base.NormalisedEvent) and fed to
``linear.interaction._linear_ingest`` as the event job does.
"""

import dataclasses
import itertools
from datetime import datetime

from odoo.tests import new_test_user

from odoo.addons.linear_crm.channel_connectors.lib.base import NormalisedEvent

_ids = itertools.count(1)


def normalised(**values):
    """A NormalisedEvent with the contract's defaults for whatever is not given."""
    fields = {field.name for field in dataclasses.fields(NormalisedEvent)}
    defaults = {
        "kind": "call",
        "external_id": None,
        "direction": "in",
        "phone": None,
        "handle": None,
        "handle_kind": None,
        "name": None,
        "username": None,
        "email": None,
        "text": None,
        "call_status": None,
        "call_stage": None,
        "duration": None,
        "recording_url": None,
        "extension": None,
        "message_status": None,
        "error": None,
        "occurred_at": None,
        "utm": {},
        "reason": None,
    }
    defaults.update(values)
    return NormalisedEvent(**{key: value for key, value in defaults.items() if key in fields})


class ChannelWorld:
    """Mixin for TransactionCase / HttpCase: ``cls.w`` holds the people, team, channels, client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        w = cls.w = {}
        mk = new_test_user
        w["seller_1"] = mk(env, login="lc_ch_s1", groups="sales_team.group_sale_salesman", name="Seller One")
        w["seller_2"] = mk(env, login="lc_ch_s2", groups="sales_team.group_sale_salesman", name="Seller Two")
        w["leader"] = mk(
            env, login="lc_ch_lead", groups="sales_team.group_sale_salesman", name="Channel Leader"
        )
        w["operator"] = mk(env, login="lc_ch_op", groups="sales_team.group_sale_salesman", name="Operator")
        w["operator"].linear_phone_extension = "7105"
        w["team"] = env["crm.team"].create(
            {
                "name": "LC Channel Team",
                "user_id": w["leader"].id,
                "member_ids": [(6, 0, (w["seller_1"]).ids)],
                "assignment_instant": True,
            }
        )
        w["source"] = env["utm.source"].create({"name": "LC Telephony source"})
        w["medium"] = env["utm.medium"].create({"name": "LC Phone medium"})
        Channel = env["linear.channel"].sudo()
        common = {
            "team_id": w["team"].id,
            "source_id": w["source"].id,
            "medium_id": w["medium"].id,
            "company_id": env.company.id,
        }
        w["phone"] = Channel.create(
            {"name": "LC Zadarma", "provider": "zadarma", "missed_call_deadline": 20, **common}
        )
        w["telegram"] = Channel.create({"name": "LC Telegram", "provider": "telegram", **common})
        w["whatsapp"] = Channel.create({"name": "LC WhatsApp", "provider": "whatsapp", **common})
        w["client"] = env["res.partner"].create(
            {"name": "LC Known Client", "phone": "+7 916 555-10-10", "user_id": w["seller_2"].id}
        )
        w["client_lead"] = (
            env["crm.lead"]
            .with_context(linear_skip_assignment=True)
            .create(
                {
                    "name": "LC Known deal",
                    "partner_id": w["client"].id,
                    "user_id": w["seller_2"].id,
                    "team_id": w["team"].id,
                    "type": "opportunity",
                }
            )
        )

    def event(self, channel, kind="call"):
        """A stored channel event, as the webhook leaves it for the job."""
        return (
            self.env["linear.channel.event"]
            .sudo()
            .create(
                {
                    "channel_id": channel.id,
                    "company_id": channel.company_id.id,
                    "provider": channel.provider,
                    "event_id": f"lc-test-{next(_ids)}",
                    "kind": kind,
                    "payload": "{}",
                }
            )
        )

    def ingest(self, channel, *items):
        event = self.event(channel, items[0].kind if items else "call")
        return self.env["linear.interaction"].sudo()._linear_ingest(event, list(items))

    @staticmethod
    def at(hour, minute=0):
        return datetime(2026, 11, 27, hour, minute)
