# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class LinearClientType(models.Model):
    """Kind of client (individual, shop, wholesaler, ...): a list admins extend, not a selection."""

    _name = "linear.client.type"
    _description = "Client Type"
    _order = "sequence, id"

    name = fields.Char(string="Client Type", required=True, translate=True)
    sequence = fields.Integer(default=10, help="Order in lists and drop-downs.")
    active = fields.Boolean(default=True, help="Archived types are no longer offered.")
    description = fields.Text(translate=True, help="What makes a client this type.")
    partner_count = fields.Integer(string="Clients", compute="_compute_partner_count")

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("client_type_id", "in", self.ids)], ["client_type_id"], ["__count"]
            )
        )
        for client_type in self:
            client_type.partner_count = counts.get(client_type, 0)

    def action_view_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": "res.partner",
            "view_mode": "list,kanban,form",
            "views": [(False, "list"), (False, "kanban"), (False, "form")],
            "domain": [("client_type_id", "=", self.id)],
            "context": {"default_client_type_id": self.id},
        }
