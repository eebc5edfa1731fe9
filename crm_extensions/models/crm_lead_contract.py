# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class CrmLead(models.Model):
    """The end of the client's contract, so that the renewal is prepared in time."""

    _inherit = "crm.lead"

    contract_end_date = fields.Date(
        index="btree_not_null",
        tracking=True,
        help="The contract end reminder preset schedules a task for the salesperson before this date.",
    )
