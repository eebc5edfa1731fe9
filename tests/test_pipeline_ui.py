# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import json

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPipelineUi(HttpCase):
    def test_drag_lead_to_next_step_confirm_results_and_move_on(self):
        lead = self.env.ref("linear_crm.demo_lead_process_1")
        self.env.ref("base.user_admin").lang = "en_US"  # the tour reads English tabs; the demo is Russian
        self.start_tour(
            "/odoo/action-crm.crm_lead_action_pipeline", "linear_crm_process_pipeline", login="admin"
        )
        self.assertEqual(lead.stage_id.linear_step_id, self.env.ref("linear_crm.demo_step_order_3"))
        payment = lead.linear_result_ids.filtered(lambda r: r.name == "Оплата от клиента получена")
        self.assertTrue(payment.confirmed)
        self.assertEqual(payment.confirmed_by, self.env.ref("base.user_admin"))
        summaries = self.env["mail.activity"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        self.assertIn("Собрать и упаковать заказ", summaries.mapped("summary"))

    def test_rpc_write_is_a_stage_entry(self):
        """A stage change over JSON-RPC, as an integration would send it, starts the step too."""
        lead = self.env.ref("linear_crm.demo_lead_process_1")
        next_stage = self.env["crm.stage"].search(
            [("linear_step_id", "=", self.env.ref("linear_crm.demo_step_order_2").id)]
        )
        self.authenticate("admin", "admin")
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/crm.lead/write",
            {
                "model": "crm.lead",
                "method": "write",
                "args": [[lead.id], {"stage_id": next_stage.id}],
                "kwargs": {},
            },
        )
        lead.invalidate_recordset()
        self.assertEqual(lead.stage_id, next_stage)
        activity = self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", lead.id),
                ("summary", "=", "Проверить поступление оплаты"),
            ]
        )
        self.assertEqual(len(activity), 1)
        third_stage = self.env["crm.stage"].search(
            [("linear_step_id", "=", self.env.ref("linear_crm.demo_step_order_3").id)]
        )
        # the gate applies over RPC as well: the next move has an unconfirmed required result
        response = self.url_open(
            "/web/dataset/call_kw/crm.lead/write",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "crm.lead",
                        "method": "write",
                        "args": [[lead.id], {"stage_id": third_stage.id}],
                        "kwargs": {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertIn("Оплата от клиента получена", response.text)
        lead.invalidate_recordset()
        self.assertEqual(lead.stage_id, next_stage)
