# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The whole inbound path over real HTTP: Zadarma posts a ringing call and its missed end to the
webhook; the queued jobs make a client, an assigned lead, a screen pop, a chatter note, a timeline
row and a call-back task, and a repeated delivery changes nothing."""

import json

from odoo.tests import HttpCase, tagged
from odoo.tests.common import get_db_name

from odoo.addons.linear_crm.channel_connectors.models.linear_interaction_ingest import SCREEN_POP
from odoo.addons.queue_job.tests.common import trap_jobs

from .channel_interaction_common import ChannelWorld
from .channel_webhook_common import SECRETS, request_for

CALL = {"pbx_call_id": "in_lc_full_1", "caller_id": "79035557788", "called_did": "74951204567"}


@tagged("post_install", "-at_install")
class TestChannelFullPath(ChannelWorld, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.w["phone"].write(SECRETS["zadarma"])

    def post(self, body):
        _suffix, headers, raw = request_for("zadarma", body=body)
        key = self.w["phone"].sudo().webhook_key
        headers = dict(headers, **{"X-Odoo-Database": get_db_name()})
        response = self.url_open(f"/linear_crm/webhook/{key}", data=raw, headers=headers)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def perform(self, trap):
        for job in trap.enqueued_jobs:
            job._env = self.env(user=job.env.uid)
        trap.perform_enqueued_jobs()

    def test_missed_call_from_webhook_to_call_back_task(self):
        w = self.w
        start = {**CALL, "event": "NOTIFY_START", "call_start": "2026-11-27 10:00:00"}
        end = {**start, "event": "NOTIFY_END", "duration": "0", "disposition": "no answer"}
        last_bus = self.env["bus.bus"].sudo().search([], order="id desc", limit=1).id
        with trap_jobs() as trap:
            self.post(start)
            self.post(end)
            self.perform(trap)
            self.assertTrue(self.post(end)["duplicate"])
            self.perform(trap)
        calls = self.env["linear.interaction"].search([("external_id", "=", "in_lc_full_1")])
        self.assertEqual(len(calls), 1)
        self.assertEqual((calls.status, calls.direction), ("missed", "in"))
        client, lead = calls.partner_id, calls.lead_id
        self.assertEqual(client.phone_e164, "+79035557788")
        self.assertEqual((lead.partner_id, lead.team_id, lead.user_id), (client, w["team"], w["seller_1"]))
        self.assertEqual(lead.assignment_rule, "rotation")
        self.assertIn("+7 903 555-77-88", lead.message_ids[0].body, "a chatter note on the lead")
        self.assertEqual(client.name, "+7 903 555-77-88", "an unknown caller is named by the number")
        self.assertEqual(calls.activity_id.user_id, w["seller_1"])
        self.assertEqual(
            calls.activity_id.activity_type_id, self.env.ref("linear_crm.mail_activity_type_call_back")
        )
        self.env.flush_all()
        timeline = self.env["linear.client.timeline"].search(
            [("partner_id", "=", client.id), ("kind", "=", "call_missed")]
        )
        self.assertEqual(timeline.res_id, calls.id, "a missed call, said by the timeline's kind")
        self.env.cr.flush()
        pops = [
            json.loads(row.channel)[2]
            for row in self.env["bus.bus"].sudo().search([("id", ">", last_bus)])
            if json.loads(row.message)["type"] == SCREEN_POP
        ]
        self.assertEqual(pops, [w["seller_1"].partner_id.id])
        self.assertEqual(self.env["res.partner"].search_count([("phone_e164", "=", "+79035557788")]), 1)
