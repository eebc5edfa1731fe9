# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The channel administrator's buttons clicked in headless Chromium
(static/tests/tours/channel_admin_tour.js): Regenerate Key changes the webhook URL; Retry, from the
event's form and from the Failed Events list, queues failed events again (state New, error
cleared, one job each)."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestChannelAdminTour(HttpCase):
    def test_regenerate_key_and_retry_failed_events(self):
        admin = self.env.ref("base.user_admin")
        admin.write({"lang": "en_US", "group_ids": [(4, self.env.ref("linear_crm.group_channel_admin").id)]})
        channel = self.env["linear.channel"].create(
            {"name": "LC Admin Zadarma", "provider": "zadarma", "webhook_key": "lc-tour-old-key"}
        )
        Event = self.env["linear.channel.event"]
        events = Event.create(
            [
                {
                    "channel_id": channel.id,
                    "company_id": channel.company_id.id,
                    "provider": "zadarma",
                    "event_id": f"lc-tour-ev-{number}",
                    "kind": "call",
                    "payload": "{}",
                    "state": "failed",
                    "error": "LC tour failure",
                    "attempts": 3,
                }
                for number in (1, 2)
            ]
        )
        jobs_before = self.env["queue.job"].search_count([("func_string", "like", "linear.channel")])
        self.start_tour("/odoo", "linear_crm_channel_admin", login="admin")
        self.env.invalidate_all()
        self.assertNotEqual(channel.webhook_key, "lc-tour-old-key")
        self.assertEqual(events.mapped("state"), ["new", "new"])
        self.assertFalse(any(events.mapped("error")))
        self.assertGreater(
            self.env["queue.job"].search_count([("func_string", "like", "linear.channel")]), jobs_before
        )
