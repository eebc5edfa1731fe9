# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The accountant's tour (issue 12): Bookkeeping › Clients, a client's Finance tab with its deals'
invoiced, paid and outstanding amounts, then Export to 1C (static/tests/tours/linear_crm_finance_tour.js)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestFinanceTour(HttpCase):
    def test_accountant_opens_a_client_sees_finance_and_exports(self):
        env = self.env(context=dict(self.env.context, tracking_disable=True, linear_skip_assignment=True))
        new_test_user(env, login="lt_accountant", groups="linear_crm.group_linear_accountant", lang="en_US")
        today = fields.Date.today()
        client = env["res.partner"].create({"name": "LT Client", "is_company": True})
        lead = env["crm.lead"].create(
            {"name": "LT Deal", "type": "opportunity", "partner_id": client.id, "expected_revenue": 1000}
        )
        journal = env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", env.company.id)], limit=1
        )
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": client.id,
                "journal_id": journal.id,
                "linear_lead_id": lead.id,
                "currency_id": env.company.currency_id.id,
                "invoice_date": today - timedelta(days=40),
                "invoice_date_due": today - timedelta(days=30),
                "invoice_line_ids": [
                    (0, 0, {"name": "LT service", "quantity": 1, "price_unit": 1000, "tax_ids": [(5,)]})
                ],
            }
        )
        invoice.action_post()
        invoice._linear_demo_pay(400, 30)
        self.assertEqual(client.linear_amount_overdue, 600)
        self.assertEqual(client.linear_solvency, "bad")
        self.start_tour("/odoo", "linear_crm_finance", login="lt_accountant")
        self.assertTrue(
            env["linear.exchange.log"].search([("create_uid.login", "=", "lt_accountant")], limit=1),
            "the export was run and logged",
        )
