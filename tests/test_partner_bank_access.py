# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Bank accounts follow their holder over JSON-RPC: a restricted salesperson reads the accounts
of their own clients and of partners that are not clients (the company), never those of another
salesperson's client; "all documents" users read every one."""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

ACCESS_ERROR = "odoo.exceptions.AccessError"


@tagged("post_install", "-at_install")
class TestPartnerBankAccess(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.seller = new_test_user(env, login="lc_bank_a", groups="sales_team.group_sale_salesman")
        cls.colleague = new_test_user(env, login="lc_bank_b", groups="sales_team.group_sale_salesman")
        cls.all_leads = new_test_user(
            env, login="lc_bank_all", groups="sales_team.group_sale_salesman_all_leads"
        )
        Partner, Bank = env["res.partner"], env["res.partner.bank"]
        cls.client_own = Partner.create({"name": "LC bank own client", "user_id": cls.seller.id})
        cls.client_other = Partner.create({"name": "LC bank other client", "user_id": cls.colleague.id})
        # abroad: no Russian BIK / account key to satisfy
        bank = env["res.bank"].create({"name": "LC Test Bank", "country": env.ref("base.us").id})
        cls.acc_own = Bank.create(
            {"acc_number": "40702810900000000001", "partner_id": cls.client_own.id, "bank_id": bank.id}
        )
        cls.acc_other = Bank.create(
            {"acc_number": "40702810900000000002", "partner_id": cls.client_other.id, "bank_id": bank.id}
        )
        cls.acc_company = Bank.create(
            {
                "acc_number": "40702810900000000003",
                "partner_id": env.company.partner_id.id,
                "bank_id": bank.id,
            }
        )
        cls.probe = (cls.acc_own | cls.acc_other | cls.acc_company).ids

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def seen(self):
        rows = self.call(
            "res.partner.bank", "search_read", [], fields=["acc_number", "partner_id", "bank_id"]
        )
        named = self.call("res.partner.bank", "name_search", "4070", limit=1000)
        self.assertEqual(
            {row["id"] for row in rows} & set(self.probe), {pair[0] for pair in named} & set(self.probe)
        )
        return {row["id"] for row in rows} & set(self.probe)

    def test_salesperson_reads_own_clients_and_company_accounts_only(self):
        self.authenticate(self.seller.login, self.seller.login)
        self.assertEqual(self.seen(), {self.acc_own.id, self.acc_company.id})
        with self.assertRaises(JsonRpcException) as caught:
            self.call("res.partner.bank", "read", self.acc_other.ids, ["acc_number", "partner_id"])
        self.assertEqual(str(caught.exception), ACCESS_ERROR)
        with self.assertRaises(JsonRpcException) as caught:
            self.call("res.partner.bank", "web_read", self.acc_other.ids, {"acc_number": {}})
        self.assertEqual(str(caught.exception), ACCESS_ERROR)

    def test_all_documents_user_reads_every_account(self):
        self.authenticate(self.all_leads.login, self.all_leads.login)
        self.assertEqual(self.seen(), set(self.probe))
