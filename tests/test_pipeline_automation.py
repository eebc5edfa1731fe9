# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import RedirectWarning, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from ..crm_extensions.models.crm_lead_process import gate_override_context
from ..linear_process.models.linear_process import lifecycle_context


class PipelineCase(TransactionCase):
    """A three-step approved process bound to a team, with planned actions of every kind."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the engine's messages are asserted in English: an English request (the demo is Russian)
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True, lang="en_US")
        )
        cls.manager = new_test_user(
            cls.env,
            login="pa_manager",
            groups="sales_team.group_sale_manager,linear_crm.group_process_architect",
        )
        cls.salesman = new_test_user(
            cls.env, login="pa_sales", groups="sales_team.group_sale_salesman_all_leads"
        )
        cls.leader = new_test_user(
            cls.env, login="pa_leader", groups="sales_team.group_sale_salesman_all_leads"
        )
        cls.fixed = new_test_user(cls.env, login="pa_fixed", groups="sales_team.group_sale_salesman")
        cls.busy = new_test_user(cls.env, login="pa_busy", groups="sales_team.group_sale_salesman")
        cls.free = new_test_user(cls.env, login="pa_free", groups="sales_team.group_sale_salesman")
        cls.away = new_test_user(cls.env, login="pa_away", groups="sales_team.group_sale_salesman")
        cls.owner = new_test_user(cls.env, login="pa_owner", groups="sales_team.group_sale_manager")
        cls.job = cls.env["hr.job"].create({"name": "PA Accountant"})
        cls.employees = cls.env["hr.employee"].create(
            [
                {"name": user.name, "user_id": user.id, "job_id": cls.job.id}
                for user in (cls.busy, cls.free, cls.away)
            ]
        )
        cls.call = cls.env.ref("mail.mail_activity_data_call")
        cls.email = cls.env.ref("mail.mail_activity_data_email")
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        cls.process = cls.env["linear.process"].create(
            {
                "name": "Order fulfilment",
                "owner_id": cls.owner.id,
                "step_ids": [
                    Command.create(
                        {
                            "name": "Request processing",
                            "sequence": 10,
                            "norm_duration": 1,
                            "norm_unit": "working_days",
                            "result_ids": [
                                Command.create({"name": "Request registered", "required": True}),
                                Command.create({"name": "Discount noted", "required": False}),
                            ],
                            "action_ids": [
                                Command.create(
                                    {
                                        "name": "Call the client",
                                        "activity_type_id": cls.call.id,
                                        "sequence": 1,
                                    }
                                ),
                                Command.create(
                                    {
                                        "name": "Send the offer",
                                        "activity_type_id": cls.email.id,
                                        "sequence": 2,
                                        "trigger": "after_previous",
                                        "assignee": "team_leader",
                                        "delay": 2,
                                        "delay_unit": "hours",
                                    }
                                ),
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "name": "Payment collection",
                            "sequence": 20,
                            "norm_duration": 3,
                            "responsible_job_id": cls.job.id,
                            "result_ids": [Command.create({"name": "Payment received", "required": True})],
                            "action_ids": [
                                Command.create(
                                    {
                                        "name": "Check the payment",
                                        "assignee": "position",
                                        "activity_type_id": cls.todo.id,
                                    }
                                )
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "name": "Order delivery",
                            "sequence": 30,
                            "norm_duration": 2,
                            "result_ids": [Command.create({"name": "Goods handed over", "required": True})],
                            "action_ids": [
                                Command.create(
                                    {
                                        "name": "Book the courier",
                                        "assignee": "fixed_user",
                                        "user_id": cls.fixed.id,
                                        "activity_type_id": cls.todo.id,
                                    }
                                )
                            ],
                        }
                    ),
                ],
            }
        )
        cls.process.action_approve()
        cls.team = cls.env["crm.team"].create(
            {"name": "Process team", "user_id": cls.leader.id, "member_ids": [Command.link(cls.salesman.id)]}
        )
        cls.env["linear.process.binding"]._bind(cls.team, cls.process)
        cls.stages = cls.team.linear_stage_ids
        cls.step1, cls.step2, cls.step3 = cls.process.step_ids.sorted("sequence")

    def _lead(self, stage=None, **vals):
        values = {"name": "Lead", "type": "opportunity", "team_id": self.team.id, "user_id": self.salesman.id}
        if stage:
            values["stage_id"] = stage.id
        values.update(vals)
        return self.env["crm.lead"].create(values)

    def _open(self, lead, action=None):
        domain = [
            ("res_model", "=", "crm.lead"),
            ("res_id", "=", lead.id),
            ("linear_step_action_id", "!=", False),
        ]
        if action:
            domain.append(("linear_step_action_id.name", "=", action))
        return self.env["mail.activity"].search(domain)

    def _confirm(self, lead, step):
        lead.linear_result_ids.filtered(lambda line: line.step_id == step and line.required).action_confirm()


@tagged("post_install", "-at_install")
class TestProcessBinding(PipelineCase):
    def test_binding_creates_one_stage_per_step_in_order(self):
        self.assertEqual(
            self.stages.mapped("name"), ["Request processing", "Payment collection", "Order delivery"]
        )
        self.assertEqual(self.stages.linear_step_id, self.process.step_ids)
        self.assertEqual(self.team.linear_process_id, self.process)
        self.assertEqual(self._lead().stage_id, self.stages[0], "a new lead starts at the first step")

    def test_pipeline_columns_are_the_steps_then_won(self):
        Lead = self.env["crm.lead"].with_context(default_team_id=self.team.id)
        columns = Lead._read_group_stage_ids(self.env["crm.stage"], [])
        self.assertEqual(columns.filtered(lambda s: not s.is_won), self.stages)
        self.assertTrue(columns.filtered("is_won"))
        ordinary = self.env["crm.stage"].search([("linear_team_id", "=", False), ("is_won", "=", False)])
        self.assertGreater(min(self.stages.mapped("sequence")), max(ordinary.mapped("sequence") or [0]))

    def test_step_rename_renames_stage(self):
        self.step2.name = "Payment control"
        self.assertEqual(self.stages[1].name, "Payment control")

    def test_binding_refuses_process_without_steps_or_not_approved(self):
        # only data files (superuser) load an approved process without steps; approval refuses it
        empty = self.env["linear.process"].sudo().create({"name": "Empty", "state": "approved"})
        with self.assertRaisesRegex(UserError, "no steps"):
            self.env["linear.process.binding"]._bind(self.team, empty)
        draft = self.env["linear.process"].create(
            {"name": "Draft", "step_ids": [Command.create({"name": "Step"})]}
        )
        with self.assertRaisesRegex(UserError, "approved"):
            self.env["linear.process.binding"]._bind(self.team, draft)
        self.assertEqual(self.team.linear_process_id, self.process, "the failed binding changed nothing")
        self.assertEqual(self.team.linear_stage_ids, self.stages)

    def test_binding_preview_counts_the_leads_of_kept_stages_too(self):
        """Bind Process… shows what every current stage holds, not 0 for the stages it keeps."""
        self._lead(self.stages[0])
        self._lead(self.stages[0])
        binding = self.env["linear.process.binding"].create(
            {"team_id": self.team.id, "process_id": self.process.id}
        )
        binding._onchange_preview()
        counts = {line.stage_id: line.lead_count for line in binding.line_ids}
        self.assertEqual(counts[self.stages[0]], 2)
        self.assertEqual(counts[self.stages[1]], 0)
        self.assertEqual(binding.removed_lead_count, 0)

    def test_new_version_preview_and_moving_leads(self):
        lead = self._lead(self.stages[1])
        draft = self.env["linear.process"].browse(self.process.action_new_version()["res_id"])
        steps = draft.step_ids.sorted("sequence")
        steps[0].name = "Request intake"  # renamed
        steps[1].unlink()  # removed: its stage holds the lead
        draft.write({"step_ids": [Command.create({"name": "Feedback collection", "sequence": 40})]})  # added
        # Approving would move the team along, but the removed step holds a lead: refused, the
        # way out is the binding wizard with a fallback stage.
        with self.assertRaisesRegex(UserError, "Payment collection"):
            draft.action_approve()
        draft.with_context(**lifecycle_context()).write({"state": "approved"})
        binding = self.env["linear.process.binding"].create({"team_id": self.team.id, "process_id": draft.id})
        binding._onchange_preview()
        changes = {(line.change, line.new_name or line.old_name) for line in binding.line_ids}
        self.assertEqual(
            changes,
            {
                ("rename", "Request intake"),
                ("keep", "Order delivery"),
                ("create", "Feedback collection"),
                ("remove", "Payment collection"),
            },
        )
        self.assertEqual(binding.removed_lead_count, 1)
        with self.assertRaisesRegex(UserError, "choose the stage"):
            binding.action_apply()
        self.assertTrue(self.stages[1].exists(), "nothing removed by the refused binding")
        binding.fallback_stage_id = self.stages[0]
        binding.action_apply()
        self.assertFalse(self.stages[1].exists())
        self.assertEqual(lead.stage_id, self.stages[0])
        self.assertEqual(self.stages[0].name, "Request intake")
        self.assertEqual(
            self.team.linear_stage_ids.mapped("name"),
            ["Request intake", "Order delivery", "Feedback collection"],
        )
        self.assertEqual(self.team.linear_process_id, draft)


@tagged("post_install", "-at_install")
class TestStageEntry(PipelineCase):
    def test_entry_by_create_creates_first_actions_checklist_and_timing(self):
        lead = self._lead(self.stages[0])
        activity = self._open(lead)
        self.assertEqual(activity.mapped("summary"), ["Call the client"], "only the on-entry action starts")
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(
            lead.linear_current_result_ids.mapped("name"), ["Request registered", "Discount noted"]
        )
        timing = self.env["linear.step.timing"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        self.assertEqual((timing.step_id, bool(timing.left_at)), (self.step1, False))

    def test_entry_by_form(self):
        with Form(
            self.env["crm.lead"].with_context(default_team_id=self.team.id, default_type="opportunity")
        ) as form:
            form.name = "Form lead"
        self.assertEqual(self._open(form.record).mapped("summary"), ["Call the client"])

    def test_entry_by_write_kanban_drag(self):
        lead = self._lead(self.stages[0])
        self._confirm(lead, self.step1)
        lead.write({"stage_id": self.stages[1].id})
        self.assertIn(self._open(lead, "Check the payment").user_id, self.busy | self.free | self.away)

    def test_entry_by_import(self):
        self.env["crm.lead"].load(
            ["name", "type", "team_id/.id", "stage_id/.id"],
            [["Imported", "opportunity", str(self.team.id), str(self.stages[0].id)]],
        )
        lead = self.env["crm.lead"].search([("name", "=", "Imported")])
        self.assertEqual(self._open(lead).mapped("summary"), ["Call the client"])

    def test_entry_by_automation_rule(self):
        lead = self._lead(self.stages[0])
        self._confirm(lead, self.step1)
        action = self.env["ir.actions.server"].create(
            {
                "name": "Move on",
                "model_id": self.env.ref("crm.model_crm_lead").id,
                "state": "code",
                "code": f"record.write({{'stage_id': {self.stages[1].id}}})",
            }
        )
        action.with_context(active_model="crm.lead", active_id=lead.id).run()
        self.assertTrue(self._open(lead, "Check the payment"))

    def test_entry_by_merge(self):
        head = self._lead(self.stages[2], name="Head")
        other = self._lead(self.stages[0], name="Other", partner_id=head.partner_id.id)
        merged = (head | other).merge_opportunity()
        self.assertIn(merged, head | other)
        self.assertTrue(self._open(merged), "the merged lead keeps its step actions")
        step = merged.stage_id.linear_step_id
        self.assertTrue(self._open(merged).filtered(lambda a: a.linear_step_id == step))

    def test_merge_keeps_one_activity_per_planned_action_and_the_history(self):
        first = self._lead(self.stages[0], name="First")
        second = self._lead(self.stages[0], name="Second", partner_id=first.partner_id.id)
        merged = (first | second).merge_opportunity()
        self.assertEqual(len(self._open(merged, "Call the client")), 1)
        timings = self.env["linear.step.timing"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", merged.id)]
        )
        self.assertEqual(len(timings), 2, "both leads' step history now belongs to the kept lead")

    def test_re_entry_does_not_duplicate_open_actions(self):
        lead = self._lead(self.stages[0])
        lead.write({"stage_id": self.stages[0].id})
        lead.with_context(**gate_override_context()).write({"stage_id": self.stages[1].id})
        lead.write({"stage_id": self.stages[0].id})  # back: the call is still open
        self.assertEqual(len(self._open(lead, "Call the client")), 1)
        self.assertEqual(len(lead.linear_result_ids.filtered(lambda r: r.step_id == self.step1)), 2)
        timings = self.env["linear.step.timing"].search(
            [("res_id", "=", lead.id), ("res_model", "=", "crm.lead")]
        )
        self.assertEqual(len(timings), 3, "history keeps every entry")
        self.assertEqual(len(timings.filtered(lambda t: not t.left_at)), 1)


@tagged("post_install", "-at_install")
class TestChainingAndGate(PipelineCase):
    def test_done_action_schedules_the_next(self):
        lead = self._lead(self.stages[0])
        self._open(lead, "Call the client").action_feedback(feedback="Talked")
        offer = self._open(lead, "Send the offer")
        self.assertEqual(offer.user_id, self.leader, "team leader rule")
        self.assertFalse(self._open(lead, "Call the client"))

    def test_step_done_suggests_or_moves(self):
        lead = self._lead(self.stages[0])
        self._open(lead, "Call the client").action_feedback()
        self._confirm(lead, self.step1)
        self._open(lead, "Send the offer").action_feedback()
        self.assertEqual(lead.stage_id, self.stages[0], "suggest mode does not move")
        self.assertIn("can move to", lead.message_ids[0].body)
        self.team.linear_advance_mode = "auto"
        lead2 = self._lead(self.stages[0])
        self._confirm(lead2, self.step1)
        self._open(lead2, "Call the client").action_feedback()
        self._open(lead2, "Send the offer").action_feedback()
        self.assertEqual(lead2.stage_id, self.stages[1])

    def test_gate_refuses_forward_move_and_names_results(self):
        lead = self._lead(self.stages[0]).with_user(self.salesman)
        with self.assertRaisesRegex(UserError, "Request registered"):
            lead.write({"stage_id": self.stages[1].id})
        self.assertEqual(lead.stage_id, self.stages[0])
        self._confirm(lead, self.step1)
        with self.assertRaisesRegex(UserError, "Payment received"):  # skipping a step needs its results too
            lead.write({"stage_id": self.stages[2].id})
        lead.write({"stage_id": self.stages[1].id})
        lead.write({"stage_id": self.stages[0].id})  # backwards is always allowed
        self.assertEqual(lead.stage_id, self.stages[0])

    def test_manager_gets_override_and_reason_is_logged(self):
        lead = self._lead(self.stages[0])
        with self.assertRaises(RedirectWarning):
            lead.with_user(self.manager).write({"stage_id": self.stages[1].id})
        wizard = (
            self.env["linear.stage.override"]
            .with_user(self.manager)
            .create(
                {
                    "lead_ids": [Command.set(lead.ids)],
                    "stage_id": self.stages[1].id,
                    "reason": "Signed on paper",
                }
            )
        )
        wizard.action_move()
        self.assertEqual(lead.stage_id, self.stages[1])
        self.assertTrue(any("Signed on paper" in body for body in lead.message_ids.mapped("body")))

    def test_override_without_reason_or_by_salesman_refused(self):
        lead = self._lead(self.stages[0])
        wizard = (
            self.env["linear.stage.override"]
            .with_user(self.manager)
            .create({"lead_ids": [Command.set(lead.ids)], "stage_id": self.stages[1].id, "reason": " "})
        )
        with self.assertRaisesRegex(UserError, "Say why"):
            wizard.action_move()
        wizard = (
            self.env["linear.stage.override"]
            .with_user(self.salesman)
            .create({"lead_ids": [Command.set(lead.ids)], "stage_id": self.stages[1].id, "reason": "Because"})
        )
        with self.assertRaisesRegex(UserError, "Only a sales manager"):
            wizard.action_move()
        self.assertEqual(lead.stage_id, self.stages[0])


@tagged("post_install", "-at_install")
class TestAssigneesAndDeadlines(PipelineCase):
    def test_position_rule_picks_least_loaded_available_holder(self):
        for _ in range(2):
            self.env["mail.activity"].create(
                {
                    "res_model_id": self.env.ref("base.model_res_partner").id,
                    "res_id": self.busy.partner_id.id,
                    "user_id": self.busy.id,
                    "activity_type_id": self.todo.id,
                }
            )
        resource = self.employees.filtered(lambda e: e.user_id == self.away).resource_id
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "resource_id": resource.id,
                "date_from": "2000-01-01",
                "date_to": "2100-01-01",
            }
        )
        self.assertEqual(self.job._linear_least_loaded_user(), self.free)
        self.free.action_archive()
        self.assertEqual(self.job._linear_least_loaded_user(), self.busy, "archived users are skipped")

    def test_position_without_holder_falls_back_and_says_so(self):
        self.employees.write({"job_id": False})
        lead = self._lead(self.stages[1])
        self.assertEqual(self._open(lead, "Check the payment").user_id, self.salesman)
        self.assertIn("Nobody available holds position", lead.message_ids[0].body)

    def test_fixed_user_rule(self):
        lead = self._lead(self.stages[2])
        self.assertEqual(self._open(lead, "Book the courier").user_id, self.fixed)

    @freeze_time("2026-11-27 10:00:00")  # a Friday
    def test_deadlines_on_working_calendar_across_weekend(self):
        self.env.company.resource_calendar_id.tz = "UTC"
        lead = self._lead(self.stages[0])
        self.assertEqual(
            self._open(lead, "Call the client").date_deadline, date(2026, 11, 30), "1 working day: Monday"
        )
        lead2 = self._lead(self.stages[1])
        self.assertEqual(self._open(lead2).date_deadline, date(2026, 12, 2), "3 working days: Wednesday")
        with freeze_time("2026-11-27 16:00:00"):
            self._open(lead, "Call the client").action_feedback()
        offer = self._open(lead, "Send the offer")
        self.assertEqual(offer.date_deadline, date(2026, 11, 30), "2 working hours from Friday 16:00")


@tagged("post_install", "-at_install")
class TestOverdueAndTiming(PipelineCase):
    def test_overdue_escalated_once_to_owner(self):
        # the demo's planned actions (months of demo history) are someone else's overdue work
        self.env["mail.activity"].search([("linear_step_action_id", "!=", False)]).linear_escalated = True
        with freeze_time("2026-11-02 09:00:00"):
            lead = self._lead(self.stages[0])
        with freeze_time("2026-11-20 09:00:00"):
            Activity = self.env["mail.activity"]
            self.assertEqual(Activity._linear_cron_escalate_overdue(), 1)
            self.assertEqual(Activity._linear_cron_escalate_overdue(), 0, "sent once")
        escalation = Activity.search([("res_id", "=", lead.id), ("user_id", "=", self.owner.id)])
        self.assertEqual(len(escalation), 1)
        self.assertIn("Overdue", escalation.summary)

    def test_step_timing_figures_on_constructed_history(self):
        """Figures are working time in the unit of the step's norm (step 1: 1 working day)."""
        self.env.company.resource_calendar_id = self.env["resource.calendar"].create(
            {"name": "PA 8-12 13-17 UTC", "tz": "UTC"}
        )
        Timing = self.env["linear.step.timing"]
        start = datetime(2026, 3, 17, 8, 0)  # a Tuesday
        ends = [
            (self.step1, datetime(2026, 3, 17, 12, 0)),  # 4 working hours: half a day
            (self.step1, datetime(2026, 3, 18, 12, 0)),  # 1.5 working days
            (self.step1, datetime(2026, 3, 20, 17, 0)),  # 4 working days
            (self.step2, datetime(2026, 3, 18, 17, 0)),  # 2 working days, norm 3
        ]
        for index, (step, left_at) in enumerate(ends):
            Timing.create(
                {
                    "res_model": "crm.lead",
                    "res_id": 1000 + index,
                    "step_id": step.id,
                    "entered_at": start,
                    "left_at": left_at,
                }
            )
        figures = Timing._figures_for_process(self.process)
        first = figures["steps"][self.step1.id]
        self.assertEqual(first["count"], 3)
        self.assertEqual(first["unit"], "working_days")
        self.assertAlmostEqual(first["average"], 2.0)
        self.assertAlmostEqual(first["median"], 1.5)
        self.assertAlmostEqual(first["median_hours"], 12.0)
        self.assertAlmostEqual(first["overdue_share"], 2 / 3)
        self.assertEqual(figures["bottleneck_step_id"], self.step1.id)
        self.assertEqual(figures["steps"][self.step2.id]["overdue_share"], 0.0)
        self.assertEqual(figures["steps"][self.step3.id]["count"], 0)


@tagged("post_install", "-at_install")
class TestGenericRun(TransactionCase):
    def test_run_over_three_steps_creates_tasks_one_after_another(self):
        job = self.env["hr.job"].create({"name": "Run job"})
        worker = new_test_user(self.env, login="run_worker", groups="project.group_project_user")
        self.env["hr.employee"].create({"name": "Worker", "user_id": worker.id, "job_id": job.id})
        process = self.env["linear.process"].create(
            {
                "name": "Employee onboarding",
                "step_ids": [
                    Command.create(
                        {
                            "name": f"Step {n}",
                            "sequence": n,
                            "responsible_job_id": job.id,
                            "norm_duration": 1,
                            "result_ids": [Command.create({"name": f"Result {n} done"})],
                        }
                    )
                    for n in (1, 2, 3)
                ],
            }
        )
        project = self.env["project.project"].create({"name": "Onboarding"})
        with self.assertRaisesRegex(UserError, "approved"):
            self.env["linear.process.run"]._start_for(project, process, project)
        process.action_approve()
        wizard = (
            self.env["linear.process.run.start"]
            .with_context(active_model="project.project", active_id=project.id)
            .create({"process_id": process.id})
        )
        self.assertEqual(wizard.project_id, project)
        run = self.env["linear.process.run"].browse(wizard.action_start()["res_id"])
        for n in (1, 2, 3):
            task = run.line_ids.filtered(lambda line: line.state == "running").task_id
            self.assertEqual(task.name, f"Step {n}")
            self.assertEqual(task.user_ids, worker)
            self.assertIn(f"Result {n} done", str(task.description))
            self.assertTrue(task.date_deadline)
            self.assertEqual(len(run.line_ids), n, "task N+1 only once task N is closed")
            task.state = "1_done"
        self.assertEqual(run.state, "done")
        self.assertEqual(run.line_ids.mapped("state"), ["done", "done", "done"])
        self.assertEqual(run.document_name, project.display_name)


@tagged("post_install", "-at_install")
class TestBoardOverlay(PipelineCase):
    def test_board_shows_step_timing_and_bottleneck(self):
        self.env.company.resource_calendar_id = self.env["resource.calendar"].create(
            {"name": "PA 8-12 13-17 UTC", "tz": "UTC"}
        )
        Timing = self.env["linear.step.timing"]
        start = datetime(2026, 3, 17, 8, 0)  # a Tuesday
        ends = [
            (self.step1, datetime(2026, 3, 18, 12, 0)),  # 1.5 working days
            (self.step1, datetime(2026, 3, 19, 12, 0)),  # 2.5 working days
            (self.step2, datetime(2026, 3, 17, 10, 0)),  # 2 working hours
        ]
        for index, (step, left_at) in enumerate(ends):
            Timing.create(
                {
                    "res_model": "crm.lead",
                    "res_id": 2000 + index,
                    "step_id": step.id,
                    "entered_at": start,
                    "left_at": left_at,
                }
            )
        board = self.process.with_context(lang="en_US").get_board_data()
        steps = {step["id"]: step for step in board["steps"]}
        first = steps[self.step1.id]["timing"]
        self.assertEqual(first["status"], "bottleneck")
        self.assertIn("Median 2 working days, norm 1 working day", first["label"])
        self.assertIn("100% over norm", first["label"])
        self.assertIn("2 documents", first["label"])
        self.assertEqual(steps[self.step2.id]["timing"]["status"], "ok")
        self.assertNotIn("Bottleneck", steps[self.step2.id]["timing"]["label"])
        self.assertEqual(steps[self.step3.id]["timing"], {}, "no overlay without history")


@tagged("post_install", "-at_install")
class TestChecklistVisibility(PipelineCase):
    def test_salesperson_sees_only_checklists_of_visible_leads(self):
        own = self._lead(self.stages[0], user_id=self.fixed.id)
        other = self._lead(self.stages[0], user_id=self.busy.id)
        Line = self.env["crm.lead.step.result"].with_user(self.fixed)
        visible = Line.search([("lead_id", "in", (own | other).ids)])
        self.assertEqual(visible.lead_id, own)
        self.assertEqual(len(visible), 2)


@tagged("post_install", "-at_install")
class TestTimingFeedsKpis(PipelineCase):
    @freeze_time("2026-03-20 12:00:00")
    def test_kpi_reads_the_real_time_spent_in_a_step(self):
        """What really happens flows back into the process KPIs (through the generic KPI engine)."""
        Timing = self.env["linear.step.timing"]
        for hours in (4, 10):
            Timing.create(
                {
                    "res_model": "crm.lead",
                    "res_id": 1,
                    "step_id": self.step1.id,
                    "entered_at": datetime(2026, 3, 10, 9, 0),
                    "left_at": datetime(2026, 3, 10, 9, 0) + timedelta(hours=hours),
                }
            )
        kpi = self.env["linear.process.kpi"].create(
            {
                "process_id": self.process.id,
                "name": "Average request processing time",
                "source": "computed",
                "model_id": self.env.ref("linear_crm.model_linear_step_timing").id,
                "domain": str([("step_id", "=", self.step1.id)]),
                "aggregate": "avg",
                "value_field_id": self.env.ref("linear_crm.field_linear_step_timing__duration_hours").id,
                "date_field_id": self.env.ref("linear_crm.field_linear_step_timing__left_at").id,
                "target": 8,
                "direction": "lower",
            }
        )
        self.assertAlmostEqual(kpi.current_value, 7.0)
        self.assertEqual(kpi.status, "on_track")
