# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import RedirectWarning, UserError

GATE_OVERRIDE = "linear_gate_override"


class _GateOverride:
    """A pass through the results gate, put in the context by server code only.

    A Python object: JSON-RPC sends only plain data, so no client can forge it (OCA queue_job's
    EDIT_SENTINEL); plain context keys like `linear_skip_gate` are ignored. With a reason it is a
    sales manager's override, logged in each lead's chatter; without one it is the pipeline itself
    moving leads (a binding removing their stage).
    """

    __slots__ = ("reason",)

    def __init__(self, reason=None):
        self.reason = reason


def gate_override_context(reason=None):
    return {GATE_OVERRIDE: _GateOverride(reason)}


class CrmLead(models.Model):
    """Leads in a process-bound pipeline: each stage entry starts its step (activities, checklist,
    timing); moving forward past unconfirmed required results is refused unless overridden."""

    _name = "crm.lead"
    _inherit = ["crm.lead", "linear.process.driven.mixin"]

    linear_step_id = fields.Many2one(
        related="stage_id.linear_step_id",
        string="Process Step",
        help="The process step of the current stage.",
    )
    linear_process_pipeline = fields.Boolean(
        string="Process Pipeline",
        compute="_compute_linear_process_pipeline",
        help="The lead's team runs a process: its stages are the process steps.",
    )
    linear_result_ids = fields.One2many("crm.lead.step.result", "lead_id", string="Step Checklist")
    linear_current_result_ids = fields.One2many(
        "crm.lead.step.result", compute="_compute_linear_current_result_ids", string="Results of This Step"
    )
    linear_results_pending = fields.Integer(
        compute="_compute_linear_current_result_ids", string="Results to Confirm"
    )

    @api.depends("team_id.linear_process_id")
    def _compute_linear_process_pipeline(self):
        for lead in self:
            lead.linear_process_pipeline = bool(lead.team_id.linear_process_id)

    @api.depends("linear_result_ids.confirmed", "stage_id")
    def _compute_linear_current_result_ids(self):
        for lead in self:
            step = lead.stage_id.linear_step_id
            current = lead.linear_result_ids.filtered(lambda line, step=step: line.step_id == step)
            lead.linear_current_result_ids = current
            lead.linear_results_pending = len(
                current.filtered(lambda line: line.required and not line.confirmed)
            )

    # ------------------------------------------------------------------ mixin hooks
    def _linear_team_leader(self):
        return self.team_id.user_id

    def _linear_step_completed(self, step):
        self._linear_check_step_done()

    # ------------------------------------------------------------------ stage entry, any path
    def _linear_stage_move_prepare(self, vals):
        """Hook of the wing's write (crm_lead.py), before it: a snapshot ({lead id: before}) of the
        leads this write may move to another stage (once the gate let them through) or mark won,
        lost or restored; empty when the write moves nothing."""
        snapshots = self._linear_history_snapshot(vals)
        if vals.get("stage_id"):
            target = self.env["crm.stage"].browse(vals["stage_id"])
            self.filtered(lambda lead: lead.stage_id != target)._linear_check_gate(target)
        return snapshots

    def _linear_stage_move_done(self, snapshots):
        """Hook of the wing's create (`snapshots` None) and write, after them: the one writer of
        stage moves. Step timing and stage history get the same instant, so they always agree."""
        now = fields.Datetime.now()
        if snapshots is None:
            moved = self
        else:
            moved = self.filtered(
                lambda lead: lead.id in snapshots and lead.stage_id.id != snapshots[lead.id].stage_id
            )
        self._linear_history_record(snapshots, now)
        entered = moved.filtered(lambda lead: lead.stage_id.linear_step_id)
        if snapshots is not None:
            (moved - entered)._linear_leave_steps(left_at=now)
        entered._linear_stage_entered(now)

    def _linear_stage_entered(self, entered_at=None):
        """Start the step of each lead's stage: timing, first planned actions, checklist lines."""
        # sudo: the engine reads the step configuration (actions, results, norm) with the rights it
        # needs; what it creates is still checked (activities, timing, checklist are its own).
        for step, leads in self.grouped(lambda lead: lead.stage_id.linear_step_id).items():
            leads._linear_enter_step(step.sudo(), entered_at=entered_at)
            leads._linear_add_checklist(step.sudo())

    def _linear_add_checklist(self, step):
        Line = self.env["crm.lead.step.result"].sudo()
        existing = {
            (line.lead_id.id, line.result_id.id)
            for line in Line.search([("lead_id", "in", self.ids), ("result_id", "in", step.result_ids.ids)])
        }
        Line.create(
            [
                {"lead_id": lead.id, "result_id": result.id}
                for lead in self
                for result in step.result_ids
                if (lead.id, result.id) not in existing
            ]
        )

    def _merge_dependences(self, opportunities):
        """Merging leads also merges their process history: step timing moves to the kept lead,
        and two open activities of the same planned action become one (the oldest)."""
        result = super()._merge_dependences(opportunities)
        Timing = self.env["linear.step.timing"].sudo()
        moved = Timing.search([("res_model", "=", self._name), ("res_id", "in", opportunities.ids)])
        moved.filtered(lambda row: not row.left_at).write({"left_at": fields.Datetime.now()})
        moved.write({"res_id": self.id})
        planned = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("linear_step_action_id", "!=", False),
                ],
                order="id",
            )
        )
        seen, duplicates = set(), planned.browse()
        for activity in planned:
            if activity.linear_step_action_id in seen:
                duplicates |= activity
            seen.add(activity.linear_step_action_id)
        duplicates.unlink()
        return result

    # ------------------------------------------------------------------ the gate
    def _linear_check_gate(self, target):
        """Refuse a forward move past steps whose required results are not confirmed."""
        override = self.env.context.get(GATE_OVERRIDE)
        if not isinstance(override, _GateOverride):
            override = None
        elif override.reason is None:
            return
        bound_stages = {}  # team id -> its process stages, read once per write
        blocked = {}
        for lead in self:
            team = lead._linear_gate_team(target)
            if not team:
                continue
            if team.id not in bound_stages:
                bound_stages[team.id] = self.env["crm.stage"].search(
                    [("linear_team_id", "=", team.id), ("linear_step_id", "!=", False)], order="sequence, id"
                )
            missing = lead._linear_missing_results(target, bound_stages[team.id])
            if missing:
                blocked[lead] = missing
        if not blocked:
            return
        if override:
            self._linear_log_override(blocked, target, override.reason)
            return
        lines = [
            self.env._(
                "%(lead)s: %(results)s",
                lead=lead.name,
                results=", ".join(f"«{name}»" for name in missing),
            )
            for lead, missing in blocked.items()
        ]
        message = self.env._(
            "These required results are not confirmed yet, so the lead cannot move to «%(stage)s»:\n"
            "%(lines)s",
            stage=target.name,
            lines="\n".join(lines),
        )
        if self.env.user.has_group("sales_team.group_sale_manager"):
            action = {
                "name": self.env._("Move Anyway"),  # the dialog's title (else just «Odoo»)
                "type": "ir.actions.act_window",
                "res_model": "linear.stage.override",
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "new",
                "context": {"default_lead_ids": [lead.id for lead in blocked], "default_stage_id": target.id},
            }
            refusal = RedirectWarning(message, action, self.env._("Move Anyway…"))
            # an expected refusal, not a fault: odoo.http logs it as a warning, without traceback
            refusal.loglevel = logging.WARNING
            raise refusal
        raise UserError(message)

    def _linear_check_gate_on_create(self):
        """Hook of the wing's create: a new lead starts at a step whose earlier steps ask for no
        results, or is put further on by the pipeline itself, data files or a manager's override;
        else creating it in a later stage would skip the gate."""
        override = self.env.context.get(GATE_OVERRIDE)
        if self.env.su or isinstance(override, _GateOverride):
            return
        for lead in self.filtered(lambda lead: lead.stage_id.linear_step_id):
            stage = lead.stage_id
            earlier = self.env["crm.stage"].search(
                [
                    ("linear_team_id", "=", stage.linear_team_id.id),
                    ("linear_step_id", "!=", False),
                    ("sequence", "<", stage.sequence),
                ]
            )
            # sudo: the gate reads the process configuration whatever the user may read of it
            required = earlier.linear_step_id.sudo().result_ids.filtered("required")
            if required:
                raise UserError(
                    self.env._(
                        "A new lead starts at the first step of the process: «%(lead)s» cannot be "
                        "created in «%(stage)s» before these results are confirmed: %(results)s",
                        lead=lead.name,
                        stage=stage.name,
                        results=", ".join(f"«{name}»" for name in required.mapped("name")),
                    )
                )

    def _linear_gate_team(self, target):
        """The process team whose steps a move to `target` passes: the team of a process stage the
        lead leaves or enters, or, for a win, the lead's own bound team once it entered the
        process. None when the move has nothing to do with a process."""
        self.ensure_one()
        for stage in (target, self.stage_id):
            if stage.linear_step_id:
                return stage.linear_team_id
        if target.is_won and self.team_id.linear_process_id and self.linear_result_ids:
            return self.team_id
        return None

    def _linear_missing_results(self, target, bound_stages):
        """Names of required results not confirmed on the steps a move to `target` passes;
        `bound_stages` are the team's process stages in order.

        From a step of the team: the steps from the current one up to (not including) `target`,
        when `target` lies ahead. From anywhere else (an ordinary stage, another team's, none):
        every step before `target`, so a detour through an ordinary stage skips nothing.
        """
        self.ensure_one()
        current = self.stage_id
        ceiling = 10**6 if target.is_won else target.sequence
        if current in bound_stages:
            if target.sequence <= current.sequence and not target.is_won:
                return []
            passed = bound_stages.filtered(lambda s: current.sequence <= s.sequence < ceiling and s != target)
            steps = passed.linear_step_id | current.linear_step_id
        else:
            steps = bound_stages.filtered(lambda s: s.sequence < ceiling and s != target).linear_step_id
        # sudo: the gate reads the process configuration (steps, results, also of archived
        # versions) whatever the salesperson may read of the process register.
        steps = steps.sudo()
        confirmed = self.linear_result_ids.sudo().filtered("confirmed").result_id
        return [
            result.name
            for step in steps.sorted(lambda s: (s.sequence, s.id))
            for result in step.result_ids.sorted(lambda r: (r.sequence, r.id))
            if result.required and result not in confirmed
        ]

    def _linear_log_override(self, blocked, target, reason):
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise UserError(self.env._("Only a sales manager may move a lead past unconfirmed results."))
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the lead moves on without its required results."))
        for lead, missing in blocked.items():
            env = self.with_context(lang=lead.company_id._linear_text_lang()).env
            lead.message_post(
                body=Markup("%s<br/>%s<br/>%s")
                % (
                    env._("Moved to «%s» without confirmed results.", target.name),
                    env._("Missing: %s", ", ".join(missing)),
                    env._("Reason: %s", escape(reason)),
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------ step done
    def _linear_check_step_done(self):
        """When the current step's actions are done and its required results confirmed, suggest
        or make the move to the next stage, as the team says."""
        # Two users finishing the last two actions (or results) of a step at once must not both
        # miss "step done": the lead row is locked and touched first (see the mixin).
        self._linear_lock_documents()
        for lead in self:
            step = lead.stage_id.linear_step_id
            if not step or lead._linear_open_step_activities(step) or lead._linear_missing_results_of(step):
                continue
            following = self.env["crm.stage"].search(
                [
                    ("linear_team_id", "=", lead.stage_id.linear_team_id.id),
                    ("linear_step_id", "!=", False),
                    ("sequence", ">", lead.stage_id.sequence),
                ],
                order="sequence, id",
                limit=1,
            )
            if not following:
                continue
            if lead.team_id.linear_advance_mode == "auto":
                lead.stage_id = following
            else:
                env = self.with_context(lang=lead.company_id._linear_text_lang()).env
                lead.message_post(
                    body=env._(
                        "Step «%(step)s» is done: the lead can move to «%(stage)s».",
                        step=step.name,
                        stage=following.name,
                    ),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )

    def _linear_missing_results_of(self, step):
        # sudo: configuration and checklist are read by the engine, not shown (see the gate).
        confirmed = self.linear_result_ids.sudo().filtered("confirmed").result_id
        return step.sudo().result_ids.filtered(lambda r: r.required and r not in confirmed)

    # ------------------------------------------------------------------ pipeline columns
    @api.model
    def _read_group_stage_ids(self, stages, domain):
        context = self.env.context
        teams = self.env["crm.team"].browse(context.get("default_team_id")).exists()
        if not teams and context.get("show_user_team_stages"):
            teams = self.env.user.crm_team_ids
        # (per team: mapped() drops the empty ones, and all() of nothing is True)
        if teams and all(team.linear_process_id for team in teams):
            # Pipelines run by processes show their steps and the shared won stage, not the
            # ordinary stages of other teams.
            return stages.search(
                [
                    "|",
                    "|",
                    ("id", "in", stages.ids),
                    ("linear_team_id", "in", teams.ids),
                    ("is_won", "=", True),
                ],
                order=stages._order,
            )
        return super()._read_group_stage_ids(stages, domain)

    def _stage_find(self, team_id=False, domain=None, order="sequence, id", limit=1):
        team = self.env["crm.team"].browse(team_id or self.team_id[:1].id).exists()
        if team.linear_process_id:
            # A bound team's leads start in its process stages; won stages stay shared.
            bound = self.env["crm.stage"].search(
                [("linear_team_id", "=", team.id), *(domain or [])], order=order, limit=limit
            )
            if bound:
                return bound
        return super()._stage_find(team_id=team_id, domain=domain, order=order, limit=limit)
