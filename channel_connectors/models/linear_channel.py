# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..lib import registry
from ..lib.base import ChannelConf

ADMIN = "linear_crm.group_channel_admin"
WEBHOOK_PATH = "/linear_crm/webhook/"
SECRET_FIELDS = ("secret", "api_key", "verify_token", "webhook_key", "webhook_url")
# Provider settings handed to the adapter as ChannelConf.settings (field -> settings key).
SETTINGS_FIELDS = {
    "phone_number_id": "phone_number_id",
    "vpbx_number": "vpbx_number",
    "sip_number": "sip",
    "bridge_url": "bridge_url",
    "form_origins": "form_origins",
}


def new_webhook_key():
    """43 url-safe characters (256 random bits): the only thing that names a channel to the world."""
    return secrets.token_urlsafe(32)


class LinearChannel(models.Model):
    """An inbound/outbound channel: a telephony account, a messenger bot or a site form.

    Providers post to the channel's webhook URL; the adapter of its provider (channel_connectors/
    lib/) verifies and cuts the requests into events, which land in linear.channel.event. The
    secrets are field-restricted to channel administrators and never exported: the webhook door
    and the outbound calls read them through _linear_conf() only.
    """

    _name = "linear.channel"
    _description = "Communication Channel"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(
        default=True, tracking=True, help="An archived channel refuses every request (404)."
    )
    provider = fields.Selection(
        selection="_selection_provider",
        required=True,
        tracking=True,
        help="Who sends the requests: it decides how they are verified and read.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        check_company=True,
        tracking=True,
        help="New leads from this channel go to this team and its assignment rules.",
    )
    source_id = fields.Many2one("utm.source", help="UTM source of the leads this channel brings.")
    medium_id = fields.Many2one("utm.medium", help="UTM medium of the leads this channel brings.")
    campaign_id = fields.Many2one(
        "utm.campaign", help="UTM campaign of the leads this channel brings (optional)."
    )
    missed_call_deadline = fields.Integer(
        string="Call-back Deadline (minutes)",
        default=15,
        help="A missed call becomes a call-back activity for the responsible, due this many minutes later.",
    )
    # Everything that lets somebody post to or act as the channel: channel administrators only
    # (field groups), never copied, never offered or returned by an export (export_data below).
    webhook_key = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: new_webhook_key(),
        groups=ADMIN,
        exportable=False,
        help="Random part of the webhook URL. Regenerate it if the URL leaked: the old one stops at once.",
    )
    webhook_url = fields.Char(
        string="Webhook URL",
        compute="_compute_webhook_url",
        groups=ADMIN,
        exportable=False,
        help="Paste this address into the provider's dashboard (see the README for each provider).",
    )
    secret = fields.Char(
        copy=False,
        groups=ADMIN,
        exportable=False,
        help="Telegram: the secret_token given to setWebhook. WhatsApp: the app secret. Zadarma: the API "
        "secret. Mango Office: the API salt (signing key). Asterisk and site forms: the shared signing "
        "secret. A channel without it refuses every request.",
    )
    api_key = fields.Char(
        string="API Key",
        copy=False,
        groups=ADMIN,
        exportable=False,
        help="Telegram: the bot token. WhatsApp: the access token. Zadarma: the API key. "
        "Mango Office: the VPBX API key.",
    )
    verify_token = fields.Char(
        copy=False,
        groups=ADMIN,
        exportable=False,
        help="WhatsApp: the Verify Token you type into the Meta dashboard for the webhook handshake.",
    )
    api_base_url = fields.Char(
        string="API Base URL",
        groups=ADMIN,
        help="Leave empty to use the provider's public API.",
    )
    phone_number_id = fields.Char(
        string="Phone Number ID", groups=ADMIN, help="WhatsApp: the sender phone number ID."
    )
    vpbx_number = fields.Char(
        string="VPBX Number", groups=ADMIN, help="Mango Office: the virtual PBX number."
    )
    sip_number = fields.Char(string="SIP Number", groups=ADMIN, help="Zadarma: the SIP line that calls back.")
    bridge_url = fields.Char(
        string="Bridge URL",
        groups=ADMIN,
        help="Asterisk: where the AMI bridge listens for originate requests.",
    )
    form_origins = fields.Char(
        string="Web Sites Allowed Unsigned",
        groups=ADMIN,
        help="Site forms: the web sites (e.g. https://example.com, comma-separated) whose browsers may "
        "post to this channel without a signature. Leave empty to accept signed posts only.",
    )
    event_count = fields.Integer(string="Events", compute="_compute_event_counts", groups=ADMIN)
    failed_event_count = fields.Integer(string="Failed Events", compute="_compute_event_counts", groups=ADMIN)

    _webhook_key_uniq = models.UniqueIndex("(webhook_key)", "The webhook key must be unique.")
    _missed_call_deadline_range = models.Constraint(
        "CHECK(missed_call_deadline BETWEEN 1 AND 10080)",
        "The call-back deadline must be between 1 minute and 7 days.",
    )

    @api.model
    def _selection_provider(self):
        # called per request with the reader's language: the labels are marked for export in lib
        return [(key, self.env._(label)) for key, label in registry.PROVIDERS]

    @api.depends("webhook_key")
    def _compute_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        for channel in self:
            channel.webhook_url = (
                f"{base}{WEBHOOK_PATH}{channel.webhook_key}" if channel.webhook_key else False
            )

    def _compute_event_counts(self):
        Event = self.env["linear.channel.event"]
        total = dict(Event._read_group([("channel_id", "in", self.ids)], ["channel_id"], ["__count"]))
        failed = dict(
            Event._read_group(
                [("channel_id", "in", self.ids), ("state", "=", "failed")], ["channel_id"], ["__count"]
            )
        )
        for channel in self:
            channel.event_count = total.get(channel, 0)
            channel.failed_event_count = failed.get(channel, 0)

    # ------------------------------------------------------------------ secrets
    def export_data(self, fields_to_export):
        """Secrets never leave through an export, whoever asks (the form shows them to admins)."""
        for path in fields_to_export:
            if path.split("/")[0].removesuffix(".id") in SECRET_FIELDS:
                raise UserError(self.env._("Channel secrets and webhook keys cannot be exported."))
        return super().export_data(fields_to_export)

    def action_regenerate_key(self):
        """New webhook key: the old URL answers 404 from now on."""
        if not self.env.user.has_group(ADMIN):
            raise AccessError(self.env._("Only channel administrators may regenerate a webhook key."))
        for channel in self:
            channel.webhook_key = new_webhook_key()
            channel.message_post(
                body=self.env._("Webhook key regenerated: update the URL in the provider's dashboard.")
            )
        return True

    @api.model
    def _linear_conf_fields(self):
        """The fields _linear_conf() reads (the door fetches them with the channel)."""
        return [
            "provider",
            "company_id",
            "secret",
            "api_key",
            "verify_token",
            "api_base_url",
            *SETTINGS_FIELDS,
        ]

    def _linear_conf(self):
        """The adapter's view of this channel (lib.base.ChannelConf), secrets included.

        sudo: the door and the jobs act for the provider, not for a user, and the outbound calls of a
        salesperson must use the channel's credentials without letting them read those credentials.
        """
        self.ensure_one()
        channel = self.sudo()
        settings = {key: channel[name] for name, key in SETTINGS_FIELDS.items() if channel[name]}
        return ChannelConf(
            provider=channel.provider,
            secret=channel.secret or "",
            api_key=channel.api_key or "",
            verify_token=channel.verify_token or "",
            api_base_url=channel.api_base_url or "",
            settings=settings,
        )

    # ------------------------------------------------------------------ navigation
    def action_open_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("linear_crm.linear_channel_event_action")
        action["domain"] = [("channel_id", "=", self.id)]
        action["context"] = {"default_channel_id": self.id}
        return action

    def action_open_failed_events(self):
        action = self.action_open_events()
        action["context"] = {"search_default_failed": 1}
        return action
