# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Issue 8/9: the gate, the checklist, the process life cycle and the step engine hold against
forged input; approving a new version moves the pipeline; history survives."""

import importlib.util
import os
from datetime import datetime

import psycopg2
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, RedirectWarning, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .test_pipeline_automation import PipelineCase


@tagged("post_install", "-at_install")
class TestGateAndChecklist(PipelineCase):
    def test_plain_context_keys_do_not_open_the_gate(self):
        lead = self._lead(self.stages[0])
        forged = {
            "linear_skip_gate": True,
            "linear_gate_override_reason": "because",
            "linear_gate_override": "x",
        }
        for user, refusal in ((self.salesman, UserError), (self.manager, RedirectWarning)):
            with self.assertRaises(refusal):
                lead.with_user(user).with_context(**forged).write({"stage_id": self.stages[1].id})
        self.assertEqual(lead.stage_id, self.stages[0])

    def test_override_wizard_is_the_way_past_the_gate(self):
        lead = self._lead(self.stages[0])
        wizard = (
            self.env["linear.stage.override"]
            .with_user(self.salesman)
            .create({"lead_ids": [Command.set(lead.ids)], "stage_id": self.stages[1].id, "reason": "Paper"})
        )
        with self.assertRaises(UserError):
            wizard.action_move()
        self.assertEqual(lead.stage_id, self.stages[0])
        wizard = (
            self.env["linear.stage.override"]
            .with_user(self.manager)
            .create({"lead_ids": [Command.set(lead.ids)], "stage_id": self.stages[1].id, "reason": "Paper"})
        )
        wizard.action_move()
        self.assertEqual(lead.stage_id, self.stages[1])
        self.assertIn("Paper", lead.message_ids[0].body)

    def test_confirmation_fields_are_written_only_by_the_buttons(self):
        lead = self._lead(self.stages[0])
        line = lead.linear_result_ids.filtered("required")[:1].with_user(self.salesman)
        forged = [
            {"confirmed": True},
            {"confirmed_by": self.manager.id},
            {"confirmed_at": datetime(2020, 1, 1)},
            {"result_id": self.step3.result_ids[0].id},
        ]
        for vals in forged:
            with self.assertRaises(AccessError):
                line.write(vals)
        with self.assertRaises(AccessError):
            self.env["crm.lead.step.result"].with_user(self.salesman).create(
                {"lead_id": lead.id, "result_id": self.step2.result_ids[0].id, "confirmed": True}
            )
        self.assertFalse(line.confirmed)
        line.action_confirm()
        self.assertEqual(line.confirmed_by, self.salesman)
        self.assertGreater(line.confirmed_at, datetime(2025, 1, 1))
        line.action_unconfirm()
        self.assertFalse(line.confirmed_by)

    def test_step_completion_locks_the_lead(self):
        """Two users finishing a step at once: the second waits for (or retries after) the first."""
        lead = self.env.ref("linear_crm.demo_lead_process_2")
        with self.registry.cursor() as other:
            other.execute("SELECT id FROM crm_lead WHERE id = %s FOR UPDATE", [lead.id])
            with (
                self.assertRaises(psycopg2.errors.LockNotAvailable),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                lead._linear_check_step_done()
            other.rollback()

    def test_one_open_timing_per_document(self):
        lead = self._lead(self.stages[0])
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["linear.step.timing"].create(
                {"res_model": "crm.lead", "res_id": lead.id, "step_id": self.step2.id}
            )
        # re-entry, leaving and merging keep a single open row
        self._confirm(lead, self.step1)
        lead.stage_id = self.stages[1]
        lead.stage_id = self.stages[0]
        other = self._lead(self.stages[0])
        (lead | other).merge_opportunity()
        kept = (lead | other).exists()
        open_rows = self.env["linear.step.timing"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "in", kept.ids), ("left_at", "=", False)]
        )
        self.assertEqual(len(open_rows), 1)

    def test_pre_migration_closes_duplicate_open_timings(self):
        """Existing databases may hold two open rows for a document: the upgrade closes the older
        one at the newer one's entry, so the unique index can be built."""
        path = os.path.join(
            os.path.dirname(__file__), "..", "migrations", "19.0.1.1.0", "pre-process-lifecycle.py"
        )
        spec = importlib.util.spec_from_file_location("linear_crm_pre_process_lifecycle", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        lead = self._lead(self.stages[0])
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("DROP INDEX linear_step_timing_record_open_uniq")  # as before the upgrade
        cr.execute(
            """INSERT INTO linear_step_timing (res_model, res_id, step_id, entered_at)
               VALUES ('crm.lead', %s, %s, now() at time zone 'UTC' - interval '2 days')""",
            [lead.id, self.step2.id],
        )
        migration.migrate(cr, "19.0.1.0.0")
        cr.execute(
            "SELECT step_id FROM linear_step_timing"
            " WHERE res_model = 'crm.lead' AND res_id = %s AND left_at IS NULL",
            [lead.id],
        )
        self.assertEqual(cr.fetchall(), [(self.step1.id,)], "the newest entry stays open")


@tagged("post_install", "-at_install")
class TestLeavingAStep(PipelineCase):
    def _leave_step1(self, mode):
        self.step1.sudo().on_leave = mode  # sudo: the fixture's process is approved (frozen)
        lead = self._lead(self.stages[0])
        call = self._open(lead, "Call the client")
        self.assertTrue(call)
        self._confirm(lead, self.step1)
        lead.with_user(self.salesman).stage_id = self.stages[1]
        return lead, call

    def test_cancel_by_default(self):
        self.assertEqual(self.env["linear.process.step"].new({}).on_leave, "cancel")
        lead, call = self._leave_step1("cancel")
        self.assertFalse(call.exists())
        self.assertTrue(self._open(lead, "Check the payment"))

    def test_mark_done_does_not_chain(self):
        lead, _call = self._leave_step1("done")
        self.assertFalse(self._open(lead, "Call the client"))
        self.assertFalse(self._open(lead, "Send the offer"), "leaving must not start the next action")
        self.assertEqual(lead.stage_id, self.stages[1])

    def test_keep(self):
        _lead, call = self._leave_step1("keep")
        self.assertTrue(call.exists())


@tagged("post_install", "-at_install")
class TestProcessLifecycle(PipelineCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.architect = new_test_user(
            cls.env, login="lc_architect", groups="base.group_user,linear_crm.group_process_architect"
        )
        cls.employee = new_test_user(cls.env, login="lc_employee", groups="base.group_user")

    def test_owner_cannot_change_state_or_version(self):
        draft = self.env["linear.process"].create(
            {"name": "Draft", "owner_id": self.employee.id, "step_ids": [Command.create({"name": "One"})]}
        )
        for vals in ({"state": "approved"}, {"version": 7}, {"previous_version_id": self.process.id}):
            with self.assertRaises(AccessError):
                draft.with_user(self.employee).write(vals)
        with self.assertRaises(AccessError):
            self.env["linear.process"].with_user(self.architect).create(
                {"name": "Forged", "state": "approved"}
            )
        self.assertEqual(draft.state, "draft")
        with self.assertRaises(UserError):
            draft.with_user(self.employee).action_approve()
        draft.with_user(self.architect).action_approve()
        self.assertEqual(draft.state, "approved")

    def test_approved_body_is_frozen_for_architects_too(self):
        process = self.process.with_user(self.architect)
        step = self.step2.with_user(self.architect)
        attempts = [
            lambda: step.write({"name": "Renamed"}),
            lambda: step.result_ids.write({"required": False}),
            lambda: step.action_ids.write({"name": "Other"}),
            lambda: step.result_ids.unlink(),
            lambda: step.unlink(),
            lambda: process.write({"name": "Other name"}),
            lambda: process.write({"step_ids": [Command.create({"name": "Extra"})]}),
            lambda: (
                self.env["linear.process.goal"]
                .with_user(self.architect)
                .create({"process_id": process.id, "name": "Increase revenue"})
            ),
            lambda: step.move_to_position(3),
        ]
        for attempt in attempts:
            with self.assertRaises(UserError):
                attempt()
        self.assertEqual(
            self.step_names(self.process), ["Request processing", "Payment collection", "Order delivery"]
        )
        self.assertFalse(process.get_board_data()["can_write"])
        self.assertTrue(self.step2.result_ids.required)

    @staticmethod
    def step_names(process):
        return process.step_ids.sorted(lambda s: (s.sequence, s.id)).mapped("name")

    def test_draft_reorder_is_logged(self):
        draft = self.env["linear.process"].create(
            {"name": "Draft", "step_ids": [Command.create({"name": n}) for n in ("A", "B", "C")]}
        )
        first = draft.step_ids.sorted("id")[0]
        first.move_to_position(3)
        self.assertEqual(self.step_names(draft), ["B", "C", "A"])
        self.assertIn("A", draft.message_ids[0].body)

    def test_history_survives_its_step(self):
        lead = self._lead(self.stages[0])
        self.assertTrue(lead.linear_result_ids)
        with self.assertRaises(UserError):
            self.step1.sudo().unlink()
        with self.assertRaises(UserError):
            self.process.sudo().unlink()
        self.assertTrue(self.step1.exists())
        self.assertEqual(self.env["linear.step.timing"]._fields["step_id"].ondelete, "restrict")
        self.assertEqual(self.env["crm.lead.step.result"]._fields["result_id"].ondelete, "restrict")

    def test_approved_process_in_use_is_not_reopened(self):
        self._lead(self.stages[0])
        with self.assertRaises(UserError):
            self.process.with_user(self.architect).action_reset_to_draft()
        with self.assertRaises(UserError):
            self.process.with_user(self.architect).action_archive_process()
        self.assertEqual(self.process.state, "approved")

    def test_new_version_moves_the_pipeline_and_its_leads(self):
        lead = self._lead(self.stages[0])
        self._confirm(lead, self.step1)
        v2 = (
            self.env["linear.process"]
            .browse(self.process.with_user(self.architect).action_new_version()["res_id"])
            .with_user(self.architect)
        )
        v2_steps = v2.step_ids.sorted("sequence")
        v2_steps[1].norm_duration = 2
        v2_steps[0].result_ids.filtered(lambda r: not r.required).name = "Discount agreed"
        v2.write({"step_ids": [Command.create({"name": "After-sales call", "sequence": 40})]})
        v2.action_approve()
        self.assertEqual(self.process.state, "archived")
        self.assertEqual(self.team.linear_process_id, v2)
        stages = self.team.linear_stage_ids
        self.assertEqual(stages.linear_step_id, v2.step_ids)
        self.assertEqual(len(stages), 4)
        self.assertEqual(lead.stage_id.linear_step_id, v2_steps[0])
        timing = self.env["linear.step.timing"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id), ("left_at", "=", False)]
        )
        self.assertEqual(timing.step_id, v2_steps[0])
        current = lead.linear_current_result_ids
        self.assertEqual(current.result_id, v2_steps[0].result_ids)
        self.assertTrue(current.filtered("required").confirmed, "confirmations follow the lead")
        # a restricted salesperson of the bound team moves the lead on without an AccessError
        lead.with_user(self.salesman).write({"stage_id": stages.sorted("sequence")[1].id})
        self.assertEqual(lead.stage_id.linear_step_id, v2_steps[1])
        self.assertTrue(self._open(lead, "Check the payment").linear_step_id == v2_steps[1])

    def test_new_version_dropping_an_occupied_step_is_refused(self):
        lead = self._lead(self.stages[2])
        v2 = (
            self.env["linear.process"]
            .browse(self.process.with_user(self.architect).action_new_version()["res_id"])
            .with_user(self.architect)
        )
        v2.step_ids.sorted("sequence")[2].unlink()
        with self.assertRaises(UserError) as refusal:
            v2.action_approve()
        self.assertIn("Order delivery", str(refusal.exception))
        self.assertEqual(self.process.state, "approved")
        self.assertEqual(self.team.linear_process_id, self.process)
        self.assertEqual(lead.stage_id, self.stages[2])


@tagged("post_install", "-at_install")
class TestTimingRunsCompanies(PipelineCase):
    def test_step_timing_is_for_managers_and_architects(self):
        self._lead(self.stages[0])
        employee = new_test_user(self.env, login="lc_emp2", groups="base.group_user")
        for user in (employee, self.salesman):
            with self.assertRaises(AccessError):
                self.env["linear.step.timing"].with_user(user).search_read([], ["user_id", "duration_hours"])
        self.assertTrue(self.env["linear.step.timing"].with_user(self.manager).search([]))

    def test_run_only_where_the_user_may_create_tasks(self):
        project_user = new_test_user(
            self.env, login="lc_proj", groups="base.group_user,project.group_project_user"
        )
        private = self.env["project.project"].create({"name": "Secret", "privacy_visibility": "followers"})
        Run = self.env["linear.process.run"].with_user(project_user)
        tasks_before = self.env["project.task"].search_count([("project_id", "=", private.id)])
        with self.assertRaises(AccessError):
            Run._start_for(None, self.process.with_user(project_user), private.with_user(project_user))
        self.assertEqual(
            self.env["project.task"].search_count([("project_id", "=", private.id)]), tasks_before
        )
        forged = {
            "process_id": self.process.id,
            "project_id": private.id,
            "res_model": "res.users",
            "res_id": 1,
        }
        with self.assertRaises(AccessError):  # only Start Process creates runs
            Run.create(forged)
        with self.assertRaises(ValidationError):
            self.env["linear.process.run"].create(forged)

    def test_process_of_another_company_does_not_bind(self):
        other = self.env["res.company"].create({"name": "LC Other Co"})
        team = self.env["crm.team"].create({"name": "Other team", "company_id": other.id})
        with self.assertRaises(UserError):
            self.env["linear.process.binding"]._bind(team, self.process)
        self.assertFalse(team.linear_process_id)
        with self.assertRaises(AccessError):
            self.team.with_user(self.manager).write({"linear_process_id": False})
