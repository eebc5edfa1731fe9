# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""load() is callable over JSON-RPC as Odoo's own is: the import mixin's override keeps @api.model."""

from odoo.tests import HttpCase, tagged

from .crm_assignment_common import make_sales_world


@tagged("post_install", "-at_install")
class TestCrmImportRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.w = make_sales_world(cls.env)

    def test_salesperson_loads_leads_over_rpc(self):
        user = self.w["sales_1"]
        self.authenticate(user.login, user.login)
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw/crm.lead/load",
            {
                "model": "crm.lead",
                "method": "load",
                "args": [["name", "phone"], [["LC RPC import", "8 (916) 555-01-02"]]],
                "kwargs": {},
            },
        )
        self.assertFalse(result["messages"])
        lead = self.env["crm.lead"].browse(result["ids"])
        self.assertEqual(lead.name, "LC RPC import")
        self.assertEqual(lead.create_uid, user)
