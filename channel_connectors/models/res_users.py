# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResUsers(models.Model):
    """The user's phone extension: which internal line (or SIP account) rings for them.

    Telephony events name the extension that rang or answered; it maps a call to its user when the
    client and lead have no salesperson, and click-to-call rings this line first.
    """

    _inherit = "res.users"

    linear_phone_extension = fields.Char(
        string="Phone Extension",
        index="btree_not_null",
        copy=False,
        help="Internal number or SIP account of the user's phone (e.g. 101 or 100-101): incoming "
        "calls to it pop up here, and Call buttons ring it first.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "linear_phone_extension"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "linear_phone_extension"]
