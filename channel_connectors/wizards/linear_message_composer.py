# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError


class LinearMessageComposer(models.TransientModel):
    """Reply to a client from the lead or the card through a messenger channel (Telegram,
    WhatsApp); the message is sent through the channel's adapter and logged as an interaction."""

    _name = "linear.message.composer"
    _description = "Send a Messenger Message"

    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    lead_id = fields.Many2one("crm.lead", readonly=True)
    channel_id = fields.Many2one(
        "linear.channel",
        required=True,
        domain="[('id', 'in', allowed_channel_ids)]",
        help="The messenger the message goes through.",
    )
    allowed_channel_ids = fields.Many2many("linear.channel", compute="_compute_allowed_channel_ids")
    recipient = fields.Char(compute="_compute_recipient", help="Chat or number the message goes to.")
    text = fields.Text(string="Message", required=True)

    @api.depends("partner_id", "lead_id")
    def _compute_allowed_channel_ids(self):
        Interaction = self.env["linear.interaction"]
        for composer in self:
            company = composer.lead_id.company_id or composer.partner_id.company_id or self.env.company
            composer.allowed_channel_ids = Interaction._linear_outbound_channels("send_message", company)

    @api.depends("channel_id", "partner_id", "lead_id")
    def _compute_recipient(self):
        Interaction = self.env["linear.interaction"]
        for composer in self:
            client = composer.partner_id or composer.lead_id.partner_id
            composer.recipient = (
                Interaction._linear_recipient(composer.channel_id, client) if composer.channel_id else False
            )

    @api.model
    def _linear_action(self, partner=None, lead=None):
        """The composer's window for a client or a lead, with the channel the client wrote from."""
        partner = partner or self.env["res.partner"]
        lead = lead or self.env["crm.lead"]
        client = partner or lead.partner_id
        context = {"default_partner_id": client.id, "default_lead_id": lead.id}
        if client:
            company = lead.company_id or client.company_id or self.env.company
            channels = self.env["linear.interaction"]._linear_outbound_channels("send_message", company)
            last = self.env["linear.interaction"].search(
                [
                    ("partner_id", "child_of", client.commercial_partner_id.id),
                    ("channel_id", "in", channels.ids),
                ],
                limit=1,
            )
            context["default_channel_id"] = last.channel_id.id or channels[:1].id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Message"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    @api.model_create_multi
    def create(self, vals_list):
        # The client and lead come from the browser: only those the user may read.
        for vals in vals_list:
            for field, model in (("partner_id", "res.partner"), ("lead_id", "crm.lead")):
                if vals.get(field):
                    self.env[model].browse(vals[field]).check_access("read")
        return super().create(vals_list)

    def action_send(self):
        self.ensure_one()
        if not self.partner_id and not self.lead_id:
            raise UserError(self.env._("Choose a client or a lead first."))
        self.env["linear.interaction"]._linear_send_message(
            self.channel_id, self.partner_id, self.lead_id, self.text
        )
        return {"type": "ir.actions.act_window_close"}
