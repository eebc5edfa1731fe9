# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The webhook door over real HTTP: every answer it gives, per provider; the handshakes; the
event log's exactly-once; processing, failure, retry and the cron; the channel's secrets."""

import json
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException, get_db_name

from odoo.addons.linear_crm.channel_connectors.controllers import webhook
from odoo.addons.linear_crm.channel_connectors.lib import registry
from odoo.addons.queue_job.tests.common import trap_jobs

from .channel_webhook_common import (
    PROVIDERS,
    SECRETS,
    forged,
    make_channels,
    request_for,
    truncated,
    unsigned,
    wrong_encoding,
)

URL = "/linear_crm/webhook/"


class DoorCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.channels = make_channels(cls.env)
        cls.Event = cls.env["linear.channel.event"].sudo()

    def post(self, channel_or_key, suffix="", headers=None, raw=b"", method="POST", params=None):
        key = channel_or_key if isinstance(channel_or_key, str) else channel_or_key.sudo().webhook_key
        url = URL + key + (f"/{suffix}" if suffix else "")
        headers = dict(headers or {}, **{"X-Odoo-Database": get_db_name()})
        return self.url_open(url, data=raw, headers=headers, method=method, params=params)

    def send(self, provider, request):
        suffix, headers, raw = request
        return self.post(self.channels[provider], suffix, headers, raw)

    def perform(self, trap):
        """Run the trapped jobs in the test's transaction (those queued by a request hold its
        closed cursor)."""
        for job in trap.enqueued_jobs:
            job._env = self.env(user=job.env.uid)
        trap.perform_enqueued_jobs()

    def events(self, provider):
        return self.Event.search([("channel_id", "=", self.channels[provider].id)])

    def assertAnswer(self, response, status, error=None):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers["Content-Type"].split(";")[0], "application/json")
        data = response.json()
        self.assertEqual(data["ok"], status == 200, data)
        if status != 200:
            self.assertTrue(data["error"] and data["message"], data)
            if error:
                self.assertEqual(data["error"], error)
        return data


@tagged("post_install", "-at_install")
class TestWebhookAnswers(DoorCase):
    def test_every_answer_per_provider(self):
        """200 new, 200 duplicate, 400 truncated and wrongly encoded, 401 unsigned and forged,
        403 without a secret, 404 unknown or archived, 405, 413: JSON each time, no ERROR logged,
        and only the accepted event stored."""
        with self.assertNoLogs(level="ERROR"), trap_jobs() as trap:
            for number, provider in enumerate(PROVIDERS, start=1):
                with self.subTest(provider=provider):
                    channel = self.channels[provider]
                    good = request_for(provider, number)
                    data = self.assertAnswer(self.send(provider, good), 200)
                    self.assertEqual((data["received"], data["duplicates"]), (1, 0))
                    self.assertNotIn("duplicate", data)
                    data = self.assertAnswer(self.send(provider, good), 200)
                    self.assertEqual((data["received"], data["duplicates"], data["duplicate"]), (0, 1, True))

                    self.assertAnswer(self.send(provider, truncated(provider, 900 + number)), 400)
                    self.assertAnswer(self.send(provider, wrong_encoding(provider, 800 + number)), 400)
                    self.assertAnswer(
                        self.send(provider, unsigned(provider, request_for(provider, 700 + number))), 401
                    )
                    suffix, headers, raw = request_for(provider, 700 + number)
                    self.assertAnswer(self.send(provider, forged(provider, 600 + number)), 401)
                    self.assertAnswer(self.post(channel, suffix, headers, raw, method="PUT"), 405)
                    self.assertAnswer(self.post(channel, suffix, headers, b"{" + b" " * (5 * 2**20)), 413)
                    self.assertAnswer(self.post("x" + channel.sudo().webhook_key, suffix, headers, raw), 404)

                    self.assertEqual(len(self.events(provider)), 1, "only the accepted event is stored")
                    self.assertEqual(self.events(provider).state, "new")
            self.assertEqual(trap.jobs_count(), len(PROVIDERS), "one job per new event, none for repeats")

    def test_refusals_of_the_channel_itself(self):
        """No secret: 403 from every request; archived or unknown key: the same 404 as garbage."""
        with self.assertNoLogs(level="ERROR"):
            for provider in PROVIDERS:
                with self.subTest(provider=provider):
                    bare = (
                        self.env["linear.channel"]
                        .sudo()
                        .create({"name": f"Bare {provider}", "provider": provider})
                    )
                    self.assertAnswer(self.post(bare, *request_for(provider, 1)), 403)
            archived = self.channels["generic"]
            archived.sudo().action_archive()
            unknown = self.post("no-such-key", *request_for("generic", 1))
            gone = self.post(archived, *request_for("generic", 1))
            self.assertAnswer(unknown, 404)
            self.assertAnswer(gone, 404)
            self.assertEqual(unknown.content, gone.content, "an archived channel answers like an unknown key")
            self.assertFalse(self.events("generic"))

    def test_mango_event_paths_and_get(self):
        suffix, headers, raw = request_for("mango", 1)
        self.assertEqual(suffix, "events/call")
        self.assertAnswer(self.post(self.channels["mango"], suffix, headers, raw), 200)
        self.assertAnswer(self.post(self.channels["mango"], "events/unknown", headers, raw), 400)
        self.assertAnswer(self.post(self.channels["mango"], "", headers, raw), 400)
        # GET without a handshake: 405 for the providers that have none
        for provider in ("telegram", "mango", "asterisk", "generic"):
            self.assertAnswer(self.post(self.channels[provider], method="GET"), 405)

    def test_stale_timestamp(self):
        for provider in ("asterisk", "generic"):
            request = request_for(provider, 1, now=fields.Datetime.now().timestamp() - 3600)
            self.assertAnswer(self.send(provider, request), 401, "stale_timestamp")
        self.assertFalse(self.events("generic") | self.events("asterisk"))

    def test_handshakes(self):
        whatsapp, zadarma = self.channels["whatsapp"], self.channels["zadarma"]
        params = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": "wa-verify-me"}
        answer = self.post(whatsapp, method="GET", params=params)
        self.assertEqual((answer.status_code, answer.text), (200, "1158201444"))
        self.assertAnswer(
            self.post(whatsapp, method="GET", params=dict(params, **{"hub.verify_token": "no"})), 403
        )
        answer = self.post(zadarma, method="GET", params={"zd_echo": "f8ddb1e0a9"})
        self.assertEqual((answer.status_code, answer.text), (200, "f8ddb1e0a9"))
        self.assertAnswer(self.post(zadarma, method="GET", params={"zd_echo": "<script>"}), 400)
        self.assertFalse(self.events("whatsapp") | self.events("zadarma"))

    def test_several_events_in_one_request(self):
        """A WhatsApp notification may carry several messages: each is its own event, and a
        re-delivery of the whole batch with one new message stores only that one."""
        body = json.loads(request_for("whatsapp", 1)[2])
        value = body["entry"][0]["changes"][0]["value"]
        second = json.loads(json.dumps(value["messages"][0]))
        second["id"] = "wamid.SECOND"
        value["messages"].append(second)
        data = self.assertAnswer(self.send("whatsapp", request_for("whatsapp", body=body)), 200)
        self.assertEqual((data["received"], data["duplicates"]), (2, 0))
        third = dict(second, id="wamid.THIRD")
        value["messages"].append(third)
        data = self.assertAnswer(self.send("whatsapp", request_for("whatsapp", body=body)), 200)
        self.assertEqual((data["received"], data["duplicates"]), (1, 2))
        self.assertEqual(len(self.events("whatsapp")), 3)

    def test_site_form_from_a_listed_web_site(self):
        """A browser form on a web site the channel lists posts unsigned (CORS); others may not."""
        channel = self.channels["generic"]
        channel.sudo().form_origins = "https://shop.example"
        origin = {"Origin": "https://shop.example"}
        preflight = self.post(channel, headers=origin, method="OPTIONS")
        self.assertEqual(preflight.status_code, 204)
        self.assertEqual(preflight.headers["Access-Control-Allow-Origin"], "https://shop.example")
        form = b"name=Visitor&phone=%2B79161234567&external_id=web-1"
        headers = dict(origin, **{"Content-Type": "application/x-www-form-urlencoded"})
        answer = self.post(channel, "", headers, form)
        self.assertAnswer(answer, 200)
        self.assertEqual(answer.headers["Access-Control-Allow-Origin"], "https://shop.example")
        other = dict(headers, Origin="https://evil.example")
        self.assertAnswer(self.post(channel, "", other, form.replace(b"web-1", b"web-2")), 401)
        self.assertAnswer(
            self.post(channel, headers={"Origin": "https://evil.example"}, method="OPTIONS"), 405
        )
        self.assertEqual(self.events("generic").event_id, "web-1")

    def test_audit_headers_keep_no_secret(self):
        suffix, headers, raw = request_for("telegram", 1)
        headers["X-Api-Key"] = "api-key-leaked"
        headers["Authorization"] = "Bearer leaked"
        self.assertAnswer(self.post(self.channels["telegram"], suffix, headers, raw), 200)
        stored = self.events("telegram").headers
        for secret in (SECRETS["telegram"]["secret"], "leaked", "X-Odoo-Database"):
            self.assertNotIn(secret, stored)
        self.assertIn("application/json", stored)

    def test_unreadable_after_verification_is_kept(self):
        """A verified body that the adapter fails to cut (a bug) is stored whole, answered 200 and
        logged as a warning; once the adapter works, processing splits it into its events."""
        adapter = registry.get("telegram")
        with trap_jobs() as trap, self.assertNoLogs(level="ERROR"):
            with (
                patch.object(adapter, "split", side_effect=RuntimeError("adapter bug")),
                self.assertLogs(webhook.__name__, level="WARNING"),
            ):
                data = self.assertAnswer(self.send("telegram", request_for("telegram", 5)), 200)
            self.assertEqual(data["received"], 1)
            kept = self.events("telegram")
            self.assertTrue(kept.event_id.startswith("unsplit:"))
            with patch.object(type(self.env["linear.interaction"]), "_linear_ingest", autospec=True):
                self.perform(trap)
                self.perform(trap)
        self.assertEqual(kept.state, "done")
        split = self.events("telegram") - kept
        self.assertEqual((split.event_id, split.state), ("100005", "done"))


@tagged("post_install", "-at_install")
class TestEventProcessing(DoorCase):
    def deliver(self, provider, number, trap):
        before = self.events(provider)
        self.assertAnswer(self.send(provider, request_for(provider, number)), 200)
        return self.events(provider) - before

    def test_duplicate_delivery_has_no_second_effect(self):
        Interaction = self.env["linear.interaction"].sudo()
        with trap_jobs() as trap:
            event = self.deliver("telegram", 1, trap)
            self.perform(trap)
            self.assertEqual(event.state, "done", event.error)
            effect = Interaction.search([("event_id", "=", event.id)])
            self.assertTrue(effect)
            self.assertEqual(event.interaction_ids, effect)
            partners = self.env["res.partner"].search_count([])
            leads = self.env["crm.lead"].with_context(active_test=False).search_count([])
            for _repeat in range(3):
                self.assertTrue(self.send("telegram", request_for("telegram", 1)).json()["duplicate"])
            self.perform(trap)
            event._linear_process()  # a stray second job for the same event
        self.assertEqual(
            Interaction.search_count([("channel_id", "=", self.channels["telegram"].id)]), len(effect)
        )
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertEqual(self.env["crm.lead"].with_context(active_test=False).search_count([]), leads)
        self.assertEqual(event.attempts, 1)

    def test_failed_event_is_retried_then_succeeds(self):
        """A failure leaves nothing half-written, keeps the error and queues a retry with a delay;
        the retry succeeds. An admin's Retry re-queues a failed one; a salesperson may not."""
        Ingest = type(self.env["linear.interaction"])
        real = Ingest._linear_ingest
        calls = []

        def flaky(interactions, event, normalised):
            calls.append(event.id)
            if len(calls) == 1:
                interactions.env["res.partner"].create({"name": "LC half-written client"})
                raise ValueError("the CRM is having a bad day")
            return real(interactions, event, normalised)

        with trap_jobs() as trap, patch.object(Ingest, "_linear_ingest", autospec=True, side_effect=flaky):
            event = self.deliver("generic", 1, trap)
            with self.assertLogs("odoo.addons.linear_crm", level="WARNING"), self.assertNoLogs(level="ERROR"):
                self.perform(trap)
            self.assertEqual((event.state, event.attempts), ("failed", 1))
            self.assertIn("bad day", event.error)
            self.assertFalse(self.env["res.partner"].search([("name", "=", "LC half-written client")]))
            retry = trap.enqueued_jobs[-1]
            self.assertEqual(retry.method_name, "_linear_process")
            self.assertGreater(retry.eta, fields.Datetime.now())
            self.perform(trap)
        self.assertEqual((event.state, event.attempts, event.error), ("done", 2, False))
        self.assertTrue(event.processed_at)
        self.assertEqual(len(calls), 2)

    def test_retry_button(self):
        admin = new_test_user(self.env, login="lc_door_admin", groups="linear_crm.group_channel_admin")
        seller = new_test_user(self.env, login="lc_door_seller", groups="sales_team.group_sale_salesman")
        with trap_jobs() as trap:
            event = self.deliver("generic", 2, trap)
            event.write({"state": "failed", "error": "boom", "attempts": 5})
            trap.enqueued_jobs.clear()
            self.authenticate(seller.login, seller.login)
            with self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": "linear.channel.event",
                        "method": "action_retry",
                        "args": [event.ids],
                        "kwargs": {},
                    },
                )
            self.assertEqual(event.state, "failed")
            self.authenticate(admin.login, admin.login)
            self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "linear.channel.event",
                    "method": "action_retry",
                    "args": [event.ids],
                    "kwargs": {},
                },
            )
            self.assertEqual(event.state, "new")
            trap.assert_jobs_count(1)
            with patch.object(type(self.env["linear.interaction"]), "_linear_ingest", autospec=True):
                self.perform(trap)
        self.assertEqual((event.state, event.attempts), ("done", 6))

    def test_cron_requeues_and_processes_what_waits(self):
        """Stored but never queued (a crash after the insert): the cron queues it after a few
        minutes, and processes itself what waits longer (no job runner)."""
        self.env["ir.config_parameter"].sudo().set_param("linear_crm.channel_job_mode", "event")
        with trap_jobs() as trap:
            recent = self.deliver("generic", 3, trap)
            lost = self.deliver("generic", 4, trap)
            late = self.deliver("generic", 5, trap)
            trap.enqueued_jobs.clear()
            now = fields.Datetime.now()
            lost.write({"received_at": now - timedelta(minutes=5)})
            late.write({"received_at": now - timedelta(minutes=30)})
            with patch.object(type(self.env["linear.interaction"]), "_linear_ingest", autospec=True):
                self.env.ref("linear_crm.ir_cron_linear_channel_event_requeue").method_direct_trigger()
            queued = {job.recordset.id for job in trap.enqueued_jobs}
        self.assertIn(lost.id, queued)
        self.assertNotIn(recent.id, queued)
        self.assertEqual((recent.state, lost.state, late.state), ("new", "new", "done"))

    def test_job_modes(self):
        """batch (the default): one job per channel handles all its new events; event: one each."""
        for mode, jobs in (("batch", 1), ("event", 3)):
            with self.subTest(mode=mode):
                self.env["ir.config_parameter"].sudo().set_param("linear_crm.channel_job_mode", mode)
                start = 10 if mode == "batch" else 20
                with trap_jobs() as trap:
                    for number in range(start, start + 3):
                        self.deliver("generic", number, trap)
                    trap.assert_jobs_count(jobs)
                    with patch.object(type(self.env["linear.interaction"]), "_linear_ingest", autospec=True):
                        self.perform(trap)
                self.assertEqual(set(self.events("generic").mapped("state")), {"done"})

    def test_ignored_event_keeps_its_reason(self):
        body = {"update_id": 424242, "poll": {"id": "1"}}
        with trap_jobs() as trap:
            self.assertAnswer(self.send("telegram", request_for("telegram", body=body)), 200)
            self.perform(trap)
        event = self.events("telegram")
        self.assertEqual(event.state, "ignored")
        self.assertTrue(event.error)


@tagged("post_install", "-at_install")
class TestChannelSecrets(DoorCase):
    def test_secrets_are_for_channel_admins_only(self):
        seller = new_test_user(
            self.env, login="lc_sec_seller", groups="sales_team.group_sale_salesman,base.group_allow_export"
        )
        admin = new_test_user(
            self.env,
            login="lc_sec_admin",
            groups="linear_crm.group_channel_admin,base.group_allow_export",
        )
        channel = self.channels["whatsapp"]

        def call(method, *args, **kwargs):
            return self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {"model": "linear.channel", "method": method, "args": list(args), "kwargs": kwargs},
            )

        self.authenticate(seller.login, seller.login)
        self.assertEqual(call("search_read", [("id", "=", channel.id)], ["name"])[0]["name"], channel.name)
        for field in ("secret", "api_key", "verify_token", "webhook_key", "webhook_url"):
            with self.subTest(field=field), self.assertRaises(JsonRpcException):
                call("read", channel.ids, [field])
            with self.subTest(field=field), self.assertRaises(JsonRpcException):
                call("export_data", channel.ids, [field])
        with self.assertRaises(JsonRpcException):
            call("write", channel.ids, {"secret": "mine now"})
        with self.assertRaises(JsonRpcException):
            call("action_regenerate_key", channel.ids)
        self.assertEqual(call("export_data", channel.ids, ["name"])["datas"], [[channel.name]])

        self.authenticate(admin.login, admin.login)
        self.assertEqual(call("read", channel.ids, ["secret"])[0]["secret"], SECRETS["whatsapp"]["secret"])
        for field in ("secret", "api_key", "verify_token", "webhook_key", "webhook_url"):
            with self.subTest(field=field), self.assertRaises(JsonRpcException):
                call("export_data", channel.ids, ["name", field])
        exportable = call("fields_get", [], ["exportable"])
        self.assertFalse(
            [name for name in ("secret", "api_key", "verify_token") if exportable[name]["exportable"]]
        )

    def test_regenerate_key(self):
        channel = self.channels["generic"].sudo()
        old_key = channel.webhook_key
        self.assertGreaterEqual(len(old_key), 43)
        self.assertTrue(channel.webhook_url.endswith(URL + old_key))
        channel.with_user(self.env.ref("base.user_admin")).action_regenerate_key()
        self.assertNotEqual(channel.webhook_key, old_key)
        self.assertAnswer(self.post(old_key, *request_for("generic", 1)), 404)
        self.assertAnswer(self.post(channel, *request_for("generic", 1)), 200)
        self.assertNotIn(old_key, channel.message_ids.mapped("body")[0])
        copy = channel.copy()
        self.assertNotEqual(copy.webhook_key, channel.webhook_key)
        self.assertFalse(copy.secret)
