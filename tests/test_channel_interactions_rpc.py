# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Calls and messages over JSON-RPC as a salesperson limited to own documents: only those of the
leads and clients they hold, whatever ids, fields or context keys the request forges."""

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .channel_interaction_common import ChannelWorld, normalised

ACCESS_ERROR = "odoo.exceptions.AccessError"


@tagged("post_install", "-at_install")
class TestChannelInteractionsRpc(ChannelWorld, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        w = cls.w
        Interaction = cls.env["linear.interaction"].sudo()
        # seller_2 holds the known client and its lead; seller_1 gets the new caller's lead
        cls.own = cls._ingest_cls(
            w["phone"],
            normalised(
                kind="call",
                external_id="rpc-own",
                phone="+7 916 555-10-10",
                call_stage="end",
                call_status="answered",
                duration=30,
            ),
        )
        cls.other = cls._ingest_cls(
            w["phone"],
            normalised(
                kind="call",
                external_id="rpc-other",
                phone="+7 903 222-33-44",
                call_stage="end",
                call_status="missed",
            ),
        )
        cls.client_only = Interaction.create(
            {
                "kind": "message",
                "direction": "in",
                "channel_id": w["telegram"].id,
                "partner_id": w["client"].id,
                "external_id": "rpc-client-only",
                "status": "received",
            }
        )
        assert cls.own.partner_id == w["client"] and cls.own.lead_id == w["client_lead"]
        assert cls.other.lead_id.user_id == w["seller_1"]

    @classmethod
    def _ingest_cls(cls, channel, item):
        event = (
            cls.env["linear.channel.event"]
            .sudo()
            .create(
                {
                    "channel_id": channel.id,
                    "company_id": channel.company_id.id,
                    "provider": channel.provider,
                    "event_id": f"rpc-{item.external_id}",
                    "kind": "call",
                    "payload": "{}",
                }
            )
        )
        return cls.env["linear.interaction"].sudo()._linear_ingest(event, [item])

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw", {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
        )

    def assertDenied(self, model, method, *args, **kwargs):
        with self.assertRaises(JsonRpcException) as caught:
            self.call(model, method, *args, **kwargs)
        self.assertEqual(str(caught.exception), ACCESS_ERROR)

    def test_restricted_salesperson_sees_own_interactions_only(self):
        self.authenticate("lc_ch_s2", "lc_ch_s2")
        ids = [self.own.id, self.other.id, self.client_only.id]
        found = self.call("linear.interaction", "search_read", [("id", "in", ids)], fields=["display_name"])
        self.assertEqual({row["id"] for row in found}, {self.own.id, self.client_only.id})
        groups = self.call("linear.interaction", "formatted_read_group", [("id", "in", ids)], [], ["__count"])
        self.assertEqual(groups[0]["__count"], 2)
        # forged ids of another salesperson's call, by read, by a context key, by a related path
        self.assertDenied("linear.interaction", "read", [self.other.id], ["phone"])
        self.assertDenied(
            "linear.interaction",
            "read",
            [self.other.id],
            ["phone"],
            context={"active_test": False, "sudo": True},
        )
        rows = self.call(
            "linear.interaction", "search_read", [("lead_id", "=", self.other.lead_id.id)], fields=["phone"]
        )
        self.assertEqual(rows, [])
        # the client timeline shows the own call, never the other one
        timeline = self.call(
            "linear.client.timeline",
            "search_read",
            [("res_model", "=", "linear.interaction")],
            fields=["res_id"],
        )
        self.assertIn(self.own.id, {row["res_id"] for row in timeline})
        self.assertNotIn(self.other.id, {row["res_id"] for row in timeline})

    def test_interactions_are_not_written_by_hand(self):
        self.authenticate("lc_ch_s2", "lc_ch_s2")
        self.assertDenied("linear.interaction", "write", [self.own.id], {"status": "missed", "duration": 1})
        self.assertDenied(
            "linear.interaction",
            "create",
            [
                {
                    "kind": "call",
                    "channel_id": self.w["phone"].id,
                    "partner_id": self.w["client"].id,
                    "status": "answered",
                }
            ],
        )
        self.assertDenied("linear.interaction", "unlink", [self.own.id])
        self.assertEqual((self.own.status, self.own.duration), ("answered", 30))

    def test_composer_and_call_refuse_forged_targets(self):
        self.authenticate("lc_ch_s1", "lc_ch_s1")  # seller_1 does not hold the known client
        self.assertDenied(
            "linear.message.composer",
            "create",
            [{"partner_id": self.w["client"].id, "channel_id": self.w["telegram"].id, "text": "forged"}],
        )
        self.assertDenied("res.partner", "action_linear_call", [self.w["client"].id])
        self.assertDenied("crm.lead", "action_linear_call", [self.w["client_lead"].id])
        self.assertFalse(self.env["linear.interaction"].search([("direction", "=", "out")]))
