# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.crm_lead_process import gate_override_context
from ..models.crm_team_process import binding_context


class LinearProcessBinding(models.TransientModel):
    """Bind an approved process to a team's pipeline, or move the pipeline to a new version.

    The preview lists every stage to create, rename, keep, map or remove; applying it is one
    transaction, so a refused binding leaves the pipeline as it was.
    """

    _name = "linear.process.binding"
    _description = "Bind a Process to a Pipeline"

    team_id = fields.Many2one("crm.team", required=True)
    process_id = fields.Many2one(
        "linear.process",
        required=True,
        domain=[("state", "=", "approved"), ("parent_step_id", "=", False)],
    )
    mode = fields.Selection(
        [("create", "Create a stage per step"), ("map", "Map steps to existing stages")],
        default="create",
        required=True,
    )
    line_ids = fields.One2many("linear.process.binding.line", "binding_id", string="Changes")
    fallback_stage_id = fields.Many2one(
        "crm.stage",
        string="Move Leads of Removed Stages To",
        help="Required when a stage to remove still holds leads.",
    )
    removed_lead_count = fields.Integer(compute="_compute_removed_lead_count")

    @api.depends("line_ids.lead_count", "line_ids.change")
    def _compute_removed_lead_count(self):
        for binding in self:
            binding.removed_lead_count = sum(
                binding.line_ids.filtered(lambda line: line.change == "remove").mapped("lead_count")
            )

    @api.onchange("team_id", "process_id", "mode")
    def _onchange_preview(self):
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(values) for values in self._preview_values()
        ]

    def _current_stages(self):
        return self.env["crm.stage"].search([("linear_team_id", "=", self.team_id.id)], order="sequence, id")

    def _preview_values(self):
        """The changes that applying would make, as binding line values."""
        if not (self.team_id and self.process_id):
            return []
        current = self._current_stages()
        by_key = {stage.linear_step_key: stage for stage in current if stage.linear_step_key}
        steps = self.process_id.step_ids.sorted(lambda s: (s.sequence, s.id))
        values, kept = [], self.env["crm.stage"]
        # what each current stage holds now, in one grouped count (archived and lost leads too)
        held = dict(
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group([("stage_id", "in", current.ids)], ["stage_id"], ["__count"])
        )
        for position, step in enumerate(steps, 1):
            stage = by_key.get(step.step_key)
            if stage:
                kept |= stage
                change = "keep" if stage.name == step.name else "rename"
            else:
                change = "create"
            values.append(
                {
                    "sequence": position,
                    "step_id": step.id,
                    "stage_id": stage.id if stage else False,
                    "change": change,
                    "old_name": stage.name if stage else False,
                    "new_name": step.name,
                    "lead_count": held.get(stage, 0) if stage else 0,
                }
            )
        for stage in current - kept:
            values.append(
                {
                    "sequence": 1000 + stage.sequence,
                    "stage_id": stage.id,
                    "change": "remove",
                    "old_name": stage.name,
                    "lead_count": held.get(stage, 0),
                }
            )
        return values

    def action_apply(self):
        self.ensure_one()
        if not self.line_ids:
            self._onchange_preview()
        self._check_applicable()
        team, Stage = self.team_id, self.env["crm.stage"]
        # Process stages come after the ordinary open stages and before the won ones, so a
        # pipeline that shows several teams' stages keeps each process together.
        others = Stage.search([("linear_team_id", "!=", team.id), ("is_won", "=", False)])
        base = max(others.mapped("sequence") or [0])
        # Stages that stand for a step of another version now follow the same step (by key) of
        # this one; the documents in them carry their open timing, activities and checklist over.
        carried = {
            line.stage_id: (line.stage_id.linear_step_id, line.step_id)
            for line in self.line_ids
            if line.step_id and line.stage_id.linear_step_id and line.stage_id.linear_step_id != line.step_id
        }
        for line in self.line_ids.filtered(lambda line: line.step_id):
            values = {
                "name": line.step_id.name,
                "sequence": base + line.sequence,
                "linear_step_id": line.step_id.id,
                "linear_team_id": team.id,
                "team_ids": [fields.Command.link(team.id)],
            }
            if line.stage_id:
                line.stage_id.write(values)
            else:
                line.stage_id = Stage.create(values)
        removed = self.line_ids.filtered(lambda line: line.change == "remove").stage_id
        if removed:
            leads = (
                self.env["crm.lead"].with_context(active_test=False).search([("stage_id", "in", removed.ids)])
            )
            # The move itself is a stage change, so the fallback step starts for those leads; the
            # results gate does not apply to a move the pipeline's owner makes for all of them.
            leads.with_context(**gate_override_context()).write({"stage_id": self.fallback_stage_id.id})
            removed.unlink()
        self._carry_over(carried)
        team.with_context(**binding_context()).linear_process_id = self.process_id
        env = self.with_context(lang=team.company_id._linear_text_lang()).env
        team.message_post(
            body=env._(
                "Pipeline bound to process «%(process)s» (version %(version)s).",
                process=self.process_id.name,
                version=self.process_id.version,
            )
        )
        return {"type": "ir.actions.act_window_close"}

    def _carry_over(self, carried):
        """Documents in re-pointed stages move to the new steps: open timing rows, open planned
        activities (matched by action name) and checklist lines (matched by result name; new
        results are added, confirmations kept)."""
        if not carried:
            return
        # sudo: timing rows, other people's activities and the process configuration are the
        # engine's; the binding itself was checked (sales manager, approved process).
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        leads = Lead.search([("stage_id", "in", [stage.id for stage in carried])])
        if not leads:
            return
        steps = {old.id: new.sudo() for old, new in carried.values()}
        old_steps = self.env["linear.process.step"].sudo().browse(list(steps))
        timings = (
            self.env["linear.step.timing"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", leads.ids),
                    ("left_at", "=", False),
                    ("step_id", "in", old_steps.ids),
                ]
            )
        )
        for old, rows in timings.grouped("step_id").items():
            rows.write({"step_id": steps[old.id].id})
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", leads.ids),
                    ("linear_step_id", "in", old_steps.ids),
                ]
            )
        )
        for old, group in activities.grouped("linear_step_id").items():
            new = steps[old.id]
            actions = {action.name: action.id for action in new.action_ids}
            for action_name, same in group.grouped(lambda a: a.linear_step_action_id.name).items():
                same.write(
                    {"linear_step_id": new.id, "linear_step_action_id": actions.get(action_name, False)}
                )
        lines = (
            self.env["crm.lead.step.result"]
            .sudo()
            .search([("lead_id", "in", leads.ids), ("step_id", "in", old_steps.ids)])
        )
        for old_result, same in lines.grouped("result_id").items():
            new_step = steps[old_result.step_id.id]
            new = new_step.result_ids.filtered(lambda r, name=old_result.name: r.name == name)[:1]
            if new:
                same._linear_repoint(new)
        for new in steps.values():
            in_step = leads.filtered(lambda lead, new=new: lead.stage_id.linear_step_id == new)
            in_step._linear_add_checklist(new)

    def _check_applicable(self):
        if self.process_id.state != "approved":
            raise UserError(self.env._("Only an approved process can drive a pipeline."))
        team_company = self.team_id.company_id
        if team_company and self.process_id.company_id != team_company:
            raise UserError(
                self.env._(
                    "Process «%(process)s» belongs to %(process_company)s, team %(team)s to "
                    "%(team_company)s: bind a process of the team's company.",
                    process=self.process_id.name,
                    process_company=self.process_id.company_id.name,
                    team=self.team_id.name,
                    team_company=team_company.name,
                )
            )
        if not self.process_id.step_ids:
            raise UserError(
                self.env._("Process «%s» has no steps: there is nothing to bind.", self.process_id.name)
            )
        if self.removed_lead_count and not self.fallback_stage_id:
            raise UserError(
                self.env._(
                    "%s leads are in stages this binding removes: choose the stage to move them to.",
                    self.removed_lead_count,
                )
            )
        removed = self.line_ids.filtered(lambda line: line.change == "remove").stage_id
        if self.fallback_stage_id in removed:
            raise UserError(self.env._("The stage that receives the leads cannot be one that is removed."))
        mapped = self.line_ids.filtered("step_id").stage_id
        if len(mapped) != len(self.line_ids.filtered(lambda line: line.step_id and line.stage_id)):
            raise UserError(self.env._("Each stage can stand for one step only."))

    @api.model
    def _retarget(self, team, process):
        """Move `team` from the version it runs to `process` (a newly approved version): stages
        follow their steps by key, new steps get stages, removed ones lose theirs. Refused when a
        removed step still holds leads: someone must decide where they go."""
        binding = self.create({"team_id": team.id, "process_id": process.id, "mode": "create"})
        values_list = binding._preview_values()
        stranded = [v for v in values_list if v["change"] == "remove" and v.get("lead_count")]
        if stranded:
            raise UserError(
                self.env._(
                    "Version %(version)s of «%(process)s» cannot be approved yet: team %(team)s has leads "
                    "in stages of steps this version removes (%(stages)s). Move those leads to another "
                    "stage first.",
                    version=process.version,
                    process=process.name,
                    team=team.name,
                    stages=", ".join(f"«{v['old_name']}»" for v in stranded),
                )
            )
        binding.line_ids = [fields.Command.create(values) for values in values_list]
        return binding.action_apply()

    @api.model
    def _bind(self, team, process, mode="create", fallback_stage=None, stages=None):
        """Programmatic binding (demo data, scripts): preview and apply in one go.

        Accepts records or ids, so XML `<function>` calls can use it.
        """
        team = self.env["crm.team"].browse(team) if isinstance(team, int) else team
        process = self.env["linear.process"].browse(process) if isinstance(process, int) else process
        binding = self.create(
            {
                "team_id": team.id,
                "process_id": process.id,
                "mode": mode,
                "fallback_stage_id": fallback_stage.id if fallback_stage else False,
            }
        )
        values_list = binding._preview_values()
        if stages:  # map the steps, in order, to these existing stages
            stages = self.env["crm.stage"].browse(stages) if isinstance(stages, list) else stages
            for values, stage in zip((v for v in values_list if v.get("step_id")), stages, strict=False):
                values.update(stage_id=stage.id, change="map", old_name=stage.name)
        binding.line_ids = [fields.Command.create(values) for values in values_list]
        return binding.action_apply()
