# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import binascii

from odoo import fields, models
from odoo.exceptions import UserError


class LinearExchangeImport(models.TransientModel):
    """Import from 1C by hand: payments and order statuses from a CommerceML file or a zip."""

    _name = "linear.exchange.import"
    _description = "Import from 1C"

    file = fields.Binary(required=True, help="A CommerceML file 1C saved (XML), or a zip of them.")
    file_name = fields.Char()

    def action_import(self):
        self.ensure_one()
        exchange = self.env["linear.exchange"]
        exchange._check_exchange_access()
        try:
            data = base64.b64decode(self.file or b"", validate=True)
        except (binascii.Error, ValueError) as error:
            raise UserError(self.env._("The uploaded file cannot be read.")) from error
        log, _refusal = exchange._import_file(data, self.file_name or "1c.xml", channel="manual")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Exchange Log"),
            "res_model": "linear.exchange.log",
            "res_id": log.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
