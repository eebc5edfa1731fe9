# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class CrmLead(models.Model):
    """The lead form: Call and Send Message buttons, and the lead's calls and messages."""

    _inherit = "crm.lead"

    linear_interaction_count = fields.Integer(
        string="Calls & Messages Count", compute="_compute_linear_interaction_count"
    )

    def _compute_linear_interaction_count(self):
        if not self.env["linear.interaction"].has_access("read"):  # e.g. an accountant reading leads
            self.linear_interaction_count = 0
            return
        counts = dict(
            self.env["linear.interaction"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.linear_interaction_count = counts.get(lead, 0)

    def action_linear_call(self):
        self.ensure_one()
        number = self.phone or self.partner_id.phone
        return self.env["linear.interaction"]._linear_call_action(self.partner_id, self, number)

    def action_linear_open_composer(self):
        self.ensure_one()
        return self.env["linear.message.composer"]._linear_action(lead=self)

    def action_linear_open_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("linear_crm.linear_interaction_action")
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
