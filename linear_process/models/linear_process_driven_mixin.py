# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models
from odoo.tools import SQL

from ..lib import planning

# Marks activities closed because their document left the step: closing them must not chain the
# step's next actions nor report the step done. A private object, so no client can send it.
_LEAVING = object()
LEAVING_KEY = "linear_leaving_step"


def is_leaving(env):
    return env.context.get(LEAVING_KEY) is _LEAVING


class LinearProcessDrivenMixin(models.AbstractModel):
    """Lets a process drive a document: entering a step schedules its planned actions as
    activities with deadlines, finishing one schedules the next, and the time spent per step is
    recorded. The CRM (or any model) calls `_linear_enter_step` when its document changes step.
    """

    _name = "linear.process.driven.mixin"
    _description = "Document Driven by a Process"

    # ---------------------------------------------------------------- hooks for the host model
    def _linear_record_user(self):
        return self["user_id"] if "user_id" in self._fields else self.env["res.users"]

    def _linear_team_leader(self):
        return self.env["res.users"]

    def _linear_company(self):
        return self["company_id"] if "company_id" in self._fields and self["company_id"] else self.env.company

    def _linear_step_completed(self, step):
        """Called when every planned action of `step` is done; host models decide what follows."""

    # ---------------------------------------------------------------- engine
    def _linear_enter_step(self, step, entered_at=None):
        """Record entry into `step` (closing the previous timing) and start its first actions.

        Idempotent: an action that already has an open activity on the document is not repeated.
        """
        entered_at = entered_at or fields.Datetime.now()
        Timing = self.env["linear.step.timing"].sudo()
        open_rows = Timing.search_fetch(
            [("res_model", "=", self._name), ("res_id", "in", self.ids), ("left_at", "=", False)],
            ["res_id", "step_id"],
        )
        self._linear_close_timings(open_rows.filtered(lambda row: row.step_id != step), entered_at)
        already_in = {row.res_id for row in open_rows if row.step_id == step}
        norm_deadline = _memo_deadline(step, entered_at)
        Timing.create(
            [
                {
                    "res_model": self._name,
                    "res_id": record.id,
                    "step_id": step.id,
                    "user_id": record._linear_record_user().id,
                    "entered_at": entered_at,
                    "norm_deadline": step.norm_duration
                    and norm_deadline(step.norm_duration, step.norm_unit, record._linear_company()),
                }
                for record in self
                if record.id not in already_in
            ]
        )
        actions = step.action_ids.sorted(lambda a: (a.sequence, a.id))
        first = actions.browse(planning.actions_on_entry(actions._chain_data()))
        self._linear_schedule(first, entered_at, norm_deadline)

    def _linear_leave_steps(self, left_at=None):
        rows = (
            self.env["linear.step.timing"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "in", self.ids), ("left_at", "=", False)])
        )
        self._linear_close_timings(rows, left_at or fields.Datetime.now())

    def _linear_close_timings(self, rows, left_at):
        """Close open timing `rows` of these documents and settle the open planned activities of
        the steps they leave, as each step says (cancel, mark done or keep). One search for all."""
        if not rows:
            return
        rows.write({"left_at": left_at})
        # Now, not at the end of the transaction: the new open row is inserted right after and
        # one open row per document is a unique index.
        rows.flush_recordset(["left_at"])
        # sudo: the step configuration and the activities of other assignees are the engine's.
        settle = rows.step_id.sudo().filtered(lambda step: step.on_leave != "keep")
        if not settle:
            return
        left = {(row.res_id, row.step_id.id) for row in rows}
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", list({res_id for res_id, _step in left})),
                    ("linear_step_id", "in", settle.ids),
                ]
            )
            .filtered(lambda activity: (activity.res_id, activity.linear_step_id.id) in left)
        )
        if not activities:
            return
        by_mode = activities.grouped(lambda activity: activity.linear_step_id.on_leave)
        if by_mode.get("cancel"):
            by_mode["cancel"].unlink()
        if by_mode.get("done"):
            by_mode["done"].with_context(**{LEAVING_KEY: _LEAVING}).action_feedback(
                feedback=self.env._("Closed: the document left the step.")
            )

    def _linear_lock_documents(self):
        """Serialize step-completion checks on these documents.

        Two users finishing the last two actions of a step at once would each still see the
        other's action open and both miss "step done". NOWAIT fails at once while another
        transaction holds the row, and the touch (a real row update) makes a transaction that
        started before the other one committed fail to serialize: Odoo retries both kinds of
        failure, and the retry sees every action done.
        """
        if not self.ids:
            return
        table = SQL.identifier(self._table)
        ids = tuple(self.ids)
        self.env.cr.execute(SQL("SELECT id FROM %s WHERE id IN %s FOR UPDATE NOWAIT", table, ids))
        if self._log_access:
            self.env.cr.execute(SQL("UPDATE %s SET write_date = write_date WHERE id IN %s", table, ids))

    def _linear_schedule(self, actions, start, deadline=None):
        """Create one activity per planned action and document, unless an open one exists."""
        if not actions or not self:
            return self.env["mail.activity"]
        deadline = deadline or _memo_deadline(actions[:1].step_id, start)
        Activity = self.env["mail.activity"].sudo()
        existing = Activity.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("linear_step_action_id", "in", actions.ids),
            ]
        )
        taken = {(activity.res_id, activity.linear_step_action_id.id) for activity in existing}
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for record in self:
            for action in actions:
                if (record.id, action.id) in taken:
                    continue
                user = record._linear_assignee(action)
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": record.id,
                        "activity_type_id": action.activity_type_id.id,
                        "summary": action.name,
                        "note": action.note,
                        "user_id": user.id,
                        "date_deadline": action._deadline_date(
                            deadline, record._linear_company(), tz=user.tz
                        ),
                        "linear_step_action_id": action.id,
                        "linear_step_id": action.step_id.id,
                    }
                )
        # sudo: the planned actions are assigned to people other than the one moving the document.
        # quick_update: no e-mail per planned activity (the assignee's activity counter is still
        # updated live); a stage change must stay as cheap as a plain one.
        return Activity.with_context(mail_activity_quick_update=True).create(vals_list)

    def _linear_assignee(self, action):
        """Who gets `action` on this document; falls back to the salesperson, the owner, the actor."""
        self.ensure_one()
        user = self.env["res.users"]
        if action.assignee == "record_user":
            user = self._linear_record_user()
        elif action.assignee == "team_leader":
            user = self._linear_team_leader()
        elif action.assignee == "fixed_user":
            user = action.user_id if action.user_id.active else user
        elif action.assignee == "position":
            job = action.job_id or action.step_id.responsible_job_id
            user = action._resolve_job_holder(job)
            if not user:
                self._linear_notify_nobody(action, job)
        return (user or self._linear_record_user() or action.step_id.process_id.owner_id or self.env.user)[:1]

    def _linear_notify_nobody(self, action, job):
        if hasattr(self, "message_post"):
            company = self.company_id if "company_id" in self._fields else self.env.company
            env = self.with_context(lang=company._linear_text_lang()).env
            self.message_post(
                body=env._(
                    "Nobody available holds position «%(job)s» for «%(action)s»; assigned by fallback.",
                    job=job.name or env._("(none)"),
                    action=action.name,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    def _linear_on_action_done(self, action):
        """A planned action was done on this document: start what follows it in the chain."""
        if is_leaving(self.env):
            return
        # sudo: the engine reads the step configuration whatever the assignee may read of it.
        action = action.sudo()
        step = action.step_id
        actions = step.action_ids.sorted(lambda a: (a.sequence, a.id))
        following = actions.browse(planning.actions_after(actions._chain_data(), action.id))
        self._linear_schedule(following, fields.Datetime.now())
        if not following:
            self._linear_lock_documents()
        for record in self:
            if not record._linear_open_step_activities(step) and not following:
                record._linear_step_completed(step)

    def _linear_open_step_activities(self, step):
        return (
            self.env["mail.activity"]
            .sudo()
            .search_count(
                [("res_model", "=", self._name), ("res_id", "=", self.id), ("linear_step_id", "=", step.id)]
            )
        )


def _memo_deadline(step, start):
    """Deadline planner for one moment: each (amount, unit, company) is planned once per call."""
    memo = {}

    def plan(amount, unit, company):
        key = (amount, unit, company.id)
        if key not in memo:
            memo[key] = step._plan_on_calendar(start, amount, unit, company)
        return memo[key]

    return plan
