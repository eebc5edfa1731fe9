# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Who owns a client: decided by what a salesperson legitimately holds, never by what they type.

A restricted salesperson (only "own documents") over JSON-RPC, with forged ids and context keys:
a lead (create, write, default in the context, import) or a contact cannot be linked to another
salesperson's client; a possible-duplicate flag or a lookup never names what they cannot open.
"""

import importlib.util
import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools.misc import file_path

from .crm_assignment_common import make_sales_world

FOREIGN_PHONE = "+7 916 555-00-22"


class OwnershipCase:
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.w = make_sales_world(cls.env)
        cls.w["client_2"].write({"email": "two@lc-own.example.com", "birthday": "1980-05-17"})


@tagged("post_install", "-at_install")
class TestCrmOwnershipRpc(OwnershipCase, HttpCase):
    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def login(self, key):
        user = self.w[key]
        self.authenticate(user.login, user.login)

    def assert_closed(self, partner):
        """The current RPC user can neither find nor open ``partner``'s card."""
        self.assertFalse(self.call("res.partner", "search_read", [("id", "=", partner.id)], fields=["email"]))
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.call("res.partner", "read", [partner.id], ["email", "phone", "birthday"])

    def test_lead_cannot_be_linked_to_a_colleagues_client(self):
        client_2, lead_1 = self.w["client_2"], self.w["lead_1"]
        self.login("sales_1")
        self.assert_closed(client_2)
        attempts = [
            ("crm.lead", "create", [{"name": "LC grab", "partner_id": client_2.id}], {}),
            (
                "crm.lead",
                "create",
                [{"name": "LC grab by default"}],
                {"context": {"default_partner_id": client_2.id}},
            ),
            ("crm.lead", "write", [lead_1.id], {"vals": {"partner_id": client_2.id}}),
            ("res.partner", "create", [{"name": "LC grab contact", "parent_id": client_2.id}], {}),
        ]
        for model, method, args, kwargs in attempts:
            with (
                self.subTest(model=model, method=method, kwargs=kwargs),
                self.assertRaisesRegex(JsonRpcException, "AccessError"),
            ):
                self.call(model, method, *args, **kwargs)
        self.env.invalidate_all()
        self.assertFalse(self.env["crm.lead"].search([("name", "like", "LC grab")]))
        self.assertFalse(self.env["res.partner"].search([("name", "like", "LC grab")]))
        self.assertEqual(lead_1.partner_id, self.w["client_1"])
        self.assertFalse(client_2.client_lead_ids - self.w["lead_2"])
        self.assert_closed(client_2)

    def test_assignment_reason_is_not_typed_in(self):
        """How a lead was assigned is the rules' record: a salesperson cannot write it over RPC."""
        lead_1 = self.w["lead_1"]
        self.login("sales_1")
        for vals in ({"assignment_reason": "Assigned by the director"}, {"assignment_rule": "manual"}):
            with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self.call("crm.lead", "write", [lead_1.id], vals)
            with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self.call("crm.lead", "create", [{"name": "LC forged reason", **vals}])
        lead_1.invalidate_recordset()
        self.assertNotEqual(lead_1.assignment_reason, "Assigned by the director")
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "LC forged reason")]))

    def test_contact_of_a_colleagues_company_does_not_open_it(self):
        """Holding one contact of a company does not let a lead open the whole company."""
        client_2 = self.w["client_2"]
        anna = self.env["res.partner"].create({"name": "LC Anna of Two", "parent_id": client_2.id})
        anna.user_id = self.w["sales_1"]
        self.login("sales_1")
        self.assertTrue(self.call("res.partner", "read", [anna.id], ["name"]))
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.call("crm.lead", "create", {"name": "LC via Anna", "partner_id": anna.id})
        self.assert_closed(client_2)

    def test_everyday_links_keep_working(self):
        """A brand-new customer, a contact that is nobody's client yet, the user's own client."""
        vendor = self.w["vendor"]
        self.login("sales_1")
        new_id, _name = self.call(
            "res.partner",
            "name_create",
            "LC Fresh Customer",
            context={"default_user_id": self.w["sales_1"].id},
        )
        bare_id, _name = self.call("res.partner", "name_create", "LC Bare Customer")
        for partner_id in (new_id, bare_id, vendor.id, self.w["client_1_contact"].id):
            lead_id = self.call("crm.lead", "create", {"name": "LC link", "partner_id": partner_id})
            self.assertEqual(self.env["crm.lead"].browse(lead_id).partner_id.id, partner_id)
        self.call("crm.lead", "write", [self.w["lead_1"].id], {"partner_id": self.w["client_1_contact"].id})
        self.call(
            "res.partner", "create", {"name": "LC Contact of One 2", "parent_id": self.w["client_1"].id}
        )
        # the vendor became sales_1's client: no longer visible to another salesperson
        self.env.invalidate_all()
        self.assertTrue(vendor.is_client)
        self.login("sales_3")
        self.assert_closed(vendor)

    def test_duplicate_flag_does_not_name_a_hidden_lead(self):
        lead_1, lead_2, lead_3 = self.w["lead_1"], self.w["lead_2"], self.w["lead_3"]
        lead_2.phone = FOREIGN_PHONE
        self.login("sales_1")
        mine = self.call(
            "crm.lead", "create", {"name": "LC mine", "phone": "+7 (916) 555 00 22", "type": "opportunity"}
        )
        self.assertEqual(self.env["crm.lead"].browse(mine).duplicate_of_id, lead_2, "flagged on the server")
        # readonly binds the form only: forge the flag to point at any lead
        self.call("crm.lead", "write", [lead_1.id], {"duplicate_of_id": lead_3.id})
        ids = [mine, lead_1.id]
        spec = {"duplicate_of_id": {"fields": {"display_name": {}}}, "duplicate_count": {}}
        answers = {
            "read": self.call("crm.lead", "read", ids, ["duplicate_of_id"]),
            "search_read": self.call(
                "crm.lead", "search_read", [("id", "in", ids)], fields=["duplicate_of_id"]
            ),
            "web_read": self.call("crm.lead", "web_read", ids, spec),
            "web_search_read": self.call("crm.lead", "web_search_read", [("id", "in", ids)], spec),
            "formatted_read_group": self.call(
                "crm.lead", "formatted_read_group", [("id", "in", ids)], ["duplicate_of_id"], ["__count"]
            ),
            "web_read_group": self.call(
                "crm.lead", "web_read_group", [("id", "in", ids)], ["duplicate_of_id"], ["__count"]
            ),
            "name_search": self.call("crm.lead", "search", [("duplicate_of_id", "ilike", "LC lead")]),
        }
        for how, answer in answers.items():
            text = json.dumps(answer)
            self.assertNotIn("LC lead 2", text, how)
            self.assertNotIn("LC lead 3", text, how)
        self.assertFalse(answers["name_search"])
        # the count still warns that the deal exists somewhere
        self.assertEqual(answers["web_read"][0]["duplicate_count"], 1)

    def test_duplicate_flag_does_not_name_a_hidden_client(self):
        self.login("sales_1")
        dup = self.call("res.partner", "create", {"name": "LC Same Mail", "email": "two@lc-own.example.com"})
        self.assertEqual(self.env["res.partner"].browse(dup).duplicate_of_id, self.w["client_2"])
        answer = self.call(
            "res.partner", "web_read", [dup], {"duplicate_of_id": {"fields": {"display_name": {}}}}
        )
        self.assertNotIn("LC Client Two", json.dumps(answer))
        action = self.call("res.partner", "action_linear_view_duplicates", [dup])
        self.assertNotIn(self.w["client_2"].id, action["domain"][0][2])

    def test_lookup_does_not_name_a_hidden_company(self):
        client_2 = self.w["client_2"]
        anna = self.env["res.partner"].create(
            {"name": "LC Anna of Two", "parent_id": client_2.id, "phone": FOREIGN_PHONE}
        )
        anna.user_id = self.w["sales_1"]
        self.login("sales_1")
        found = self.call("linear.client.lookup", "find_ids", phone=FOREIGN_PHONE)
        self.assertEqual(found["contact_id"], anna.id)
        self.assertNotIn(client_2.id, [found["partner_id"], *found["candidate_ids"]])
        self.login("sales_2")
        found = self.call("linear.client.lookup", "find_ids", phone=FOREIGN_PHONE)
        self.assertEqual(found["partner_id"], client_2.id, "its own salesperson still finds the client")


@tagged("post_install", "-at_install")
class TestCrmOwnershipRules(OwnershipCase, TransactionCase):
    def test_rules_are_written_once_on_the_user(self):
        """Rules call the user's ownership domains; the domains find exactly the held records."""
        sales_1 = self.w["sales_1"]
        for xmlid in (
            "crm_lead_rule_team_leader",
            "crm_lead_rule_own_teams",
            "res_partner_rule_sales_own",
            "crm_lead_step_result_rule_own",
            "crm_lead_objection_rule_own",
        ):
            self.assertIn("user._linear_held_", self.env.ref(f"linear_crm.{xmlid}").domain_force, xmlid)
        leads = self.env["crm.lead"].search(sales_1._linear_held_leads_domain())
        self.assertEqual(leads & (self.w["lead_1"] | self.w["lead_2"]), self.w["lead_1"])
        self.assertIn(self.w["lead_free_a"], leads)
        clients = self.env["res.partner"].search(sales_1._linear_held_clients_domain())
        self.assertIn(self.w["client_1"], clients)
        self.assertNotIn(self.w["client_2"], clients)

    def test_team_changes_show_at_once(self):
        """The rules carry the user's team ids and are cached per user: joining or leaving a team,
        or leading one, changes what the salesperson sees in the same transaction."""
        sales_3, team_a = self.w["sales_3"], self.w["team_a"]
        Lead = self.env["crm.lead"].with_user(sales_3)
        Partner = self.env["res.partner"].with_user(sales_3)
        free_a, client_free_a = self.w["lead_free_a"], self.w["client_free_a"]
        self.assertFalse(Lead.search([("id", "=", free_a.id)]))
        self.assertFalse(Partner.search([("id", "=", client_free_a.id)]))
        member = self.env["crm.team.member"].create({"crm_team_id": team_a.id, "user_id": sales_3.id})
        self.assertEqual(Lead.search([("id", "=", free_a.id)]), free_a)
        self.assertEqual(Partner.search([("id", "=", client_free_a.id)]), client_free_a)
        member.unlink()
        self.assertFalse(Lead.search([("id", "=", free_a.id)]))
        self.assertFalse(Partner.search([("id", "=", client_free_a.id)]))
        team_a.user_id = sales_3
        self.assertIn(self.w["lead_2"], Lead.search([("team_id", "=", team_a.id)]))
        self.assertTrue(Partner.search([("id", "=", self.w["client_2"].id)]))

    def test_objections_follow_the_held_leads(self):
        Objection = self.env["crm.lead.objection"].with_user(self.w["sales_1"])
        price = self.env.ref("linear_crm.objection_type_price")
        with self.assertRaises(AccessError):
            Objection.create({"lead_id": self.w["lead_2"].id, "type_id": price.id})
        own = Objection.create({"lead_id": self.w["lead_1"].id, "type_id": price.id})
        self.assertEqual(Objection.search([("id", "=", own.id)]).lead_id, self.w["lead_1"])

    def test_import_cannot_link_a_colleagues_client(self):
        """An import keeps its good rows (linear.import.mixin) and reports the forged one."""
        Lead = self.env["crm.lead"].with_user(self.w["sales_1"]).with_context(import_file=True)
        rows = [["LC import own", str(self.w["client_1"].id)], ["LC import grab", str(self.w["client_2"].id)]]
        result = Lead.load(["name", "partner_id/.id"], rows)
        self.assertEqual(Lead.browse(result["ids"]).mapped("name"), ["LC import own"])
        self.assertTrue(any(message["type"] == "error" for message in result["messages"]))
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "LC import grab")]))

    def test_migration_rewrites_the_rules_of_older_databases(self):
        """A database of 19.0.1.0.0 keeps its noupdate rules; the migration gives it the shipped ones."""
        spec = importlib.util.spec_from_file_location(
            "linear_crm_post_ownership", file_path("linear_crm/migrations/19.0.1.1.0/post-ownership.py")
        )
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        shipped = migration.shipped_values()
        self.assertEqual(set(shipped), set(migration.RULES))
        rules = {xmlid: self.env.ref(f"linear_crm.{xmlid}") for xmlid in shipped}
        for rule in rules.values():  # as the previous version left them
            rule.write({"name": "Old rule", "domain_force": "[('create_uid', '=', user.id)]"})
        migration.migrate(self.env.cr, "19.0.1.0.0")
        for xmlid, rule in rules.items():
            self.assertEqual(rule.name, shipped[xmlid]["name"], xmlid)
            self.assertEqual(rule.domain_force, shipped[xmlid]["domain_force"], xmlid)
        Partner = self.env["res.partner"].with_user(self.w["sales_1"])
        self.assertEqual(
            Partner.search([("id", "in", (self.w["client_1"] | self.w["client_2"]).ids)]), self.w["client_1"]
        )
