# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

OUTCOMES = [("pending", "Pending"), ("overcome", "Overcome"), ("not_overcome", "Not Overcome")]


class CrmLeadObjection(models.Model):
    """A client's objection on a lead: what they said, what we answered, and how it ended."""

    _name = "crm.lead.objection"
    _description = "Lead Objection"
    _order = "date desc, id desc"
    _rec_name = "type_id"

    lead_id = fields.Many2one(
        "crm.lead",
        required=True,
        index=True,
        ondelete="cascade",
        help="Lead the objection was raised on.",
    )
    type_id = fields.Many2one(
        "crm.lead.objection.type",
        string="Objection Type",
        required=True,
        index=True,
        ondelete="restrict",
        help="Kind of objection (CRM > Configuration > Objection Types).",
    )
    client_statement = fields.Text(string="What the Client Said", help="The objection in the client's words.")
    answer = fields.Text(
        string="Our Answer",
        compute="_compute_answer",
        store=True,
        readonly=False,
        precompute=True,
        help="How the objection was answered; starts from the type's suggested answer.",
    )
    outcome = fields.Selection(
        OUTCOMES,
        required=True,
        default="pending",
        index=True,
        help="Overcome: the client accepted the answer; not overcome: the objection stands.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        default=lambda self: self.env.user,
        index=True,
        help="Who handled the objection.",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, help="When it was raised.")
    partner_id = fields.Many2one(
        related="lead_id.partner_id", store=True, string="Customer", help="Customer of the lead."
    )
    team_id = fields.Many2one(
        related="lead_id.team_id", store=True, string="Sales Team", help="Team of the lead."
    )
    stage_id = fields.Many2one(related="lead_id.stage_id", help="Current stage of the lead.")
    company_id = fields.Many2one(related="lead_id.company_id", store=True)

    @api.depends("type_id")
    def _compute_answer(self):
        for objection in self:
            if not objection.answer and objection.type_id.suggested_answer:
                objection.answer = objection.type_id.suggested_answer
