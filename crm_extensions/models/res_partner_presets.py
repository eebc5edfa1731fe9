# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResPartner(models.Model):
    """The contact's gender, which holiday campaign presets segment on (e.g. 8 March).

    The birthday and the mailing consent the presets also use are client card fields
    (res_partner.py).
    """

    _inherit = "res.partner"

    gender = fields.Selection(
        [("female", "Female"), ("male", "Male")],
        help="Used to address holiday campaigns (e.g. 8 March).",
    )
