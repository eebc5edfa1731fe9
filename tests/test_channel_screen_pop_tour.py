# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""A ringing call pops up in the responsible salesperson's browser (headless Chromium) and its
button opens the client card (static/tests/tours/channel_screen_pop_tour.js)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .channel_interaction_common import ChannelWorld, normalised


@tagged("post_install", "-at_install")
class TestChannelScreenPopTour(ChannelWorld, HttpCase):
    def test_ringing_call_pops_up_and_opens_the_card(self):
        w = self.w
        seller = w["seller_2"]
        seller.lang = "en_US"
        caller = self.env["res.partner"].create(
            {"name": "LC Tour Caller", "phone": "+7 916 700-80-90", "user_id": seller.id}
        )
        self.env["crm.lead"].with_context(linear_skip_assignment=True).create(
            {"name": "LC Tour deal", "partner_id": caller.id, "user_id": seller.id, "type": "opportunity"}
        )
        mark = self.env["bus.bus"].search([], order="id desc", limit=1).id
        interaction = self.ingest(
            w["phone"],
            normalised(
                kind="call",
                external_id="lc-tour-1",
                phone="8 916 700 80 90",
                call_stage="start",
                call_status="ringing",
            ),
        )
        self.assertEqual(interaction.user_id, seller)
        self.env.cr.flush()  # the bus row is written by a pre-commit hook
        pops = self.env["bus.bus"].search([("id", ">", mark)])
        self.assertTrue(pops, "the screen pop was queued on the bus")
        # A fresh browser asks for the notifications of the last 50 seconds: keep this one in that
        # window whatever the time the page takes to load on a busy machine.
        self.env.cr.execute(
            "UPDATE bus_bus SET create_date = %s WHERE id IN %s",
            [fields.Datetime.now() + timedelta(minutes=10), tuple(pops.ids)],
        )
        self.start_tour("/odoo", "linear_crm_screen_pop", login=seller.login, timeout=180)
