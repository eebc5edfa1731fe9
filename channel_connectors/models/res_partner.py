# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResPartner(models.Model):
    """The client card: Call and Send Message buttons, and its calls and messages."""

    _inherit = "res.partner"

    linear_interaction_count = fields.Integer(
        string="Calls & Messages", compute="_compute_linear_interaction_count"
    )

    def _compute_linear_interaction_count(self):
        if not self.env["linear.interaction"].has_access("read"):  # not a salesperson
            self.linear_interaction_count = 0
            return
        # as the user: the interaction rules decide what is counted
        counts = (
            dict(
                self.env["linear.interaction"]._read_group(
                    [("partner_id", "child_of", self.commercial_partner_id.ids)],
                    ["partner_id"],
                    ["__count"],
                )
            )
            if self.commercial_partner_id.ids
            else {}
        )
        by_client = {}
        for partner, count in counts.items():
            key = partner.commercial_partner_id.id
            by_client[key] = by_client.get(key, 0) + count
        for partner in self:
            partner.linear_interaction_count = by_client.get(partner.commercial_partner_id.id, 0)

    def action_linear_call(self):
        """Click-to-call: ring the user's phone, then the client's (the number in the context
        when a specific field's button was clicked)."""
        self.ensure_one()
        number = self.env.context.get("linear_call_number")
        number = (
            number if isinstance(number, str) and number in (self.phone, self.whatsapp_number) else self.phone
        )
        return self.env["linear.interaction"]._linear_call_action(self, self.env["crm.lead"], number)

    def action_linear_open_composer(self):
        self.ensure_one()
        return self.env["linear.message.composer"]._linear_action(partner=self)

    def action_linear_open_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("linear_crm.linear_interaction_action")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"create": False}
        return action
