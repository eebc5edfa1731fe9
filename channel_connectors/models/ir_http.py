# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models
from odoo.http import request

from ..controllers.webhook import RAW_BODY_ROUTE, cache_raw_body


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        """Webhooks sign their raw bytes: keep them before Odoo parses a form body into params.

        Odoo's HTTP dispatcher reads `httprequest.form` before the controller runs, which consumes
        the body of a form-encoded post (Zadarma, Mango Office); werkzeug's cached data survives it.
        """
        result = super()._pre_dispatch(rule, args)
        if rule.endpoint.routing.get(RAW_BODY_ROUTE):
            cache_raw_body(request.httprequest)
        return result
