# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Who sees which sales figures, over the web client's JSON-RPC: a salesperson their own, a team
leader the team's, a manager all; forged filters and ids reveal nothing more."""

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .crm_assignment_common import make_sales_world
from .test_crm_visibility import EXPECTED_LEADS, LEADS

REPORTS = ("linear.stage.history", "linear.report.funnel", "linear.report.channel", "linear.report.forecast")


@tagged("post_install", "-at_install")
class TestAnalyticsAccess(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.w = make_sales_world(cls.env)
        cls.w["sales_1"].group_ids = [fields.Command.link(cls.env.ref("base.group_allow_export").id)]
        stages = cls.env["crm.stage"].search([("is_won", "=", False)], order="sequence, id", limit=2)
        for name in LEADS:
            lead = cls.w[name]
            lead.stage_id = stages[1] if lead.stage_id == stages[0] else stages[0]
        cls.lead_ids = [cls.w[name].id for name in LEADS]
        cls.name_by_id = {cls.w[name].id: name for name in LEADS}
        today = fields.Date.to_string(fields.Date.today())
        cls.period = {"date_from": today, "date_to": today}
        cls.internal = cls.env["res.users"].create(
            {
                "name": "AN Internal",
                "login": "an_internal",
                "password": "an_internal",
                "group_ids": [fields.Command.set([cls.env.ref("base.group_user").id])],
            }
        )

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def names(self, ids):
        return {self.name_by_id[i] for i in ids if i in self.name_by_id}

    def test_report_models_follow_the_leads(self):
        for user_key, expected in EXPECTED_LEADS.items():
            login = self.w[user_key].login
            self.authenticate(login, login)
            for model in REPORTS:
                rows = self.call(model, "search_read", [("lead_id", "in", self.lead_ids)], fields=["lead_id"])
                self.assertEqual(self.names(r["lead_id"][0] for r in rows), expected, f"{user_key} {model}")
            groups = self.call(
                "linear.report.funnel",
                "formatted_read_group",
                [("lead_id", "in", self.lead_ids)],
                groupby=["lead_id"],
                aggregates=["entered:sum"],
            )
            self.assertEqual(self.names(g["lead_id"][0] for g in groups), expected, user_key)
            # forged filters on another person's leads find nothing more
            forged = self.call(
                "linear.report.funnel",
                "search_read",
                [("user_id", "=", self.w["sales_3"].id)],
                fields=["lead_id"],
            )
            self.assertLessEqual(self.names(r["lead_id"][0] for r in forged), expected)

    def test_export_and_forged_ids(self):
        self.authenticate("lc_vis_s1", "lc_vis_s1")
        own = self.call("linear.report.funnel", "search", [("lead_id", "in", self.lead_ids)])
        exported = self.call("linear.report.funnel", "export_data", own, ["lead_id", "entered"])
        self.assertEqual(len(exported["datas"]), len(own))
        others = self.env["linear.report.funnel"].search([("lead_id", "=", self.w["lead_2"].id)]).ids
        self.assertTrue(others)
        for method, args in (
            ("export_data", [others, ["lead_id", "entered"]]),
            ("read", [others, ["lead_id"]]),
        ):
            with self.assertRaises(JsonRpcException, msg=method):
                self.call("linear.report.funnel", method, *args)
        history = self.env["linear.stage.history"].search([("lead_id", "=", self.w["lead_1"].id)])
        with self.assertRaises(JsonRpcException):
            self.call("linear.stage.history", "write", history.ids, {"stage_to_id": False})
        with self.assertRaises(JsonRpcException):
            self.call("linear.stage.history", "create", {"lead_id": self.w["lead_1"].id})

    def test_analytics_api_counts_only_readable_leads(self):
        # the manager also sees the database's other leads: counted per team instead
        team_a, team_b = self.w["team_a"].id, self.w["team_b"].id
        # the demo's marketing costs may fall in the period: this test is about leads only
        self.env["linear.marketing.cost"].search([]).unlink()
        expected = [
            ("sales_1", False, 2),
            ("lead_a", False, 3),
            ("sales_3", False, 2),
            ("manager", team_a, 3),
            ("manager", team_b, 2),
            ("lead_a", team_b, 0),
        ]
        for user_key, team_id, total in expected:
            login = self.w[user_key].login
            self.authenticate(login, login)
            period = dict(self.period, team_id=team_id)
            funnel = self.call("linear.sales.analytics", "funnel", period)
            self.assertEqual(funnel["totals"]["leads"], total, user_key)
            channels = self.call("linear.sales.analytics", "channels", period)
            self.assertEqual(sum(row["leads"] for row in channels["rows"]), total, user_key)
            self.assertEqual({row["cost"] for row in channels["rows"]} - {None}, set(), "no cost rows exist")
        # a salesperson forging another user's or team's filter sees zeros, not their figures
        self.authenticate("lc_vis_s1", "lc_vis_s1")
        forged_user = dict(self.period, user_id=self.w["sales_2"].id)
        forged_team = dict(self.period, team_id=self.w["team_b"].id)
        self.assertEqual(self.call("linear.sales.analytics", "funnel", forged_user)["totals"]["leads"], 0)
        self.assertEqual(self.call("linear.sales.analytics", "funnel", forged_team)["totals"]["leads"], 0)
        self.assertEqual(self.call("linear.sales.analytics", "managers", forged_user)["rows"], [])
        self.assertEqual(self.call("linear.sales.analytics", "channels", forged_team)["rows"], [])
        managers = self.call("linear.sales.analytics", "managers", self.period)
        self.assertEqual([row["user_id"] for row in managers["rows"]], [self.w["sales_1"].id])
        self.assertEqual(
            managers["rows"][0]["new_leads"], 1, "lead 1; the unassigned lead has no salesperson row"
        )
        # private helpers are not callable over RPC, unknown filters are refused
        with self.assertRaises(JsonRpcException):
            self.call("linear.sales.analytics", "_linear_interaction_counts", [], False, False)
        with self.assertRaises(JsonRpcException):
            self.call("linear.sales.analytics", "funnel", dict(self.period, uid=1))
        # a user without sales rights gets an access error, not figures
        self.authenticate("an_internal", "an_internal")
        with self.assertRaises(JsonRpcException):
            self.call("linear.sales.analytics", "funnel", self.period)
