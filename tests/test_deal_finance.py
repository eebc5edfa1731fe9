# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Deal finance (issue 12): amounts on leads and clients from invoices, partial payments, credit
notes and a second currency; solvency; the credit-limit warning; the move when fully paid;
requisites bookkeeping needs."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestDealFinance(AccountTestInvoicingCommon):
    @classmethod
    def get_default_groups(cls):
        # the invoicing test user also runs the pipeline (teams, stages, a process) and reads deal finance
        return (
            super().get_default_groups()
            | cls.env.ref("sales_team.group_sale_manager")
            | cls.env.ref("linear_crm.group_process_architect")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, linear_skip_assignment=True))
        cls.today = fields.Date.today()
        cls.client = cls.env["res.partner"].create({"name": "LF Client", "is_company": True})
        cls.contact = cls.env["res.partner"].create({"name": "LF Contact", "parent_id": cls.client.id})
        cls.team = cls.env["crm.team"].create({"name": "LF Team"})
        cls.stage_new = cls.env["crm.stage"].create(
            {"name": "LF New", "sequence": 1, "team_ids": cls.team.ids}
        )
        cls.stage_paid = cls.env["crm.stage"].create(
            {"name": "LF Paid", "sequence": 50, "team_ids": cls.team.ids}
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "LF Deal",
                "type": "opportunity",
                "partner_id": cls.client.id,
                "team_id": cls.team.id,
                "stage_id": cls.stage_new.id,
                "expected_revenue": 5000,
            }
        )

    def invoice(self, amount, lead=None, partner=None, post=True, due=None, currency=None, **kwargs):
        move = self._create_invoice_one_line(
            price_unit=amount,
            tax_ids=[],
            partner_id=(partner or self.client).id,
            linear_lead_id=(lead or self.lead).id,
            currency_id=currency and currency.id,
            invoice_date_due=due,
            **kwargs,
        )
        if post:
            move.action_post()
        return move

    def pay(self, invoice, amount, date=None, currency=None):
        self._register_payment(
            invoice,
            amount=amount,
            payment_date=date or self.today,
            currency_id=(currency or invoice.currency_id).id,
        )

    def test_invoices_partial_payments_and_credit_notes(self):
        lead, client = self.lead, self.client
        self.assertEqual(lead.linear_payment_status, "none")
        draft = self.invoice(1000, post=False)
        self.assertEqual(lead.linear_amount_invoiced, 0, "a draft invoice does not count")
        draft.action_post()
        self.assertEqual(lead.linear_amount_invoiced, 1000)
        self.assertEqual(lead.linear_amount_outstanding, 1000)
        self.assertEqual(lead.linear_payment_status, "unpaid")
        self.assertEqual(client.linear_amount_invoiced, 1000)

        self.pay(draft, 400, date=self.today - timedelta(days=2))
        self.assertEqual(lead.linear_amount_paid, 400)
        self.assertEqual(lead.linear_amount_outstanding, 600)
        self.assertEqual(lead.linear_payment_status, "partial")
        self.assertEqual(lead.linear_last_payment_date, self.today - timedelta(days=2))
        self.assertEqual(client.linear_amount_outstanding, 600)

        # an invoice to a contact of the client counts for the client (commercial entity)
        second = self.invoice(500, partner=self.contact)
        self.assertEqual(lead.linear_amount_invoiced, 1500)
        self.assertEqual(client.linear_amount_invoiced, 1500)

        # the credit note keeps the deal and subtracts
        refund = self._reverse_invoice(second, post=True)
        self.assertEqual(refund.linear_lead_id, lead)
        self.assertEqual(lead.linear_amount_invoiced, 1000)
        self.assertEqual(lead.linear_amount_outstanding, 600)
        self.assertEqual(client.linear_amount_invoiced, 1000)
        self.assertEqual(client.linear_amount_outstanding, 600)

        self.pay(draft, 600)
        self.assertEqual(lead.linear_amount_paid, 1000)
        self.assertEqual(lead.linear_amount_outstanding, 0)
        self.assertEqual(lead.linear_payment_status, "paid")
        self.assertEqual(lead.linear_last_payment_date, self.today)
        self.assertEqual(client.linear_amount_paid, 1000)

    def test_second_currency_counts_in_company_currency(self):
        other = self.setup_other_currency("EUR", rates=[("1900-01-01", 0.5)])  # 1 company unit = 0.5 EUR
        invoice = self.invoice(100, currency=other)
        self.assertEqual(invoice.currency_id, other)
        self.assertEqual(self.lead.linear_amount_invoiced, 200)
        self.pay(invoice, 25)  # 25 EUR = 50 in company currency
        self.assertEqual(self.lead.linear_amount_paid, 50)
        self.assertEqual(self.lead.linear_amount_outstanding, 150)
        self.assertEqual(self.client.linear_amount_outstanding, 150)

    def test_overdue_days_late_and_solvency(self):
        client = self.client
        self.assertFalse(client.linear_solvency, "never invoiced: no mark")
        on_time = self.invoice(
            1000, invoice_date=self.today - timedelta(days=40), due=self.today - timedelta(days=30)
        )
        self.pay(on_time, 1000, date=self.today - timedelta(days=30))
        self.assertEqual(client.linear_solvency, "good")
        self.assertEqual(client.linear_days_late_avg, 0)
        late = self.invoice(
            1000, invoice_date=self.today - timedelta(days=30), due=self.today - timedelta(days=20)
        )
        # 1000 of 2000 overdue, invoices 0 and 20 days late: bad by share (50 % >= 30 %)
        self.assertEqual(client.linear_amount_overdue, 1000)
        self.assertEqual(client.linear_days_late_avg, 10)
        self.assertEqual(client.linear_solvency, "bad")
        self.assertIn(client, self.env["res.partner"].search([("linear_solvency", "=", "bad")]))
        self.pay(late, 1000, date=self.today)
        self.assertEqual(client.linear_amount_overdue, 0)
        self.assertEqual(client.linear_days_late_avg, 10, "paid 20 days late: still counts")
        self.assertEqual(client.linear_solvency, "good")
        # the company's thresholds decide, and a change re-marks the clients at once
        self.env.company.linear_solvency_watch_days = 5
        self.assertEqual(client.linear_solvency, "watch")
        with self.assertRaises(ValidationError):
            self.env.company.linear_solvency_bad_days = 1  # below the watch level

    def test_open_invoice_falls_overdue_with_the_daily_refresh(self):
        invoice = self.invoice(300, due=self.today)
        self.assertEqual(self.client.linear_amount_overdue, 0)
        self.env.cr.execute(
            "UPDATE account_move SET invoice_date_due = %s WHERE id = %s",
            [self.today - timedelta(days=3), invoice.id],
        )
        invoice.invalidate_recordset(["invoice_date_due"])
        self.env["res.partner"]._linear_recompute_finance()
        self.assertEqual(self.client.linear_amount_overdue, 300)

    def test_credit_limit_warning_on_new_deals(self):
        self.env.company.account_use_credit_limit = True
        self.client.credit_limit = 3000
        lead = self.env["crm.lead"].create(
            {
                "name": "LF Big Deal",
                "type": "opportunity",
                "partner_id": self.client.id,
                "expected_revenue": 2000,
            }
        )
        self.assertFalse(lead.linear_credit_warning, "2000 within the limit of 3000")
        self.invoice(1500, lead=lead)
        self.env.invalidate_all()  # the client's receivable is read afresh, as by the next request
        self.assertIn("credit limit", lead.linear_credit_warning)
        seller = new_test_user(self.env, login="lf_warned", groups="sales_team.group_sale_salesman")
        lead.user_id = seller
        self.env.invalidate_all()
        self.assertIn("credit limit", lead.with_user(seller).linear_credit_warning, "the seller is warned")
        self.env.company.account_use_credit_limit = False
        self.env.invalidate_all()
        self.assertFalse(lead.linear_credit_warning, "the company's switch is off")

    def test_fully_paid_deal_moves_to_the_team_stage(self):
        self.team.linear_paid_stage_id = self.stage_paid
        first = self.invoice(700)
        second = self.invoice(300)
        self.pay(first, 700)
        self.assertEqual(self.lead.stage_id, self.stage_new, "still 300 to pay")
        self.pay(second, 300)
        self.assertEqual(self.lead.stage_id, self.stage_paid)
        self.assertIn("Fully paid", self.lead.message_ids[:1].body)

    def test_fully_paid_deal_held_by_the_gate_stays_with_a_note(self):
        """The "when paid" stage is a process step whose earlier results are not confirmed: a
        payment confirms no result, so the deal stays and its chatter says why; the payment itself
        goes through."""
        process = self.env["linear.process"].create(
            {
                "name": "LF Order",
                "step_ids": [
                    (0, 0, {"name": name, "sequence": seq, "result_ids": [(0, 0, {"name": f"{name} done"})]})
                    for seq, name in ((10, "LF Request"), (20, "LF Payment"))
                ],
            }
        )
        process.action_approve()
        team = self.env["crm.team"].create({"name": "LF Process Team"})
        self.env["linear.process.binding"]._bind(team, process)
        stages = team.linear_stage_ids.sorted("sequence")
        lead = self.env["crm.lead"].create(
            {"name": "LF Gated", "type": "opportunity", "team_id": team.id, "partner_id": self.client.id}
        )
        start = lead.stage_id
        self.assertEqual(start, stages[0])
        self.assertTrue(lead.linear_result_ids, "the first step's result is due")
        team.linear_paid_stage_id = stages[-1]
        invoice = self.invoice(900, lead=lead)
        self.pay(invoice, 900)
        self.assertEqual(invoice.payment_state in ("paid", "in_payment"), True)
        self.assertEqual(lead.linear_payment_status, "paid")
        self.assertEqual(lead.stage_id, start, "the gate still holds the deal")
        self.assertIn("Fully paid, but not moved", lead.message_ids[:1].body)

    def test_fully_paid_deal_without_setting_stays(self):
        invoice = self.invoice(700)
        self.pay(invoice, 700)
        self.assertEqual(self.lead.linear_payment_status, "paid")
        self.assertEqual(self.lead.stage_id, self.stage_new)

    def test_create_invoice_button_links_the_deal(self):
        action = self.lead.action_linear_create_invoice()
        self.assertTrue(action["views"])
        form = Form(self.env["account.move"].with_context(**action["context"]))
        with form.invoice_line_ids.new() as line:
            line.name = "LF service"
            line.price_unit = 250
            line.tax_ids.clear()
        form.save()
        invoice = form.record
        self.assertEqual(invoice.linear_lead_id, self.lead)
        self.assertEqual(invoice.partner_id, self.client)
        invoice.action_post()
        self.assertEqual(self.lead.linear_amount_invoiced, 250)
        self.assertEqual(self.lead.linear_invoice_count, 1)

    def test_invoice_cannot_be_linked_to_a_deal_its_author_cannot_read(self):
        seller = new_test_user(
            self.env, login="lf_seller", groups="sales_team.group_sale_salesman,account.group_account_invoice"
        )
        hidden = self.env["crm.lead"].create(
            {"name": "LF Hidden", "type": "opportunity", "user_id": self.env.uid}
        )
        with self.assertRaises(AccessError):
            self.env["account.move"].with_user(seller).create(
                {"move_type": "out_invoice", "partner_id": self.client.id, "linear_lead_id": hidden.id}
            )

    def test_requisites_bookkeeping_needs(self):
        ru = self.env.ref("base.ru")
        client = self.env["res.partner"].create(
            {"name": "LF ООО", "is_company": True, "country_id": ru.id, "vat": "7707083893"}
        )
        missing = client.linear_requisites_missing
        for label in ("KPP", "Legal address", "Director", "Acting on the basis of", "Bank account"):
            self.assertIn(label, missing)
        self.assertNotIn("INN", missing.split("\n"))
        bank = self.env["res.bank"].create(
            {"name": "LF Bank", "bic": "044030827", "corr_account": "30101810200000000827", "country": ru.id}
        )
        client.write(
            {
                "kpp": "773601001",
                "company_registry": "1027700132195",
                "legal_address": "117997, Москва, ул. Вавилова, 19",
                "street": "ул. Вавилова, 19",
                "city": "Москва",
                "director_name": "Иван Петров",
                "director_position": "Генеральный директор",
                "director_basis": "Устава",
                "bank_ids": [(0, 0, {"acc_number": "40702810900000002851", "bank_id": bank.id})],
            }
        )
        self.assertFalse(client.linear_requisites_missing)
        # the basis is a commercial field: contacts show the company's
        contact = self.env["res.partner"].create({"name": "LF Бухгалтер", "parent_id": client.id})
        self.assertEqual(contact.director_basis, "Устава")
        # a sole trader (12-digit INN) needs no KPP and no director
        trader = self.env["res.partner"].create(
            {"name": "LF ИП", "is_company": True, "country_id": ru.id, "vat": "760307073214"}
        )
        self.assertNotIn("KPP", trader.linear_requisites_missing)
        self.assertNotIn("Director", trader.linear_requisites_missing)
