# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Process runs over JSON-RPC as a plain project user: a run is started only with Start Process
(which checks the project, the record and the right to create tasks), changes only through its
engine (tasks closed, Cancel Run), and is seen only by those who may read its project."""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

ACCESS_ERROR = "odoo.exceptions.AccessError"


@tagged("post_install", "-at_install")
class TestProcessRunAccess(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.user = new_test_user(
            env, login="lc_run_user", groups="base.group_user,project.group_project_user", name="LC Run User"
        )
        Process = env["linear.process"]
        cls.process = Process.create(
            {
                "name": "LC run process",
                "step_ids": [
                    (
                        0,
                        0,
                        {"name": "LC run step 1", "sequence": 1, "result_ids": [(0, 0, {"name": "LC ok"})]},
                    ),
                    (
                        0,
                        0,
                        {"name": "LC run step 2", "sequence": 2, "result_ids": [(0, 0, {"name": "LC ok"})]},
                    ),
                ],
            }
        )
        cls.process.action_approve()
        cls.process.action_new_version()
        cls.draft = cls.process.next_version_ids
        Project = env["project.project"]
        cls.public = Project.create({"name": "LC run public", "privacy_visibility": "employees"})
        cls.private = Project.create({"name": "LC run private", "privacy_visibility": "followers"})
        Run = env["linear.process.run"]
        cls.run_public = Run._start_for(None, cls.process, cls.public)
        cls.run_private = Run._start_for(None, cls.process, cls.private)

    def setUp(self):
        super().setUp()
        self.authenticate(self.user.login, self.user.login)

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def assertDenied(self, model, method, *args, **kwargs):
        with self.assertRaises(JsonRpcException) as caught:
            self.call(model, method, *args, **kwargs)
        self.assertEqual(str(caught.exception), ACCESS_ERROR)

    def runs_count(self):
        return self.env["linear.process.run"].search_count([])

    def test_direct_create_is_refused(self):
        before = self.runs_count()
        for vals in (
            {"process_id": self.process.id, "project_id": self.private.id},
            {"process_id": self.draft.id, "project_id": self.public.id},
            {"process_id": self.process.id, "project_id": self.public.id},
            {"process_id": self.process.id, "project_id": self.public.id, "state": "done"},
        ):
            with self.subTest(vals=vals):
                self.assertDenied("linear.process.run", "create", [vals])
        self.assertDenied(
            "linear.process.run.line",
            "create",
            [{"run_id": self.run_public.id, "step_id": self.process.step_ids[0].id}],
        )
        self.assertEqual(self.runs_count(), before)
        # nothing left running on the process: the architect may still move it on
        self.assertFalse(
            self.env["linear.process.run"].search([("process_id", "=", self.draft.id)]),
        )

    def test_state_and_engine_fields_are_not_writable(self):
        run = self.run_public
        for vals in (
            {"state": "done"},
            {"finished_at": "2020-01-01 00:00:00"},
            {"project_id": self.private.id},
        ):
            with self.subTest(vals=vals):
                self.assertDenied("linear.process.run", "write", run.ids, vals)
        self.assertDenied("linear.process.run.line", "write", run.line_ids.ids, {"state": "done"})
        run.invalidate_recordset()
        self.assertEqual(run.state, "running")
        self.assertEqual(run.project_id, self.public)
        self.assertEqual(run.line_ids.mapped("state"), ["running"])

    def test_run_steps_are_named_after_their_step(self):
        line = self.run_public.line_ids[:1]
        self.assertEqual(line.display_name, line.step_id.display_name)

    def test_runs_of_unreadable_projects_are_hidden(self):
        rows = self.call("linear.process.run", "search_read", [], fields=["name", "project_id"])
        ids = {row["id"] for row in rows}
        self.assertIn(self.run_public.id, ids)
        self.assertNotIn(self.run_private.id, ids)
        self.assertNotIn("LC run private", str(rows))
        self.assertDenied("linear.process.run", "read", self.run_private.ids, ["project_id"])
        lines = self.call("linear.process.run.line", "search_read", [], fields=["run_id"])
        self.assertNotIn(self.run_private.line_ids.id, {row["id"] for row in lines})
        self.assertIn(self.run_public.line_ids.id, {row["id"] for row in lines})

    def test_start_process_wizard_and_engine_still_work(self):
        Wizard = "linear.process.run.start"
        # the wizard refuses a private project as before
        wizard_id = self.call(
            Wizard, "create", [{"process_id": self.process.id, "project_id": self.private.id}]
        )
        self.assertDenied(Wizard, "action_start", wizard_id)
        wizard_id = self.call(
            Wizard, "create", [{"process_id": self.process.id, "project_id": self.public.id}]
        )
        action = self.call(Wizard, "action_start", wizard_id)
        run = self.env["linear.process.run"].browse(action["res_id"])
        self.assertEqual((run.state, run.create_uid), ("running", self.user))
        task = run.line_ids.task_id
        self.assertEqual(task.project_id, self.public)
        # closing the task (as the user) advances the run to the next step
        self.call("project.task", "write", task.ids, {"state": "1_done"})
        run.invalidate_recordset()
        self.assertEqual(run.line_ids.mapped("state"), ["done", "running"])
        self.call("linear.process.run", "action_cancel", run.ids)
        run.invalidate_recordset()
        self.assertEqual(run.state, "cancelled")
        self.assertEqual(run.line_ids.mapped("state"), ["done", "cancelled"])
