# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

WHAT = [("deals", "Deals (orders with their clients)"), ("counterparties", "Counterparties")]


class LinearExchangeExport(models.TransientModel):
    """Export to 1C by hand: a CommerceML file of deals or counterparties, logged for download."""

    _name = "linear.exchange.export"
    _description = "Export to 1C"

    what = fields.Selection(WHAT, required=True, default="deals")
    date_from = fields.Date(string="From", help="Deals created on or after this day.")
    date_to = fields.Date(string="To", help="Deals created on or before this day.")
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", help="Only this team's deals (and their clients)."
    )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from and wizard.date_to and wizard.date_from > wizard.date_to:
                raise UserError(self.env._("The period ends before it starts."))

    def _deals(self):
        self.ensure_one()
        domain = Domain("type", "=", "opportunity") & Domain("partner_id", "!=", False)
        if self.team_id:
            domain &= Domain("team_id", "=", self.team_id.id)
        if self.date_from:
            domain &= Domain("create_date", ">=", fields.Datetime.to_datetime(self.date_from))
        if self.date_to:
            domain &= Domain(
                "create_date", "<", fields.Datetime.add(fields.Datetime.to_datetime(self.date_to), days=1)
            )
        return self.env["crm.lead"].search(domain, order="id")

    def action_export(self):
        self.ensure_one()
        exchange = self.env["linear.exchange"]
        exchange._check_exchange_access()
        deals = self._deals()
        if not deals:
            raise UserError(self.env._("No deals with a client match the period and team."))
        if self.what == "deals":
            _data, log = exchange._export_leads(deals, channel="manual")
        else:
            _data, log = exchange._export_partners(deals.partner_id, channel="manual")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Exchange Log"),
            "res_model": "linear.exchange.log",
            "res_id": log.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
