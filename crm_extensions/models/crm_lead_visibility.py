# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models
from odoo.exceptions import AccessError


class CrmLead(models.Model):
    """A lead may only be linked to a client its author can read, and the chatter keeps working.

    A held lead makes its client visible (res.users._linear_held_clients_domain), so the link
    itself must be legitimate: whoever writes ``partner_id`` must already be able to read that
    contact and its company. Otherwise typing another salesperson's client id into a new lead
    would open that client's card.

    A lead's followers, and the authors and recipients of its messages, may be clients of
    another salesperson (a consultant, a partner company): the chatter must still suggest
    recipients instead of failing on a contact the user may not open.
    """

    _inherit = "crm.lead"

    @api.model
    def _linear_check_client_links(self, partner_ids):
        """Refuse to link leads to contacts (or their companies) the current user cannot read.

        Checked before writing, against the rules as they are now: after the write the new lead
        would itself make the client readable. Called first by the wing's create/write
        (crm_lead.py).
        """
        forbidden = self.env["res.partner"]._linear_unreadable_links(partner_ids, with_companies=True)
        if forbidden:
            raise AccessError(
                self.env._(
                    "You cannot link a lead to a contact you may not open (id %(ids)s). Ask a sales "
                    "manager to assign this client to you.",
                    ids=", ".join(str(pid) for pid in sorted(forbidden.ids)),
                )
            )

    def _message_get_suggested_recipients_batch(self, reply_message=None, **kwargs):
        if self.env.su:
            return super()._message_get_suggested_recipients_batch(reply_message=reply_message, **kwargs)
        self.check_access("read")
        return super(CrmLead, self.sudo())._message_get_suggested_recipients_batch(
            reply_message=reply_message.sudo() if reply_message else reply_message, **kwargs
        )
