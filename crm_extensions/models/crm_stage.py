# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    linear_step_id = fields.Many2one(
        "linear.process.step",
        string="Process Step",
        index="btree_not_null",
        ondelete="set null",
        help="The process step this stage stands for: entering the stage starts the step.",
    )
    linear_step_key = fields.Char(
        related="linear_step_id.step_key", store=True, index="btree_not_null", string="Step Key"
    )
    linear_team_id = fields.Many2one(
        "crm.team",
        string="Bound Team",
        index="btree_not_null",
        ondelete="cascade",
        help="The team whose process created this stage.",
    )
