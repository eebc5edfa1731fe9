# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError


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
                }
            )
        leads = self.env["crm.lead"].with_context(active_test=False)
        for stage in current - kept:
            values.append(
                {
                    "sequence": 1000 + stage.sequence,
                    "stage_id": stage.id,
                    "change": "remove",
                    "old_name": stage.name,
                    "lead_count": leads.search_count([("stage_id", "=", stage.id)]),
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
            leads.with_context(linear_skip_gate=True).write({"stage_id": self.fallback_stage_id.id})
            removed.unlink()
        team.linear_process_id = self.process_id
        team.message_post(
            body=self.env._(
                "Pipeline bound to process «%(process)s» (version %(version)s).",
                process=self.process_id.name,
                version=self.process_id.version,
            )
        )
        return {"type": "ir.actions.act_window_close"}

    def _check_applicable(self):
        if self.process_id.state != "approved":
            raise UserError(self.env._("Only an approved process can drive a pipeline."))
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
