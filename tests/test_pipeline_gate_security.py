# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Issue 8/9 over JSON-RPC, as a restricted user would send it, and the two buttons a browser
clicks: Move Anyway… (the gate's override) and Bind Process… › Apply."""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPipelineGateSecurityHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env.ref("linear_crm.demo_team_process")
        cls.lead = cls.env.ref("linear_crm.demo_lead_process_2")
        cls.salesman = new_test_user(cls.env, login="gs_sales", groups="sales_team.group_sale_salesman")
        cls.owner = new_test_user(cls.env, login="gs_owner", groups="base.group_user")
        cls.team.member_ids = [(4, cls.salesman.id)]
        cls.lead.user_id = cls.salesman
        cls.first_stage = cls.lead.stage_id
        cls.next_stage = cls.team.linear_stage_ids.sorted("sequence")[1]

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    @mute_logger("odoo.http")
    def test_forged_gate_context_over_jsonrpc(self):
        self.authenticate(self.salesman.login, self.salesman.login)
        forged = {
            "linear_skip_gate": True,
            "linear_gate_override_reason": "x",
            "linear_gate_override": {"reason": "x"},
        }
        with self.assertRaises(JsonRpcException):
            self.call("crm.lead", "write", [self.lead.id], {"stage_id": self.next_stage.id}, context=forged)
        self.lead.invalidate_recordset()
        self.assertEqual(self.lead.stage_id, self.first_stage)

    @mute_logger("odoo.http")
    def test_detour_through_an_ordinary_stage_keeps_the_gate(self):
        """Back to an ordinary stage (allowed), then on to a later step: the results of every step
        before it are still due, for the salesperson over JSON-RPC."""
        ordinary = self.env["crm.stage"].create({"name": "GS ordinary", "sequence": 0})
        later = self.team.linear_stage_ids.sorted("sequence")[-1]
        self.authenticate(self.salesman.login, self.salesman.login)
        self.call("crm.lead", "write", [self.lead.id], {"stage_id": ordinary.id})
        for target in (later, self.next_stage):
            with self.assertRaisesRegex(JsonRpcException, "UserError"):
                self.call("crm.lead", "write", [self.lead.id], {"stage_id": target.id})
        self.lead.invalidate_recordset()
        self.assertEqual(self.lead.stage_id, ordinary)
        # back into the step it left is no skip
        self.call("crm.lead", "write", [self.lead.id], {"stage_id": self.first_stage.id})
        self.lead.invalidate_recordset()
        self.assertEqual(self.lead.stage_id, self.first_stage)

    def test_gate_refusal_is_a_warning_in_the_log(self):
        """A refused move is an answer to the user, not a server fault: no ERROR, no traceback."""
        manager = new_test_user(self.env, login="gs_manager", groups="sales_team.group_sale_manager")
        self.authenticate(manager.login, manager.login)
        with (
            self.assertLogs("odoo.http", level="WARNING") as logs,
            self.assertRaisesRegex(JsonRpcException, "RedirectWarning"),
        ):
            self.call("crm.lead", "write", [self.lead.id], {"stage_id": self.next_stage.id})
        self.assertEqual([record.levelname for record in logs.records], ["WARNING"])
        self.assertFalse(logs.records[0].exc_info)

    @mute_logger("odoo.http")
    def test_new_lead_cannot_start_in_a_later_step(self):
        self.authenticate(self.salesman.login, self.salesman.login)
        vals = {"name": "GS skipped the process", "team_id": self.team.id, "user_id": self.salesman.id}
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self.call("crm.lead", "create", [{**vals, "stage_id": self.next_stage.id}])
        self.assertFalse(self.env["crm.lead"].search([("name", "=", vals["name"])]))
        lead_id = self.call("crm.lead", "create", [{**vals, "stage_id": self.first_stage.id}])
        self.assertEqual(self.env["crm.lead"].browse(lead_id).stage_id, self.first_stage)

    @mute_logger("odoo.http")
    def test_forged_confirmation_over_jsonrpc(self):
        line = self.lead.linear_result_ids.filtered("required")[:1]
        self.authenticate(self.salesman.login, self.salesman.login)
        admin = self.env.ref("base.user_admin")
        for vals in ({"confirmed": True, "confirmed_by": admin.id}, {"confirmed_at": "2020-01-01 10:00:00"}):
            with self.assertRaises(JsonRpcException):
                self.call("crm.lead.step.result", "write", line.ids, vals)
        line.invalidate_recordset()
        self.assertFalse(line.confirmed or line.confirmed_by or line.confirmed_at)
        self.call("crm.lead.step.result", "action_confirm", line.ids)
        line.invalidate_recordset()
        self.assertEqual(line.confirmed_by, self.salesman)

    @mute_logger("odoo.http")
    def test_owner_cannot_approve_over_jsonrpc(self):
        draft = self.env["linear.process"].create(
            {"name": "GS draft", "owner_id": self.owner.id, "step_ids": [(0, 0, {"name": "Only step"})]}
        )
        self.authenticate(self.owner.login, self.owner.login)
        with self.assertRaises(JsonRpcException):
            self.call("linear.process", "write", draft.ids, {"state": "approved"})
        approved = self.env.ref("linear_crm.demo_process_order")
        with self.assertRaises(JsonRpcException):
            self.call("linear.step.timing", "search_read", [], fields=["user_id", "duration_hours"])
        with self.assertRaises(JsonRpcException):
            self.call("linear.process.step", "write", approved.step_ids[:1].ids, {"name": "Renamed"})
        draft.invalidate_recordset()
        self.assertEqual(draft.state, "draft")

    def test_move_anyway_button(self):
        """Issue 9.1: the gate's RedirectWarning opens the override wizard in the browser."""
        self.start_tour(f"/odoo/crm.lead/{self.lead.id}", "linear_crm_gate_move_anyway", login="admin")
        self.lead.invalidate_recordset()
        self.assertEqual(self.lead.stage_id, self.next_stage)
        # the reason is logged in the chatter (next to the tracked stage change)
        self.assertIn(
            "Клиент подписал договор на бумаге", " ".join(map(str, self.lead.message_ids.mapped("body")))
        )

    def test_bind_process_apply_button(self):
        """Issue 9.2: Bind Process… › Apply without changes works in the browser."""
        before = len(self.team.message_ids)
        self.start_tour(f"/odoo/crm.team/{self.team.id}", "linear_crm_bind_process_apply", login="admin")
        self.team.invalidate_recordset()
        self.assertEqual(self.team.linear_process_id, self.env.ref("linear_crm.demo_process_order"))
        self.assertGreater(len(self.team.message_ids), before)
