# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class CrmLead(models.Model):
    """Keep the chatter working for salespeople who only see their own clients.

    A lead's followers, and the authors and recipients of its messages, may be clients of
    another salesperson (a consultant, a partner company): the chatter must still suggest
    recipients instead of failing on a contact the user may not open.
    """

    _inherit = "crm.lead"

    def _message_get_suggested_recipients_batch(self, reply_message=None, **kwargs):
        if self.env.su:
            return super()._message_get_suggested_recipients_batch(reply_message=reply_message, **kwargs)
        self.check_access("read")
        return super(CrmLead, self.sudo())._message_get_suggested_recipients_batch(
            reply_message=reply_message.sudo() if reply_message else reply_message, **kwargs
        )
