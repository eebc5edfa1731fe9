# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Import from 1C clicked in headless Chromium by the accountant
(static/tests/tours/exchange_import_tour.js): the file goes through the form's upload field, the
payment (matched by the client's INN and the sum) pays the open invoice, the log shows the report
and its file."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestExchangeImportTour(HttpCase):
    def test_accountant_imports_a_payment_from_1c(self):
        env = self.env(context=dict(self.env.context, tracking_disable=True, linear_skip_assignment=True))
        accountant = new_test_user(
            env, login="lc_1c_tour_acc", groups="linear_crm.group_linear_accountant", lang="en_US"
        )
        client = env["res.partner"].create(
            {
                "name": "LC Tour 1C client",
                "is_company": True,
                "vat": "7707083893",
                "country_id": env.ref("base.ru").id,
            }
        )
        deal = env["crm.lead"].create(
            {
                "name": "LC Tour 1C deal",
                "type": "opportunity",
                "partner_id": client.id,
                "expected_revenue": 1000,
            }
        )
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": client.id,
                "linear_lead_id": deal.id,
                "invoice_line_ids": [
                    (0, 0, {"name": "LC chairs", "quantity": 1, "price_unit": 1000, "tax_ids": [(6, 0, [])]})
                ],
            }
        )
        invoice.action_post()
        self.start_tour("/odoo", "linear_crm_exchange_import", login=accountant.login)
        self.env.invalidate_all()
        log = env["linear.exchange.log"].search([("create_uid", "=", accountant.id)])
        self.assertEqual(
            (log.direction, log.channel, log.count_done, log.file_name), ("import", "manual", 1, "from1c.xml")
        )
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
