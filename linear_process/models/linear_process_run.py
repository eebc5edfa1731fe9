# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# Runs and their lines are written only by the engine below (Start Process, task closed, Cancel
# Run): it checks the project, the record and the right to create tasks first. A private object
# in the context cannot come over RPC, so create()/write() called directly are refused.
_ENGINE = object()
_ENGINE_KEY = "linear_process_run_engine"

RUN_STATES = [("running", "Running"), ("done", "Done"), ("cancelled", "Cancelled")]
# Models whose records a process may run on; a module adds its own with `_runnable_models`.
RUNNABLE_MODELS = frozenset({"project.project", "project.task"})


class LinearProcessRun(models.Model):
    """A process run on any record: project tasks are created step after step."""

    _name = "linear.process.run"
    _description = "Process Run"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    process_id = fields.Many2one("linear.process", required=True, index=True, ondelete="restrict")
    project_id = fields.Many2one(
        "project.project",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        help="Where the step tasks are created.",
    )
    res_model = fields.Char(string="Document Model", index=True)
    res_id = fields.Many2oneReference(string="Document", model_field="res_model", index=True)
    document_name = fields.Char(compute="_compute_document_name")
    state = fields.Selection(RUN_STATES, default="running", required=True, tracking=True)
    line_ids = fields.One2many("linear.process.run.line", "run_id", string="Timeline")
    current_step_id = fields.Many2one("linear.process.step", compute="_compute_current_step_id", store=True)
    started_at = fields.Datetime(default=fields.Datetime.now, readonly=True)
    finished_at = fields.Datetime(readonly=True)
    company_id = fields.Many2one(related="process_id.company_id", store=True, index=True)

    @api.model
    def _linear_engine_env(self):
        return self.with_context(**{_ENGINE_KEY: _ENGINE}).env

    @api.model
    def _linear_check_engine(self, fields_written):
        """Refuse a direct create/write of engine fields (superuser code, e.g. data, is trusted)."""
        if self.env.su or self.env.context.get(_ENGINE_KEY) is _ENGINE:
            return
        # followers and messages stay the chatter's business
        if set(fields_written) - set(self.env["mail.thread"]._fields):
            raise AccessError(
                self.env._(
                    "A process run is started with Start Process and changes only through its "
                    "tasks and its Cancel Run button."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._linear_check_engine({name for vals in vals_list for name in vals} or {"process_id"})
        return super().create(vals_list)

    def write(self, vals):
        self._linear_check_engine(vals)
        return super().write(vals)

    @api.depends("process_id.name", "document_name")
    def _compute_name(self):
        for run in self:
            run.name = " — ".join(filter(None, [run.process_id.name, run.document_name]))

    @api.depends("res_model", "res_id")
    def _compute_document_name(self):
        for run in self:
            record = (
                run.res_model
                and run.res_model in self.env
                and self.env[run.res_model].browse(run.res_id).exists()
            )
            run.document_name = record.display_name if record else False

    @api.depends("line_ids.state")
    def _compute_current_step_id(self):
        for run in self:
            run.current_step_id = run.line_ids.filtered(lambda line: line.state == "running")[:1].step_id

    @api.model
    def _start_for(self, record, process, project):
        """Start `process` on `record` (any model), creating the first step's task in `project`.

        Meant to be called from a button or an automation rule ("Execute Code").
        """
        if process.state != "approved":
            raise UserError(self.env._("Only an approved process can be started; «%s» is not.", process.name))
        if record:
            record.check_access("read")
        # The tasks are created as the starting user: a project they cannot see is refused here.
        project.check_access("read")
        self.env["project.task"].check_access("create")
        if not process.step_ids:
            raise UserError(self.env._("Process «%s» has no steps to run.", process.name))
        run = self.with_env(self._linear_engine_env()).create(
            {
                "process_id": process.id,
                "project_id": project.id,
                "res_model": record._name if record else False,
                "res_id": record.id if record else False,
            }
        )
        run._start_step(run._ordered_steps()[0])
        return run

    @api.model
    def _runnable_models(self):
        return RUNNABLE_MODELS

    @api.constrains("res_model")
    def _check_res_model(self):
        allowed = self._runnable_models()
        for run in self:
            if run.res_model and run.res_model not in allowed:
                raise ValidationError(self.env._("A process cannot run on records of %s.", run.res_model))

    def _ordered_steps(self):
        return self.process_id.step_ids.sorted(lambda s: (s.sequence, s.id))

    def _start_step(self, step):
        self.ensure_one()
        holder = self.env["linear.process.step.action"]._resolve_job_holder(step.responsible_job_id)
        now = fields.Datetime.now()
        due = step._plan_on_calendar(
            now, step.norm_duration, step.norm_unit, self.company_id or self.env.company
        )
        # As the user who started the run (not superuser): tasks appear only where that user may
        # create them, whoever closes the previous task.
        starter = self.create_uid if self.create_uid.active else self.env.user
        task = (
            self.env["project.task"]
            .with_user(starter)
            .create(
                {
                    "name": step.name,
                    "project_id": self.project_id.id,
                    "user_ids": [(6, 0, holder.ids)],
                    "date_deadline": due if step.norm_duration else False,
                    "description": self._task_checklist(step),
                }
            )
        )
        line = self.env["linear.process.run.line"].create(
            {
                "run_id": self.id,
                "step_id": step.id,
                "task_id": task.id,
                "user_id": holder.id,
                "started_at": now,
            }
        )
        task.linear_run_line_id = line
        return line

    @api.model
    def _task_checklist(self, step):
        items = Markup("").join(Markup("<li>%s</li>") % escape(result.name) for result in step.result_ids)
        env = self.with_context(lang=step.company_id._linear_text_lang()).env  # kept in the task
        parts = [Markup("<p><strong>%s</strong></p>") % env._("Results to deliver:")]
        if items:
            parts.append(Markup('<ul class="o_checklist">%s</ul>') % items)
        if step.notes:
            parts.append(Markup("<p>%s</p>") % step.notes)
        return Markup("").join(parts)

    def _on_task_closed(self, line):
        """Task N is closed: finish its line and create task N+1, or finish the run."""
        self.ensure_one()
        # sudo: whoever may close the task advances the run, even without reading it (a follower
        # of one task in a private project); the next task is still created as the starter.
        run, line = self.sudo(), line.sudo()
        line.write({"state": "done", "finished_at": fields.Datetime.now()})
        steps = list(run._ordered_steps())
        following = steps[steps.index(line.step_id) + 1 :] if line.step_id in steps else []
        if following:
            run._start_step(following[0])
        else:
            run.write({"state": "done", "finished_at": fields.Datetime.now()})
            env = run.with_context(lang=run.company_id._linear_text_lang()).env
            run.message_post(body=env._("All steps of the process are done."))

    def _creation_message(self):
        # stored in the chatter: in the company's language when started without one (a cron)
        lang = self.company_id._linear_text_lang()
        return super(LinearProcessRun, self.with_context(lang=lang))._creation_message()

    def action_cancel(self):
        runs = self.with_env(self._linear_engine_env())
        runs.write({"state": "cancelled"})
        runs.line_ids.filtered(lambda line: line.state == "running").write({"state": "cancelled"})
