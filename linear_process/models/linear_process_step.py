# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import math
import uuid
from datetime import datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import planning

ON_LEAVE = [("cancel", "Cancel"), ("done", "Mark as done"), ("keep", "Keep open")]


class LinearProcessStep(models.Model):
    """One step of the linear body: a black box with results, a responsible and executors."""

    _name = "linear.process.step"
    _inherit = ["linear.process.part"]
    _description = "Process Step"
    _order = "process_id, sequence, id"
    _check_company_auto = True
    _finding_fields = frozenset({"name", "result_ids", "responsible_job_id"})
    # The decomposition is a separate process with its own life cycle.
    _body_free_fields = frozenset({"child_process_id"})

    process_id = fields.Many2one("linear.process", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="process_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10, help="Steps follow each other strictly in this order.")
    number = fields.Integer(string="No.", compute="_compute_number", help="Position of the step: 1, 2, 3…")
    name = fields.Char(
        string="Step",
        required=True,
        help="Starts with a verbal noun, e.g. 'Processing of the request' / «Обработка заявки клиента».",
    )
    step_key = fields.Char(
        default=lambda self: uuid.uuid4().hex,
        required=True,
        readonly=True,
        index=True,
        help="Identifies the same step across versions of a process (kept when a version is copied).",
    )
    result_ids = fields.One2many("linear.process.step.result", "step_id", string="Results", copy=True)
    results_text = fields.Text(string="Results Summary", compute="_compute_results_text")
    responsible_job_id = fields.Many2one(
        "hr.job",
        string="Responsible",
        index="btree_not_null",
        check_company=True,
        help="The position answerable for the step.",
    )
    executor_job_ids = fields.Many2many(
        "hr.job",
        "linear_process_step_executor_rel",
        "step_id",
        "job_id",
        string="Executors",
        check_company=True,
        help="Positions that do the work of the step.",
    )
    inputs = fields.Text(help="What the step receives (documents, goods, information).")
    outputs = fields.Text(help="What the step hands on to the next one.")
    # Not summed in grouped lists: a sum of norms mixing hours and working days means nothing.
    norm_duration = fields.Float(string="Norm", aggregator=False, help="How long the step should take.")
    norm_unit = fields.Selection(
        [("hours", "Hours"), ("working_days", "Working Days")],
        default="working_days",
        required=True,
        help="Working days count on the company's working calendar.",
    )
    notes = fields.Text(
        help="Non-linearities in words: 'if … then …'. The body itself stays linear; "
        "bigger branches become separate processes (see Branch Processes)."
    )
    child_process_ids = fields.One2many("linear.process", "parent_step_id", string="Decomposition Versions")
    child_process_id = fields.Many2one(
        "linear.process",
        string="Decomposition",
        compute="_compute_child_process_id",
        inverse="_inverse_child_process_id",
        help="The sub-process, procedure or action list that details this step.",
    )
    branch_process_ids = fields.Many2many(
        "linear.process",
        "linear_process_step_branch_rel",
        "step_id",
        "process_id",
        string="Branch Processes",
        help="Separate processes that handle the branches of this step ('if … then see process X').",
    )
    action_ids = fields.One2many("linear.process.step.action", "step_id", string="Planned Actions", copy=True)
    on_leave = fields.Selection(
        ON_LEAVE,
        string="Open Actions on Leaving",
        default="cancel",
        required=True,
        help="What happens to the step's open planned activities when the document leaves the step "
        "(by any path): they are cancelled, marked as done, or kept open.",
    )
    finding_ids = fields.One2many("linear.process.finding", "step_id", string="Findings")
    warning_text = fields.Text(compute="_compute_warning_text", string="Warnings")

    _norm_positive = models.Constraint("CHECK(norm_duration >= 0)", "The norm of a step cannot be negative.")

    @api.depends("process_id.step_ids.sequence")
    def _compute_number(self):
        positions = {}
        for process in self.process_id:
            ordered = process.step_ids.sorted(lambda s: (s.sequence, s.id))
            positions.update({step.id: position for position, step in enumerate(ordered, 1)})
        # Assign only to the steps being computed: writing a sibling's value would be a write.
        for step in self:
            step.number = positions.get(step.id, 0)

    @api.depends("result_ids.name")
    def _compute_results_text(self):
        for step in self:
            step.results_text = "\n".join(step.result_ids.mapped("name"))

    @api.depends("child_process_ids.state", "child_process_ids.version")
    def _compute_child_process_id(self):
        for step in self:
            current = (
                step.child_process_ids.filtered(lambda p: p.state != "archived") or step.child_process_ids
            )
            step.child_process_id = current.sorted("version")[-1:] if current else False

    def _inverse_child_process_id(self):
        for step in self:
            if step.child_process_id and step.child_process_id.parent_step_id != step:
                step.child_process_id.parent_step_id = step

    @api.depends("finding_ids.message")
    def _compute_warning_text(self):
        for step in self:
            step.warning_text = "\n".join(step.finding_ids.mapped("message"))

    def write(self, vals):
        if "process_id" in vals and any(step.process_id.id != vals["process_id"] for step in self):
            raise UserError(
                self.env._(
                    "A step cannot be moved into another process: copy it there or decompose it instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        self._check_no_history()

    def _check_no_history(self):
        """A step that documents have passed through carries their history: it is not deleted
        (its process is versioned instead)."""
        if not self:
            return
        # sudo: history of every salesperson counts, not only what the deleting user may read.
        timings = (
            self.env["linear.step.timing"]
            .sudo()
            ._read_group([("step_id", "in", self.ids)], ["step_id"], ["__count"])
        )
        for step, count in timings:
            raise UserError(
                self.env._(
                    "Step «%(step)s» cannot be deleted: %(count)s document(s) have passed through it or "
                    "are in it now, and their history would be lost. Create a new version of the process "
                    "without this step instead.",
                    step=step.name,
                    count=count,
                )
            )

    @api.constrains("child_process_ids")
    def _check_child_not_self(self):
        for step in self:
            if step.process_id in step.child_process_ids:
                raise ValidationError(self.env._("A step cannot be detailed by its own process."))

    def action_open_child_process(self):
        self.ensure_one()
        if not self.child_process_id:
            raise UserError(self.env._("Step «%s» is not decomposed yet.", self.name))
        return self.child_process_id._get_form_action()

    def action_decompose(self):
        """Create the child process of this step, one level deeper, and open it."""
        self.ensure_one()
        if self.child_process_id:
            return self.child_process_id._get_form_action()
        process = self.process_id
        child = self.env["linear.process"].create(
            {
                "name": self.name,
                "process_type": process.process_type,
                "parent_step_id": self.id,
                "architect_id": process.architect_id.id,
                "owner_id": process.owner_id.id,
                "company_id": process.company_id.id,
            }
        )
        return child._get_form_action()

    def move_to_position(self, position):
        """Put this step at 1-based `position` in its process, renumbering all steps (board drag)."""
        self.ensure_one()
        process = self.process_id
        # Refused up front (the write below would refuse too) so the board says why.
        process._check_body_editable()
        steps = (process.step_ids - self).sorted(lambda s: (s.sequence, s.id))
        ordered = list(steps)
        old_position = self.number
        position = max(1, min(int(position), len(ordered) + 1))
        ordered.insert(position - 1, self)
        for index, step in enumerate(ordered, 1):
            if step.sequence != index * 10:
                step.sequence = index * 10
        # Findings name steps by position ("Step 3 has no result"), so they follow the move.
        process._refresh_findings()
        if old_position != position:
            process.message_post(
                body=self.env._(
                    "Step «%(step)s» moved from position %(old)s to %(new)s.",
                    step=self.name,
                    old=old_position,
                    new=position,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    @api.model
    def _plan_on_calendar(self, start, amount, unit, company):
        """Add `amount` working hours or working days to naive-UTC `start` on the company calendar.

        Working days are counted with plain date arithmetic over the calendar's working weekdays
        and its public holidays (one query), and end at the close of the last day's attendance:
        a stage change must stay cheap. Hours go through the calendar's own interval planning.
        """
        calendar = company.resource_calendar_id
        if not amount:
            return start
        if not calendar:
            return start + (timedelta(hours=amount) if unit == "hours" else timedelta(days=amount))
        zone = pytz.timezone(calendar.tz or "UTC")
        if unit == "hours":
            due = calendar.plan_hours(amount, pytz.utc.localize(start), compute_leaves=True)
            return due.astimezone(pytz.utc).replace(tzinfo=None) if due else start + timedelta(hours=amount)
        attendances = calendar.attendance_ids.filtered(lambda a: not a.display_type)
        workdays = frozenset(int(a.dayofweek) for a in attendances)
        local_start = pytz.utc.localize(start).astimezone(zone).date()
        days = math.ceil(amount)
        horizon = local_start + timedelta(days=days * 3 + 14)
        holidays = frozenset(
            day
            for leave in self.env["resource.calendar.leaves"]
            .sudo()
            .search_fetch(
                [
                    ("calendar_id", "=", calendar.id),
                    ("resource_id", "=", False),
                    ("date_to", ">=", start),
                    ("date_from", "<=", datetime.combine(horizon, datetime.max.time())),
                ],
                ["date_from", "date_to"],
            )
            for day in _dates_between(leave.date_from.date(), leave.date_to.date())
        )
        due_day = planning.add_working_days(local_start, days, workdays, holidays)
        closing = max((a.hour_to for a in attendances if int(a.dayofweek) == due_day.weekday()), default=18.0)
        due_local = zone.localize(datetime.combine(due_day, datetime.min.time()) + timedelta(hours=closing))
        return due_local.astimezone(pytz.utc).replace(tzinfo=None)


def _dates_between(first, last):
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
