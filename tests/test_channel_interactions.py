# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""From a processed channel event to client, lead, assignment, chatter, timeline, screen pop and
call-back activity; calls updated in place; message statuses that never go down."""

import json
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from odoo.addons.linear_crm.channel_connectors.models.linear_interaction_ingest import SCREEN_POP

from .channel_interaction_common import ChannelWorld, normalised


@tagged("post_install", "-at_install")
class TestChannelInteractions(ChannelWorld, TransactionCase):
    def bus_mark(self):
        self.env.cr.flush()  # what is queued now is written now, before the mark
        last = self.env["bus.bus"].sudo().search([], order="id desc", limit=1).id
        return last, len(self.env.cr.precommit.data.get("bus.bus.values", []))

    def pops_since(self, mark):
        """(partner id, payload) of every screen pop sent since ``mark``: written to bus.bus (a
        savepoint's flush runs the pre-commit hook) or still queued for the commit."""
        last, pending = mark
        self.env.flush_all()
        written = self.env["bus.bus"].sudo().search([("id", ">", last)], order="id")
        values = [{"channel": row.channel, "message": row.message} for row in written]
        values += self.env.cr.precommit.data.get("bus.bus.values", [])[pending:]
        pops = []
        for value in values:
            message = json.loads(value["message"])
            if message["type"] == SCREEN_POP:
                channel = json.loads(value["channel"])
                self.assertEqual(channel[1], "res.partner")
                pops.append((channel[2], message["payload"]))
        return pops

    def call(self, stage, status=None, call_id="lc-call-1", phone="+7 903 111-22-33", **values):
        return normalised(
            kind="call",
            external_id=call_id,
            phone=phone,
            call_stage=stage,
            call_status=status,
            **values,
        )

    # ------------------------------------------------------------------ calls
    def test_unknown_caller_becomes_client_and_assigned_lead_with_screen_pop(self):
        w = self.w
        mark = self.bus_mark()
        interaction = self.ingest(w["phone"], self.call("start", "ringing", extension="7105"))
        self.assertEqual(len(interaction), 1)
        self.assertEqual(
            (interaction.kind, interaction.direction, interaction.status), ("call", "in", "ringing")
        )
        client, lead = interaction.partner_id, interaction.lead_id
        self.assertTrue(interaction.new_client)
        self.assertEqual(client.phone_e164, "+79031112233")
        self.assertEqual(lead.partner_id, client)
        self.assertEqual(lead.team_id, w["team"])
        self.assertEqual((lead.source_id, lead.medium_id), (w["source"], w["medium"]))
        # the existing instant assignment chose the salesperson: the team's only member
        self.assertEqual(lead.user_id, w["seller_1"])
        self.assertEqual(lead.assignment_rule, "rotation")
        self.assertEqual(interaction.user_id, w["seller_1"], "the lead's salesperson answers for it")
        self.assertEqual(client.first_contact_medium_id, w["medium"])
        pops = self.pops_since(mark)
        self.assertEqual(len(pops), 1)
        partner_id, payload = pops[0]
        self.assertEqual(partner_id, w["seller_1"].partner_id.id)
        self.assertEqual(payload["partner_id"], client.id)
        self.assertEqual(payload["lead_id"], lead.id)
        self.assertTrue(payload["new_client"])
        self.assertEqual([deal["id"] for deal in payload["leads"]], [lead.id])
        # the client timeline lists the call
        self.env.flush_all()
        rows = self.env["linear.client.timeline"].search(
            [("partner_id", "=", client.id), ("kind", "in", ("call", "call_missed"))]
        )
        self.assertEqual(rows.mapped("res_id"), [interaction.id])
        self.assertNotIn(interaction.status, rows.name, "no untranslated status key in the summary")
        self.assertEqual(rows.res_model, "linear.interaction")
        self.assertEqual(rows.lead_id, lead)

    def test_ringing_answer_end_update_one_interaction_and_post_once(self):
        w = self.w
        first = self.ingest(w["phone"], self.call("start", "ringing", occurred_at=self.at(9, 0)))
        lead = first.lead_id
        messages_before = len(lead.message_ids)
        mark = self.bus_mark()
        answered = self.ingest(w["phone"], self.call("answer", "answered", extension="7105"))
        self.assertEqual(answered, first)
        self.assertEqual(first.status, "answered")
        self.assertEqual(first.user_id, w["operator"], "who answered (extension 7105)")
        self.assertFalse(self.pops_since(mark), "only the ringing pops up")
        recording = "https://api.zadarma.com/rec/lc-call-1.mp3"
        end = self.call("end", "answered", duration=125, recording_url=recording, occurred_at=self.at(9, 3))
        self.assertEqual(self.ingest(w["phone"], end), first)
        self.assertEqual((first.status, first.duration, first.recording_url), ("answered", 125, recording))
        self.assertEqual(first.date_end, self.at(9, 3))
        new_messages = lead.message_ids[: len(lead.message_ids) - messages_before]
        self.assertEqual(len(new_messages), 1)
        self.assertIn(recording, new_messages.body)
        # written in the company's language (the job has no user's)
        lang = w["phone"].company_id._linear_text_lang()
        self.assertEqual(new_messages.body, first.with_context(lang=lang)._linear_chatter_body())
        # a re-delivered end (another provider id) and a late ringing change nothing
        self.ingest(w["phone"], self.call("end", "missed", duration=3))
        self.ingest(w["phone"], self.call("start", "ringing"))
        self.assertEqual((first.status, first.duration), ("answered", 125))
        self.assertEqual(len(lead.message_ids), messages_before + 1)
        self.assertEqual(self.env["linear.interaction"].search_count([("external_id", "=", "lc-call-1")]), 1)
        self.assertFalse(first.activity_id)

    def test_missed_call_schedules_call_back_with_the_channel_deadline(self):
        w = self.w
        w["seller_1"].tz = "Europe/Moscow"
        self.ingest(w["phone"], self.call("start", "ringing", occurred_at=self.at(10, 0)))
        interaction = self.ingest(
            w["phone"], self.call("end", "missed", duration=0, occurred_at=self.at(10, 1))
        )
        self.assertEqual(interaction.status, "missed")
        self.assertEqual(interaction.callback_due, self.at(10, 21), "20 minutes after the end")
        activity = interaction.activity_id
        self.assertEqual(activity.activity_type_id, self.env.ref("linear_crm.mail_activity_type_call_back"))
        self.assertEqual(activity.user_id, w["seller_1"])
        self.assertEqual((activity.res_model, activity.res_id), ("crm.lead", interaction.lead_id.id))
        self.assertEqual(str(activity.date_deadline), "2026-11-27")
        self.assertIn("13:21", activity.summary, "the exact time, in the user's time zone")

    def test_known_client_attaches_to_open_lead_and_pops_to_its_salesperson(self):
        w = self.w
        leads_before = self.env["crm.lead"].search_count([])
        partners_before = self.env["res.partner"].search_count([])
        mark = self.bus_mark()
        interaction = self.ingest(
            w["phone"], self.call("start", "ringing", call_id="lc-k1", phone="8 (916) 555-10-10")
        )
        self.assertEqual(interaction.partner_id, w["client"])
        self.assertEqual(interaction.lead_id, w["client_lead"])
        self.assertFalse(interaction.new_client)
        self.assertEqual(self.env["crm.lead"].search_count([]), leads_before)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
        self.assertEqual(
            [partner for partner, _payload in self.pops_since(mark)], [w["seller_2"].partner_id.id]
        )

    def test_anonymous_call_pops_create_client_to_the_extension_user(self):
        w = self.w
        mark = self.bus_mark()
        interaction = self.ingest(
            w["phone"], self.call("start", "ringing", call_id="lc-anon", phone=None, extension="7105")
        )
        self.assertFalse(interaction.partner_id)
        self.assertFalse(interaction.lead_id)
        ((partner_id, payload),) = self.pops_since(mark)
        self.assertEqual(partner_id, w["operator"].partner_id.id)
        self.assertFalse(payload["partner_id"])

    def test_failure_leaves_no_half_created_client(self):
        w = self.w
        Interaction = type(self.env["linear.interaction"])
        with (
            patch.object(Interaction, "_linear_create_lead", side_effect=RuntimeError("boom")),
            self.assertRaises(RuntimeError),
        ):
            self.ingest(
                w["phone"], self.call("start", "ringing", call_id="lc-fail", phone="+7 903 999-00-11")
            )
        self.assertFalse(self.env["res.partner"].search([("phone_e164", "=", "+79039990011")]))
        self.assertFalse(self.env["linear.interaction"].search([("external_id", "=", "lc-fail")]))

    # ------------------------------------------------------------------ messages
    def test_telegram_messages_find_the_chat_and_keep_one_lead(self):
        w = self.w
        message = normalised(
            kind="message",
            external_id="tg-1",
            handle="5550001",
            handle_kind="telegram",
            name="Иван Петров",
            username="ivan_petrov",
            text="Здравствуйте, нужен счёт",
        )
        first = self.ingest(w["telegram"], message)
        client = first.partner_id
        self.assertEqual(
            (client.name, client.telegram_chat_id, client.telegram_username),
            ("Иван Петров", "5550001", "ivan_petrov"),
        )
        self.assertEqual(first.status, "received")
        self.assertIn("Здравствуйте, нужен счёт", first.lead_id.message_ids[0].body)
        self.assertEqual(self.ingest(w["telegram"], message), first, "a re-delivery changes nothing")
        second = self.ingest(
            w["telegram"],
            normalised(
                kind="message", external_id="tg-2", handle="5550001", handle_kind="telegram", text="И ещё"
            ),
        )
        self.assertNotEqual(second, first)
        self.assertEqual((second.partner_id, second.lead_id), (client, first.lead_id))

    def test_telegram_sender_with_a_username_the_card_refuses_still_lands(self):
        message = normalised(
            kind="message",
            external_id="tg-bad-1",
            handle="5550004",
            handle_kind="telegram",
            username="bad user name!!",
            text="x",
        )
        interaction = self.ingest(self.w["telegram"], message)
        self.assertTrue(interaction.lead_id, "the message reaches the CRM")
        self.assertEqual(
            (interaction.partner_id.telegram_chat_id, interaction.partner_id.telegram_username),
            ("5550004", False),
        )

    def test_site_form_lead_carries_its_utm(self):
        w = self.w
        form = normalised(
            kind="message",
            external_id="form-1",
            name="Ольга",
            phone="+7 912 000-11-22",
            email="olga@example.com",
            text="Перезвоните мне",
            utm={"utm_source": "yandex", "utm_medium": "cpc", "utm_campaign": "LC winter"},
        )
        lead = self.ingest(w["telegram"], form).lead_id
        self.assertEqual(lead.source_id.name, "yandex")
        self.assertEqual(lead.medium_id.name, "cpc")
        self.assertEqual(lead.campaign_id.name, "LC winter")
        self.assertEqual(lead.email_from, "olga@example.com")

    def test_message_statuses_never_downgrade_and_failure_keeps_the_error(self):
        w = self.w
        Interaction = self.env["linear.interaction"].sudo()
        sent = Interaction.create(
            {
                "kind": "message",
                "direction": "out",
                "channel_id": w["whatsapp"].id,
                "partner_id": w["client"].id,
                "lead_id": w["client_lead"].id,
                "external_id": "wamid.LC1",
                "status": "sent",
            }
        )

        def status(value, external_id="wamid.LC1", error=None):
            return normalised(kind="status", external_id=external_id, message_status=value, error=error)

        self.ingest(w["whatsapp"], status("read"))
        self.assertEqual(sent.status, "read", "read without delivered first: read implies delivered")
        for late in ("delivered", "sent", "failed"):
            self.ingest(w["whatsapp"], status(late))
            self.assertEqual(sent.status, "read", late)
        other = sent.copy({"external_id": "wamid.LC2", "status": "sent"})
        error = "Message failed to send because more than 24 hours have passed"
        self.ingest(w["whatsapp"], status("failed", "wamid.LC2", error))
        self.assertEqual((other.status, other.error), ("failed", error))
        self.assertIn(error, w["client_lead"].message_ids[0].body)
        # a status of a message sent elsewhere names nothing here
        self.assertFalse(self.ingest(w["whatsapp"], status("read", "wamid.unknown")))

    # ------------------------------------------------------------------ demo
    def test_demo_loader_feeds_calls_and_messages_through_ingestion(self):
        Channel = self.env["linear.channel"].sudo()
        channels = [
            Channel.create(
                {"name": f"LC demo {provider}", "provider": provider, "team_id": self.w["team"].id}
            )
            for provider in ("telegram", "whatsapp", "zadarma", "generic")
        ]
        self.env["linear.interaction"]._linear_demo_load(*(channel.id for channel in channels))
        self.assertTrue(all(channel.secret for channel in channels), "each database draws its own secrets")
        interactions = self.env["linear.interaction"].search([("channel_id", "in", [c.id for c in channels])])
        self.assertEqual(len(interactions), 5, "two calls (updated in place) and three messages")
        missed = interactions.filtered(lambda i: i.status == "missed")
        self.assertTrue(missed.activity_id, "the missed call asks for a call-back")
        self.assertTrue(all(interactions.mapped("partner_id")))
        self.assertIn("Оснащение офиса на 30 мест (заявка с сайта)", interactions.lead_id.mapped("name"))
        self.env["linear.interaction"]._linear_demo_load(*(channel.id for channel in channels))
        self.assertEqual(
            self.env["linear.interaction"].search_count([("channel_id", "in", [c.id for c in channels])]), 5
        )

    # ------------------------------------------------------------------ through the event job
    def test_zadarma_events_through_the_job_to_a_call_back_task(self):
        """The stored provider events, processed by the event job (adapter parse, then ingest)."""
        w = self.w
        Event = self.env["linear.channel.event"].sudo()
        base = {"pbx_call_id": "in_lc_job_1", "caller_id": "+79035551234", "called_did": "74951204567"}
        mark = self.bus_mark()
        events = Event.browse()
        for number, extra in enumerate(
            (
                {"event": "NOTIFY_START", "call_start": "2026-11-27 10:00:00"},
                {
                    "event": "NOTIFY_END",
                    "call_start": "2026-11-27 10:00:00",
                    "duration": "0",
                    "disposition": "no answer",
                },
            )
        ):
            events |= Event.create(
                {
                    "channel_id": w["phone"].id,
                    "company_id": w["phone"].company_id.id,
                    "provider": "zadarma",
                    "event_id": f"in_lc_job_1:{number}",
                    "kind": "call",
                    "payload": json.dumps({**base, **extra}),
                }
            )
        for event in events:
            event._linear_process()
        self.assertEqual(events.mapped("state"), ["done", "done"], events.mapped("error"))
        call = self.env["linear.interaction"].search([("external_id", "=", "in_lc_job_1")])
        self.assertEqual((call.status, call.direction, call.phone), ("missed", "in", "+79035551234"))
        self.assertEqual(call.partner_id.phone_e164, "+79035551234")
        self.assertEqual(call.lead_id.user_id, w["seller_1"])
        self.assertEqual(call.activity_id.user_id, w["seller_1"])
        self.assertEqual(
            [partner for partner, _payload in self.pops_since(mark)], [w["seller_1"].partner_id.id]
        )

    # ------------------------------------------------------------------ analytics
    def test_managers_report_counts_calls_and_messages(self):
        w = self.w
        ring = self.call("start", "ringing", occurred_at=self.at(9, 0))
        first = self.ingest(w["phone"], ring)
        self.ingest(w["phone"], self.call("end", "answered", duration=60, occurred_at=self.at(9, 2)))
        self.ingest(
            w["phone"],
            self.call(
                "start", "ringing", call_id="lc-c2", phone="+7 903 111-22-34", occurred_at=self.at(9, 10)
            ),
        )
        self.ingest(
            w["phone"],
            self.call("end", "missed", call_id="lc-c2", phone="+7 903 111-22-34", occurred_at=self.at(9, 11)),
        )
        out = (
            self.env["linear.interaction"]
            .sudo()
            .create(
                {
                    "kind": "message",
                    "direction": "out",
                    "channel_id": w["telegram"].id,
                    "partner_id": first.partner_id.id,
                    "lead_id": first.lead_id.id,
                    "user_id": w["seller_1"].id,
                    "date": self.at(9, 30),
                    "status": "sent",
                }
            )
        )
        counts = self.env["linear.sales.analytics"]._linear_interaction_counts(
            [w["seller_1"].id, w["seller_2"].id], self.at(0), self.at(23)
        )
        self.assertEqual(
            {key: value for key, value in counts[w["seller_1"].id].items() if key != "first_outbound"},
            {"calls_in": 1, "calls_out": 0, "calls_missed": 1, "messages": 1},
        )
        self.assertEqual(counts[w["seller_1"].id]["first_outbound"], {first.lead_id.id: out.date})
        self.assertEqual(counts[w["seller_2"].id]["messages"], 0)

    # ------------------------------------------------------------------ who sees what in a pop
    def test_screen_pop_names_only_what_its_user_may_read(self):
        w = self.w
        team = self.env["crm.team"].create({"name": "LC Empty Team", "assignment_instant": True})
        channel = w["phone"].copy({"name": "LC Empty", "team_id": team.id})
        mark = self.bus_mark()
        interaction = self.ingest(
            channel,
            self.call("start", "ringing", call_id="lc-ext", phone="+7 903 444-55-66", extension="7105"),
        )
        self.assertFalse(interaction.lead_id.user_id, "a team without members leaves the lead unassigned")
        self.assertEqual(interaction.user_id, w["operator"], "the extension that rang")
        ((partner_id, payload),) = self.pops_since(mark)
        self.assertEqual(partner_id, w["operator"].partner_id.id)
        self.assertEqual((payload["partner_id"], payload["partner_name"], payload["leads"]), (False, "", []))
        self.assertTrue(payload["known_client"], "no Create client for a client that exists")

    def test_an_extension_rings_one_user(self):
        with self.assertRaisesRegex(ValidationError, "7105"):
            self.w["seller_1"].with_user(self.w["seller_1"]).write({"linear_phone_extension": "7105"})
        self.w["seller_1"].with_user(self.w["seller_1"]).write({"linear_phone_extension": "7106"})
