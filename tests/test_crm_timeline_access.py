# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The client timeline shows each row only to whoever may read its document.

Two salespeople each hold a lead on the same client: each reads the client's own history and
their own lead's, never the colleague's lead name, note or meeting, however they ask (search_read,
read by id, grouped). Rows of other apps (orders, invoices, payments) follow those models' ACLs and
record rules: checked with stand-in sources, as sales and invoicing are not installed here.
"""

import json
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import SQL

from .crm_assignment_common import make_sales_world

FIELDS = ["name", "kind", "lead_id", "res_model", "res_id"]


class SharedClientCase:
    """client_1 belongs to sales_1; a manager also gave sales_2 a lead on it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.w = w = make_sales_world(cls.env)
        cls.client = w["client_1"]
        cls.secret = (
            cls.env["crm.lead"]
            .with_context(linear_skip_assignment=True)
            .create(
                {
                    "name": "LC secret deal of Two",
                    "user_id": w["sales_2"].id,
                    "team_id": w["team_a"].id,
                    "partner_id": cls.client.id,
                    "type": "opportunity",
                }
            )
        )
        cls.secret.message_post(
            body="LC private note of Two", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        cls.env["calendar.event"].create(
            {
                "name": "LC secret meeting of Two",
                "opportunity_id": cls.secret.id,
                "start": "2030-01-01 10:00:00",
                "stop": "2030-01-01 11:00:00",
            }
        )
        w["lead_1"].message_post(body="LC note of One", message_type="comment", subtype_xmlid="mail.mt_note")
        cls.client.message_post(body="LC card message", message_type="comment")
        cls.env.flush_all()


@tagged("post_install", "-at_install")
class TestTimelineAccessRpc(SharedClientCase, HttpCase):
    def call(self, method, *args, **kwargs):
        model = "linear.client.timeline"
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def timeline_as(self, key):
        user = self.w[key]
        self.authenticate(user.login, user.login)
        return json.dumps(self.call("search_read", [("partner_id", "=", self.client.id)], fields=FIELDS))

    def test_colleagues_lead_on_a_shared_client_stays_private(self):
        text = self.timeline_as("sales_1")
        for mine in ("LC card message", "LC note of One", "LC lead 1"):
            self.assertIn(mine, text)
        for theirs in ("LC secret deal of Two", "LC private note of Two", "LC secret meeting of Two"):
            self.assertNotIn(theirs, text)
        # by id and grouped: the same rows and no more
        secret_rows = self.env["linear.client.timeline"].search([("lead_id", "=", self.secret.id)])
        self.assertGreaterEqual(len(secret_rows), 3, "lead, note and meeting rows")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.call("read", secret_rows.ids, ["name"])
        groups = self.call(
            "formatted_read_group", [("partner_id", "=", self.client.id)], ["lead_id"], ["__count"]
        )
        self.assertNotIn(self.secret.id, [group["lead_id"][0] for group in groups if group["lead_id"]])
        self.assertFalse(self.call("search_count", [("id", "in", secret_rows.ids)]))

    def test_each_salesperson_reads_their_own_lead(self):
        text = self.timeline_as("sales_2")
        self.assertIn("LC secret deal of Two", text)
        self.assertIn("LC private note of Two", text)
        self.assertIn("LC card message", text)
        self.assertNotIn("LC note of One", text)
        # the leader of both salespeople's team and an all-documents manager see everything
        for key in ("lead_a", "manager"):
            text = self.timeline_as(key)
            for name in ("LC secret deal of Two", "LC note of One", "LC card message"):
                self.assertIn(name, text, key)


@tagged("post_install", "-at_install")
class TestTimelineOtherApps(SharedClientCase, TransactionCase):
    def test_sources_of_other_apps_follow_their_access(self):
        """Stand-ins for orders and invoices: a model salespeople have no ACL on (system
        parameters) and one behind record rules (tasks of a private project)."""
        sales_1 = self.w["sales_1"]
        Project = self.env["project.project"].with_context(mail_create_nosubscribe=True)
        open_project = Project.create({"name": "LC open project", "privacy_visibility": "employees"})
        closed_project = Project.create({"name": "LC closed project", "privacy_visibility": "followers"})
        tasks = self.env["project.task"].create(
            [
                {"name": "LC open task", "project_id": open_project.id},
                {"name": "LC closed task", "project_id": closed_project.id},
            ]
        )
        readable = self.env["project.task"].with_user(sales_1).search([("id", "in", tasks.ids)])
        self.assertEqual(readable.mapped("name"), ["LC open task"], "the stand-in has record rules")
        client = self.client.id
        sources = {
            "ir.config_parameter": lambda: SQL(
                "SELECT c.id::bigint * 32 + 30, %s, now()::timestamp, 'invoice', 'LC parameter ' || c.key,"
                " NULL::int, NULL::int, 'ir.config_parameter', c.id, NULL::int FROM ir_config_parameter c",
                client,
            ),
            "project.task": lambda: SQL(
                "SELECT t.id::bigint * 32 + 31, %s, now()::timestamp, 'sale_order', t.name,"
                " NULL::int, NULL::int, 'project.task', t.id, NULL::int FROM project_task t WHERE t.id IN %s",
                client,
                tuple(tasks.ids),
            ),
        }
        Timeline = self.env["linear.client.timeline"]
        with patch.object(type(Timeline), "_timeline_optional_sources", lambda self: sources):
            Timeline.init()  # the view with the stand-ins, inside this test's transaction
            everything = Timeline.search([("partner_id", "=", client)])
            self.assertIn("LC closed task", everything.mapped("name"))
            self.assertTrue(any(name.startswith("LC parameter") for name in everything.mapped("name")))
            rows = Timeline.with_user(sales_1).search([("partner_id", "=", client)])
            names = rows.mapped("name")
            self.assertIn("LC open task", names)
            self.assertNotIn("LC closed task", names)
            self.assertFalse([name for name in names if name.startswith("LC parameter")])
            hidden = everything - rows
            with self.assertRaises(AccessError):
                hidden.with_user(sales_1).read(["name"])
