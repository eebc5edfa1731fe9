# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Message and Call clicked in headless Chromium by a restricted salesperson
(static/tests/tours/channel_outbound_tour.js): the card's Message sends through a fake Telegram on
127.0.0.1 and lists the message, a closed port gives the plain-words error; the lead's Call rings
through a fake Zadarma and lists the outgoing call."""

import json

from odoo.tests import HttpCase, tagged

from .channel_interaction_common import ChannelWorld
from .test_channel_outbound import FakeProvider


@tagged("post_install", "-at_install")
class TestChannelOutboundTour(ChannelWorld, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeProvider()
        cls.addClassCleanup(cls.fake.stop)
        w = cls.w
        w["telegram"].write({"api_key": "123:LC-token", "api_base_url": cls.fake.url})
        w["telegram"].copy(
            {"name": "LC Telegram Down", "api_key": "123:LC-down", "api_base_url": "http://127.0.0.1:9"}
        )
        w["phone"].write(
            {
                "api_key": "lc-key",
                "secret": "lc-secret",
                "api_base_url": cls.fake.url,
                "sip_number": "100",
                "sequence": 1,  # before any other telephony channel of the company (demo)
            }
        )
        w["client"].write({"telegram_chat_id": "777001"})
        cls.seller = w["seller_2"]  # the client's salesperson, restricted to own documents
        cls.seller.write({"lang": "en_US", "linear_phone_extension": "7102"})

    def test_message_from_the_card_sent_and_refused_in_plain_words(self):
        self.fake.answers["/sendMessage"] = (
            200,
            {"ok": True, "result": {"message_id": 42, "chat": {"id": 777001}}},
        )
        client = self.w["client"]
        self.start_tour(f"/odoo/res.partner/{client.id}", "linear_crm_card_message", login=self.seller.login)
        self.env.invalidate_all()
        sends = [request for request in self.fake.requests if "/sendMessage" in request[1]]
        self.assertEqual(len(sends), 1, "only the reachable channel got the message")
        self.assertEqual(json.loads(sends[0][2])["text"], "The invoice is in your mailbox")
        sent = self.env["linear.interaction"].search([("partner_id", "=", client.id)])
        self.assertEqual((sent.channel_id, sent.status), (self.w["telegram"], "sent"))

    def test_call_from_the_lead(self):
        lead = self.w["client_lead"]
        self.start_tour(f"/odoo/crm.lead/{lead.id}", "linear_crm_lead_call", login=self.seller.login)
        self.env.invalidate_all()
        self.assertTrue(self.fake.requests, "the telephony API was called")
        call = self.env["linear.interaction"].search([("lead_id", "=", lead.id)])
        self.assertEqual((call.kind, call.direction, call.user_id), ("call", "out", self.seller))
