# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Who sees which clients and leads: salesperson, team leader, all-documents manager.

Checked through the ORM and through HTTP JSON-RPC, plus the everyday flows of a restricted
salesperson (pipeline, new lead with a new customer, edit, chatter, activity, customer form).
"""

from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, TransactionCase, tagged
from odoo.tests.common import JsonRpcException

from .crm_assignment_common import make_sales_world

LEADS = ("lead_1", "lead_2", "lead_3", "lead_free_a", "lead_free_b", "lead_no_team")
CLIENTS = ("client_1", "client_2", "client_3", "client_free_a", "client_free_b", "client_1_contact")

# who sees what (names from make_sales_world)
EXPECTED_LEADS = {
    "sales_1": {"lead_1", "lead_free_a"},
    "sales_3": {"lead_3", "lead_free_b"},
    "lead_a": {"lead_1", "lead_2", "lead_free_a"},
    "manager": set(LEADS),
}
EXPECTED_CLIENTS = {
    "sales_1": {"client_1", "client_1_contact", "client_free_a"},
    "sales_3": {"client_3", "client_free_b"},
    "lead_a": {"client_1", "client_1_contact", "client_2", "client_free_a"},
    "manager": set(CLIENTS),
}


class VisibilityCase:
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.w = make_sales_world(cls.env)
        cls.name_by_id = {cls.w[name].id: name for name in LEADS + CLIENTS}
        employee = cls.env["hr.employee"].create({"name": "LC Employee Without User"})
        cls.others = {
            "vendor": cls.w["vendor"],
            "colleague": cls.w["sales_2"].partner_id,
            "company": cls.env.company.partner_id,
            "employee": employee.work_contact_id,
        }

    def names(self, records):
        return {self.name_by_id[r] for r in (records.ids if hasattr(records, "ids") else records)}


@tagged("post_install", "-at_install")
class TestCrmVisibility(VisibilityCase, TransactionCase):
    def test_clients_are_flagged_and_odoo_partners_are_not(self):
        for name in CLIENTS:
            self.assertTrue(self.w[name].is_client, name)
        for name, partner in self.others.items():
            self.assertFalse(partner.is_client, name)
        self.assertFalse(self.env.user.partner_id.is_client)

    def test_lead_matrix_orm(self):
        ids = [self.w[name].id for name in LEADS]
        for user_key, expected in EXPECTED_LEADS.items():
            found = self.env["crm.lead"].with_user(self.w[user_key]).search([("id", "in", ids)])
            self.assertEqual(self.names(found), expected, user_key)

    def test_partner_matrix_orm(self):
        ids = [self.w[name].id for name in CLIENTS]
        other_ids = [p.id for p in self.others.values()]
        for user_key, expected in EXPECTED_CLIENTS.items():
            Partner = self.env["res.partner"].with_user(self.w[user_key])
            self.assertEqual(self.names(Partner.search([("id", "in", ids)])), expected, user_key)
            # Odoo's own partners and non-client contacts stay visible to everyone
            self.assertEqual(len(Partner.search([("id", "in", other_ids)])), len(other_ids), user_key)

    def test_client_timeline_matrix(self):
        """The timeline of a client is readable by exactly those who see the client."""
        for name in CLIENTS:
            self.w[name].message_post(body=f"Timeline probe {name}", message_type="comment")
        Timeline = self.env["linear.client.timeline"]
        probes = Timeline.search([("name", "like", "Timeline probe")])
        self.assertTrue(probes)
        for user_key, expected in EXPECTED_CLIENTS.items():
            rows = Timeline.with_user(self.w[user_key]).search([("id", "in", probes.ids)])
            # rows belong to the client itself (the commercial entity of the contact)
            clients = {self.w[name].commercial_partner_id for name in expected}
            self.assertEqual(set(rows.partner_id), clients, user_key)

    def test_objections_follow_their_lead(self):
        Objection = self.env["crm.lead.objection"]
        objections = Objection.create(
            [
                {
                    "lead_id": self.w[name].id,
                    "type_id": self.env.ref("linear_crm.objection_type_price").id,
                    "client_statement": f"Too expensive ({name})",
                }
                for name in LEADS
            ]
        )
        for user_key, expected in EXPECTED_LEADS.items():
            found = Objection.with_user(self.w[user_key]).search([("id", "in", objections.ids)])
            self.assertEqual(self.names(found.lead_id), expected, user_key)

    def test_restricted_access_errors(self):
        sales_1 = self.w["sales_1"]
        with self.assertRaises(AccessError):
            self.w["lead_2"].with_user(sales_1).read(["name"])
        with self.assertRaises(AccessError):
            self.w["client_2"].with_user(sales_1).write({"phone": "1"})
        with self.assertRaises(AccessError):
            self.w["lead_free_b"].with_user(sales_1).write({"name": "taken"})

    def test_team_leader_loses_view_when_lead_leaves_team(self):
        lead_a = self.w["lead_a"]
        self.w["lead_2"].write({"team_id": self.w["team_b"].id})
        Lead = self.env["crm.lead"].with_user(lead_a)
        self.assertFalse(Lead.search([("id", "=", self.w["lead_2"].id)]))

    def test_new_member_sees_unassigned_leads_of_the_team(self):
        sales_3 = self.w["sales_3"]
        Lead = self.env["crm.lead"].with_user(sales_3)
        self.assertFalse(Lead.search([("id", "=", self.w["lead_free_a"].id)]))
        self.w["team_a"].write({"member_ids": [(4, sales_3.id)]})
        self.assertTrue(Lead.search([("id", "=", self.w["lead_free_a"].id)]))

    def test_salesperson_main_flows(self):
        """Pipeline, a lead with a new customer, edit, chatter, activity, the customer form."""
        sales_1 = self.w["sales_1"]
        Lead = self.env["crm.lead"].with_user(sales_1)
        # the pipeline: kanban grouped by stage
        groups = Lead.formatted_read_group([("type", "=", "opportunity")], ["stage_id"], ["__count"])
        self.assertTrue(groups)
        Lead.web_search_read(
            [("type", "=", "opportunity")], {"name": {}, "partner_id": {"fields": {"display_name": {}}}}
        )
        # a new customer created from the lead form, as the quick create does
        partner_id, _name = (
            self.env["res.partner"]
            .with_user(sales_1)
            .with_context(default_user_id=sales_1.id, default_type="contact")
            .name_create("LC Brand New Customer")
        )
        with Form(Lead.with_context(default_type="opportunity")) as form:
            form.name = "LC new deal"
            form.partner_id = self.env["res.partner"].browse(partner_id)
        lead = form.record
        self.assertEqual(lead.user_id, sales_1)
        lead.write({"expected_revenue": 1000, "contract_end_date": "2030-01-01"})
        lead.message_post(body="Called the customer", message_type="comment", subtype_xmlid="mail.mt_note")
        lead.activity_schedule("mail.mail_activity_data_call", user_id=sales_1.id, summary="Call back")
        lead.activity_schedule("mail.mail_activity_data_todo", user_id=self.w["sales_2"].id, summary="Help")
        self.assertEqual(len(lead.activity_ids), 2)
        customer = lead.partner_id
        self.assertTrue(customer.is_client)
        customer.web_read({"name": {}, "user_id": {"fields": {"display_name": {}}}, "opportunity_count": {}})
        customer.message_post(body="Met at the fair", message_type="comment")
        customer.write({"phone": "+7 916 123-45-67"})
        # the lead of an existing client of theirs, with the company contact
        with Form(Lead.with_context(default_type="opportunity")) as form:
            form.name = "LC repeat deal"
            form.partner_id = self.w["client_1_contact"].with_user(sales_1)
        self.assertEqual(form.record.partner_id, self.w["client_1_contact"])


@tagged("post_install", "-at_install")
class TestCrmVisibilityHttp(VisibilityCase, HttpCase):
    """The same matrix through the web client's JSON-RPC, and the chatter routes."""

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def test_matrix_over_jsonrpc(self):
        lead_ids = [self.w[name].id for name in LEADS]
        client_ids = [self.w[name].id for name in CLIENTS]
        for user_key in EXPECTED_LEADS:
            login = self.w[user_key].login
            self.authenticate(login, login)
            leads = self.call("crm.lead", "search_read", [("id", "in", lead_ids)], fields=["name"])
            self.assertEqual(self.names([r["id"] for r in leads]), EXPECTED_LEADS[user_key], user_key)
            partners = self.call("res.partner", "search_read", [("id", "in", client_ids)], fields=["name"])
            self.assertEqual(self.names([r["id"] for r in partners]), EXPECTED_CLIENTS[user_key], user_key)

    def test_salesperson_flows_over_http(self):
        sales_1 = self.w["sales_1"]
        self.authenticate(sales_1.login, sales_1.login)
        lead = self.w["lead_1"]
        # someone else's client following the lead or writing in it must not break the chatter
        foreign = self.w["client_2"]
        foreign.email = "c2@example.com"
        lead.message_subscribe(partner_ids=foreign.ids)
        lead.message_post(
            body="Hello from a consultant",
            author_id=foreign.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.w["client_3"].ids,
        )
        pipeline = self.call(
            "crm.lead",
            "web_read_group",
            [("type", "=", "opportunity")],
            ["stage_id"],
            ["__count"],
            auto_unfold=True,
            unfold_read_specification={"name": {}, "partner_id": {"fields": {"display_name": {}}}},
        )
        self.assertTrue(pipeline["groups"])
        self.call(
            "crm.lead", "web_read", [lead.id], {"name": {}, "partner_id": {"fields": {"display_name": {}}}}
        )
        data = self.make_jsonrpc_request(
            "/mail/data",
            {
                "fetch_params": [
                    [
                        "mail.thread",
                        {
                            "thread_model": "crm.lead",
                            "thread_id": lead.id,
                            "request_list": ["activities", "attachments", "followers", "suggestedRecipients"],
                        },
                    ]
                ]
            },
        )
        self.assertTrue(data)
        messages = self.make_jsonrpc_request(
            "/mail/thread/messages", {"thread_model": "crm.lead", "thread_id": lead.id}
        )
        self.assertTrue(messages["messages"])
        self.make_jsonrpc_request(
            "/mail/thread/recipients", {"thread_model": "crm.lead", "thread_id": lead.id}
        )
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "crm.lead",
                "thread_id": lead.id,
                "post_data": {
                    "body": "Spoke with the client",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_note",
                },
            },
        )
        self.call(
            "res.partner",
            "web_read",
            [self.w["client_1"].id],
            {"name": {}, "child_ids": {"fields": {"name": {}}}},
        )
        # someone else's lead is refused, not a server error
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.call("crm.lead", "web_read", [self.w["lead_2"].id], {"name": {}})
