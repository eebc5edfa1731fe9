# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class CrmTeam(models.Model):
    """The pipeline of a team can be driven by an approved linear process: one stage per step."""

    _inherit = "crm.team"

    linear_process_id = fields.Many2one(
        "linear.process",
        string="Sales Process",
        readonly=True,
        index="btree_not_null",
        help="The approved process whose steps are this team's pipeline stages. "
        "Use 'Bind Process' to change it.",
    )
    linear_advance_mode = fields.Selection(
        [("suggest", "Suggest the next stage"), ("auto", "Move to the next stage automatically")],
        string="When a Step Is Done",
        default="suggest",
        required=True,
        help="What happens when the planned actions of a step are done and its required results confirmed.",
    )
    linear_stage_ids = fields.One2many(
        "crm.stage", compute="_compute_linear_stage_ids", string="Process Stages"
    )

    @api.depends("linear_process_id")
    def _compute_linear_stage_ids(self):
        for team in self:
            team.linear_stage_ids = (
                self.env["crm.stage"].search(
                    [("linear_team_id", "=", team.id), ("linear_step_id", "!=", False)], order="sequence, id"
                )
                if team.id
                else False
            )

    def action_bind_process(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Bind a Process to %s", self.name),
            "res_model": "linear.process.binding",
            "view_mode": "form",
            "target": "new",
            "context": {"default_team_id": self.id, "default_process_id": self.linear_process_id.id},
        }
