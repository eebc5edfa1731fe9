# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

# Only the binding wizard (which builds the stages) sets a team's process: a private object in the
# context, which JSON-RPC cannot send.
_BINDING = object()
_BINDING_KEY = "linear_process_binding"


def binding_context():
    return {_BINDING_KEY: _BINDING}


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

    @api.model_create_multi
    def create(self, vals_list):
        if (
            not self.env.su
            and self.env.context.get(_BINDING_KEY) is not _BINDING
            and any(vals.get("linear_process_id") for vals in vals_list)
        ):
            raise AccessError(
                self.env._("A team's sales process is set with Bind Process…, which builds its stages.")
            )
        teams = super().create(vals_list)
        if any(vals.get("user_id") for vals in vals_list):
            self.env["res.users"]._linear_ownership_changed()
        return teams

    def write(self, vals):
        if "linear_process_id" in vals and self.env.context.get(_BINDING_KEY) is not _BINDING:
            raise AccessError(
                self.env._("A team's sales process is set with Bind Process…, which builds its stages.")
            )
        result = super().write(vals)
        if "user_id" in vals:
            self.env["res.users"]._linear_ownership_changed()
        return result

    @api.constrains("linear_process_id", "company_id")
    def _check_linear_process_company(self):
        for team in self:
            process = team.linear_process_id
            if process and team.company_id and process.company_id != team.company_id:
                raise ValidationError(
                    self.env._(
                        "Process «%(process)s» belongs to %(process_company)s; team %(team)s works in "
                        "%(team_company)s. Bind a process of the team's company.",
                        process=process.name,
                        process_company=process.company_id.name,
                        team=team.name,
                        team_company=team.company_id.name,
                    )
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
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_team_id": self.id, "default_process_id": self.linear_process_id.id},
        }
