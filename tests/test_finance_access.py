# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Who reads and writes deal finance, over JSON-RPC as a browser or a script would (issue 12).

The accountant reads every lead and client of the company with its finance, edits requisites
and bank accounts, and cannot work the pipeline (leads, stages, teams), whatever it forges. A
plain salesperson reads none of the finance fields, not even of their own deal.
"""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

ACCESS_ERROR = "odoo.exceptions.AccessError"
LEAD_FINANCE = [
    "linear_amount_invoiced",
    "linear_amount_paid",
    "linear_amount_outstanding",
    "linear_last_payment_date",
    "linear_payment_status",
]
CLIENT_FINANCE = ["linear_amount_overdue", "linear_days_late_avg", "linear_solvency"]


@tagged("post_install", "-at_install")
class TestFinanceAccess(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, linear_skip_assignment=True))
        cls.accountant = new_test_user(
            cls.env, login="fa_accountant", groups="linear_crm.group_linear_accountant"
        )
        cls.seller = new_test_user(
            cls.env, login="fa_seller", groups="sales_team.group_sale_salesman,base.group_allow_export"
        )
        cls.other_seller = new_test_user(cls.env, login="fa_other", groups="sales_team.group_sale_salesman")
        cls.client = cls.env["res.partner"].create(
            {"name": "FA Client", "is_company": True, "user_id": cls.seller.id}
        )
        cls.stage = cls.env["crm.stage"].create({"name": "FA Stage", "sequence": 99})
        cls.own_lead = cls.env["crm.lead"].create(
            {"name": "FA Own", "type": "opportunity", "user_id": cls.seller.id, "partner_id": cls.client.id}
        )
        cls.other_lead = cls.env["crm.lead"].create(
            {
                "name": "FA Other",
                "type": "opportunity",
                "user_id": cls.other_seller.id,
                "partner_id": cls.client.id,
            }
        )

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def assertDenied(self, model, method, *args, **kwargs):
        with self.assertRaises(JsonRpcException) as caught:
            self.call(model, method, *args, **kwargs)
        self.assertEqual(str(caught.exception), ACCESS_ERROR, f"{model}.{method}")

    def test_accountant_reads_every_lead_and_client_with_finance(self):
        self.authenticate("fa_accountant", "fa_accountant")
        ids = (self.own_lead | self.other_lead).ids
        leads = self.call("crm.lead", "search_read", [("id", "in", ids)], fields=["name", *LEAD_FINANCE])
        self.assertEqual({lead["name"] for lead in leads}, {"FA Own", "FA Other"})
        self.assertEqual(leads[0]["linear_payment_status"], "none")
        clients = self.call(
            "res.partner", "search_read", [("id", "=", self.client.id)], fields=["name", *CLIENT_FINANCE]
        )
        self.assertEqual(len(clients), 1)
        groups = self.call(
            "crm.lead", "formatted_read_group", [("id", "in", ids)], ["linear_payment_status"], ["__count"]
        )
        self.assertEqual(groups[0]["__count"], 2)
        # the client card's finance tab: its deals with their finance, in one web_read
        card = self.call(
            "res.partner",
            "web_read",
            [self.client.id],
            {
                "opportunity_ids": {"fields": {"name": {}, "linear_amount_outstanding": {}}},
                "linear_solvency": {},
            },
        )
        self.assertEqual(len(card[0]["opportunity_ids"]), 2)

    def test_accountant_cannot_work_the_pipeline_whatever_it_forges(self):
        self.authenticate("fa_accountant", "fa_accountant")
        lead = self.own_lead
        self.assertDenied("crm.lead", "write", [lead.id], {"name": "forged"})
        self.assertDenied(
            "crm.lead", "write", [lead.id], {"stage_id": self.stage.id}, context={"linear_gate_override": "1"}
        )
        self.assertDenied("crm.lead", "create", [{"name": "forged", "type": "opportunity"}])
        self.assertDenied("crm.lead", "unlink", [lead.id])
        self.assertDenied("crm.lead", "action_set_won", [lead.id])
        self.assertDenied("crm.stage", "write", [self.stage.id], {"name": "forged"})
        self.assertDenied("crm.team", "create", [{"name": "forged"}])
        lead.invalidate_recordset()
        self.assertEqual(lead.name, "FA Own")
        self.assertNotEqual(lead.stage_id, self.stage)
        self.assertEqual(self.stage.name, "FA Stage")

    def test_computed_finance_is_never_written_by_hand(self):
        self.authenticate("fa_accountant", "fa_accountant")
        self.assertDenied(
            "res.partner", "write", [self.client.id], {"linear_amount_overdue": 0, "name": "FA x"}
        )
        self.assertDenied("res.partner", "write", [self.client.id], {"linear_solvency": "good"})
        self.client.invalidate_recordset()
        self.assertEqual(self.client.name, "FA Client", "nothing half-written")

    def test_accountant_does_not_reassign_clients(self):
        self.authenticate("fa_accountant", "fa_accountant")
        self.assertDenied("res.partner", "write", [self.client.id], {"user_id": self.other_seller.id})
        self.client.invalidate_recordset()
        self.assertEqual(self.client.user_id, self.seller)

    def test_accountant_edits_requisites_and_bank_accounts(self):
        self.authenticate("fa_accountant", "fa_accountant")
        self.call(
            "res.partner",
            "write",
            [self.client.id],
            {"legal_address": "Москва, ул. Бухгалтерская, 1", "director_basis": "Устава"},
        )
        us = self.env.ref("base.us").id
        [bank] = self.call("res.bank", "create", [{"name": "FA Bank", "country": us}])
        self.call(
            "res.partner.bank",
            "create",
            [{"partner_id": self.client.id, "acc_number": "FA-0001", "bank_id": bank}],
        )
        self.assertEqual(self.client.director_basis, "Устава")
        self.assertEqual(self.client.bank_ids.acc_number, "FA-0001")

    def test_salesperson_reads_no_finance_field_even_of_own_deal(self):
        self.authenticate("fa_seller", "fa_seller")
        lead = self.own_lead
        self.assertEqual(self.call("crm.lead", "read", [lead.id], ["name"])[0]["name"], "FA Own")
        for fname in [*LEAD_FINANCE, "linear_invoice_ids", "linear_invoice_count", "linear_client_solvency"]:
            self.assertDenied("crm.lead", "read", [lead.id], [fname])
        # the credit-limit warning is for whoever sells, as on Odoo's quotations
        self.call("crm.lead", "read", [lead.id], ["linear_credit_warning"])
        self.assertDenied("crm.lead", "search_read", [("id", "=", lead.id)], fields=["linear_amount_paid"])
        self.assertDenied(
            "crm.lead", "formatted_read_group", [("id", "=", lead.id)], ["linear_payment_status"], ["__count"]
        )
        self.assertDenied("crm.lead", "search", [("linear_amount_outstanding", ">", 0)])
        for fname in CLIENT_FINANCE:
            self.assertDenied("res.partner", "read", [self.client.id], [fname])
        self.assertDenied(
            "res.partner",
            "web_read",
            [self.client.id],
            {"opportunity_ids": {"fields": {"linear_amount_paid": {}}}},
        )
        self.assertDenied("crm.lead", "export_data", [lead.id], ["linear_amount_invoiced"])
