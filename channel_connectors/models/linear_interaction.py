# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""A call or a messenger message with a client, as the channels saw it.

One row per provider call or message (unique per channel, kind and provider id), updated in place
as later events about it arrive (answer, end, delivery statuses). Written only by the channel
processing and the outbound actions, never by hand: salespeople read them, managers may delete.
Who reads a row follows the client and lead rules (security/linear_interaction_rules.xml).
"""

from odoo import api, fields, models

from ..lib import interaction_status as st

KINDS = [("call", "Call"), ("message", "Message")]
DIRECTIONS = [("in", "Incoming"), ("out", "Outgoing")]
STATUSES = [
    (st.RINGING, "Ringing"),
    (st.ANSWERED, "Answered"),
    (st.MISSED, "Missed"),
    (st.BUSY, "Busy"),
    (st.RECEIVED, "Received"),
    (st.SENT, "Sent"),
    (st.DELIVERED, "Delivered"),
    (st.READ, "Read"),
    (st.FAILED, "Failed"),
]


class LinearInteraction(models.Model):
    _name = "linear.interaction"
    _description = "Call or Message"
    _order = "date desc, id desc"
    _check_company_auto = True

    kind = fields.Selection(KINDS, required=True, readonly=True, index=True)
    direction = fields.Selection(DIRECTIONS, required=True, readonly=True, default="in")
    channel_id = fields.Many2one(
        "linear.channel", required=True, readonly=True, index=True, ondelete="restrict"
    )
    provider = fields.Selection(related="channel_id.provider")
    event_id = fields.Many2one(
        "linear.channel.event",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        groups="linear_crm.group_channel_admin",  # the raw event log is the channel admins'
        help="The provider event that created this interaction.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Client", readonly=True, index="btree_not_null", ondelete="set null"
    )
    lead_id = fields.Many2one("crm.lead", readonly=True, index="btree_not_null", ondelete="set null")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        readonly=True,
        index="btree_not_null",
        help="Who answered, made or is to answer this call or message.",
    )
    external_id = fields.Char(
        string="Provider ID", readonly=True, help="The provider's id of the call or message."
    )
    phone = fields.Char(string="Number", readonly=True)
    handle = fields.Char(readonly=True, help="The client's Telegram chat or WhatsApp id.")
    text = fields.Text(readonly=True)
    status = fields.Selection(STATUSES, readonly=True, index=True)
    error = fields.Char(readonly=True, help="Why the provider could not deliver the message.")
    duration = fields.Integer(string="Duration (s)", readonly=True, aggregator="sum")
    recording_url = fields.Char(string="Recording", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="Recording File", readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    date_end = fields.Datetime(string="Ended", readonly=True)
    callback_due = fields.Datetime(
        string="Call Back By", readonly=True, help="A missed call is to be called back by this time."
    )
    activity_id = fields.Many2one("mail.activity", string="Call-back Activity", readonly=True)
    new_client = fields.Boolean(readonly=True, help="The client was created from this interaction.")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda self: self.env.company
    )

    _channel_kind_external_uniq = models.UniqueIndex(
        "(channel_id, kind, external_id)", "This call or message was already recorded."
    )
    _duration_range = models.Constraint(
        f"CHECK(duration >= 0 AND duration <= {st.MAX_DURATION})",
        "A call lasts between 0 seconds and one day.",
    )
    _partner_date_idx = models.Index("(partner_id, date DESC)")

    @api.depends("kind", "direction", "phone", "handle", "partner_id")
    def _compute_display_name(self):
        labels = {
            ("call", "in"): self.env._("Incoming call"),
            ("call", "out"): self.env._("Outgoing call"),
            ("message", "in"): self.env._("Incoming message"),
            ("message", "out"): self.env._("Outgoing message"),
        }
        for interaction in self:
            who = interaction.partner_id.name or interaction.phone or interaction.handle or ""
            label = labels.get((interaction.kind, interaction.direction), "")
            interaction.display_name = f"{label} {who}".strip() if who else label
