# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Outbound from the card (data flow 4): the composer sends through Telegram and WhatsApp and the
Call button originates through the telephony channel, all against a fake provider on 127.0.0.1;
provider errors reach the user in plain words; a salesperson cannot aim them at others' clients."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, tagged

from .channel_interaction_common import ChannelWorld, normalised


class FakeProvider:
    """A loopback HTTP server answering by path: ``answers[path fragment] = (status, json)``."""

    def __init__(self):
        self.requests = []
        self.answers = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fake.requests.append((self.command, self.path, body))
                status, data = next(
                    (answer for fragment, answer in fake.answers.items() if fragment in self.path),
                    (200, {"status": "success"}),
                )
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@tagged("post_install", "-at_install")
class TestChannelOutbound(ChannelWorld, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeProvider()
        cls.addClassCleanup(cls.fake.stop)
        w = cls.w
        w["telegram"].write({"api_key": "123:LC-token", "api_base_url": cls.fake.url})
        w["whatsapp"].write(
            {"api_key": "LC-wa-token", "api_base_url": cls.fake.url, "phone_number_id": "1055"}
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
        w["client"].write({"telegram_chat_id": "777001", "whatsapp_number": "+7 916 555-10-10"})
        w["seller_2"].linear_phone_extension = "7102"
        cls.seller = w["seller_2"]  # the client's salesperson, restricted to own documents

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.answers.clear()

    def compose(self, channel, text, lead=None):
        action = (lead or self.w["client"]).with_user(self.seller).action_linear_open_composer()
        composer = Form(
            self.env[action["res_model"]].with_user(self.seller).with_context(**action["context"])
        )
        composer.channel_id = channel
        composer.text = text
        return composer.save()

    def test_telegram_reply_from_the_lead_is_sent_and_logged(self):
        w = self.w
        self.fake.answers["/sendMessage"] = (
            200,
            {"ok": True, "result": {"message_id": 42, "chat": {"id": 777001}}},
        )
        composer = self.compose(w["telegram"], "Счёт отправил на почту", lead=w["client_lead"])
        self.assertEqual(composer.recipient, "777001")
        composer.action_send()
        ((method, path, body),) = self.fake.requests
        self.assertEqual((method, path), ("POST", "/bot123:LC-token/sendMessage"))
        self.assertEqual(json.loads(body), {"chat_id": "777001", "text": "Счёт отправил на почту"})
        sent = self.env["linear.interaction"].search([("channel_id", "=", w["telegram"].id)])
        self.assertEqual(
            (sent.kind, sent.direction, sent.status, sent.external_id, sent.user_id, sent.lead_id),
            ("message", "out", "sent", "777001:42", self.seller, w["client_lead"]),
        )
        self.assertIn("Счёт отправил на почту", w["client_lead"].message_ids[0].body)

    def test_whatsapp_send_then_statuses_update_the_message(self):
        w = self.w
        self.fake.answers["/messages"] = (200, {"messages": [{"id": "wamid.LCOUT"}]})
        self.compose(w["whatsapp"], "Добрый день!").action_send()
        ((_method, path, body),) = self.fake.requests
        self.assertTrue(path.endswith("/1055/messages"), path)
        self.assertEqual(json.loads(body)["to"], "79165551010")
        sent = self.env["linear.interaction"].search([("external_id", "=", "wamid.LCOUT")])
        self.assertEqual(sent.status, "sent")
        self.ingest(
            w["whatsapp"], normalised(kind="status", external_id="wamid.LCOUT", message_status="delivered")
        )
        self.assertEqual(sent.status, "delivered")

    def test_whatsapp_24_hour_window_is_said_in_plain_words(self):
        w = self.w
        self.fake.answers["/messages"] = (
            400,
            {
                "error": {
                    "message": "(#131047) Re-engagement message",
                    "type": "OAuthException",
                    "code": 131047,
                    "error_data": {
                        "details": "Message failed to send because more than 24 hours have passed"
                    },
                }
            },
        )
        composer = self.compose(w["whatsapp"], "Вы ещё здесь?")
        with self.assertRaises(UserError) as caught:
            composer.action_send()
        self.assertIn("24", str(caught.exception))
        self.assertNotIn("OAuthException", str(caught.exception))
        self.assertFalse(self.env["linear.interaction"].search([("channel_id", "=", w["whatsapp"].id)]))

    def test_click_to_call_originates_and_logs_an_outgoing_call(self):
        w = self.w
        action = w["client_lead"].with_user(self.seller).action_linear_call()
        self.assertEqual(action["tag"], "display_notification")
        self.assertTrue(self.fake.requests, "the telephony API was called")
        call = self.env["linear.interaction"].search([("channel_id", "=", w["phone"].id)])
        self.assertEqual(
            (call.kind, call.direction, call.status, call.user_id, call.partner_id, call.lead_id),
            ("call", "out", "ringing", self.seller, w["client"], w["client_lead"]),
        )

    def test_click_to_call_errors_in_plain_words(self):
        w = self.w
        self.seller.linear_phone_extension = False
        with self.assertRaisesRegex(UserError, "extension"):
            w["client"].with_user(self.seller).action_linear_call()
        self.seller.linear_phone_extension = "7102"
        self.fake.answers[""] = (401, {"status": "error", "message": "Not authorized"})
        with self.assertRaises(UserError):
            w["client"].with_user(self.seller).action_linear_call()
        self.assertFalse(self.env["linear.interaction"].search([("channel_id", "=", w["phone"].id)]))

    def test_a_salesperson_cannot_aim_at_another_salespersons_client(self):
        w = self.w
        other = w["seller_1"]
        with self.assertRaises(AccessError):
            w["client"].with_user(other).action_linear_call()
        with self.assertRaises(AccessError):
            self.env["linear.message.composer"].with_user(other).create(
                {"partner_id": w["client"].id, "channel_id": w["telegram"].id, "text": "forged"}
            )
        self.assertFalse(self.fake.requests)

    def test_the_pbx_report_of_a_click_to_call_completes_the_same_interaction(self):
        w = self.w
        w["client_lead"].with_user(self.seller).action_linear_call()
        call = self.env["linear.interaction"].search([("channel_id", "=", w["phone"].id)])
        self.assertFalse(call.external_id, "Zadarma's call-back answers without a call id")
        for stage, status, duration in (("start", "ringing", None), ("end", "answered", 40)):
            self.ingest(
                w["phone"],
                normalised(
                    kind="call",
                    direction="out",
                    external_id="out_lc_1",
                    phone="79165551010",
                    extension="7102",
                    call_stage=stage,
                    call_status=status,
                    duration=duration,
                ),
            )
        logged = self.env["linear.interaction"].search([("channel_id", "=", w["phone"].id)])
        self.assertEqual(logged, call, "one call, not two")
        self.assertEqual((call.external_id, call.status, call.duration), ("out_lc_1", "answered", 40))
        self.assertEqual(call.user_id, self.seller)
