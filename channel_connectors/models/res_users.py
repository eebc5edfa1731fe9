# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


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

    @api.constrains("linear_phone_extension", "company_ids")
    def _check_linear_phone_extension(self):
        """One extension rings one user per company: users set it themselves (preferences), and a
        taken extension would route another user's calls to them."""
        # sudo: the colleagues holding an extension may be users the writer cannot read
        Users = self.sudo().with_context(active_test=True)
        for user in self.filtered("linear_phone_extension"):
            extension = user.linear_phone_extension.strip()
            taken = Users.search(
                [
                    ("id", "!=", user.id),
                    ("linear_phone_extension", "=", extension),
                    ("share", "=", False),
                    ("company_ids", "in", user.company_ids.ids),
                ],
                limit=1,
            )
            if taken:
                raise ValidationError(
                    self.env._(
                        "Phone extension %(extension)s already rings for %(user)s.",
                        extension=extension,
                        user=taken.name,
                    )
                )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "linear_phone_extension"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "linear_phone_extension"]
