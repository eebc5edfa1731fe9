# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class ResPartner(models.Model):
    """Which partners are sales clients, the only ones the visibility rules restrict.

    Partners Odoo itself relies on (users' partners, companies of res.company, employees' work
    contacts) are never clients, so mail, followers, authors and company data keep working for a
    salesperson who only sees their own clients.
    """

    _inherit = "res.partner"

    client_lead_ids = fields.One2many(
        "crm.lead",
        "partner_id",
        string="All Leads",
        context={"active_test": False},
        help="Leads and opportunities of this contact, archived and lost ones included.",
    )
    is_client = fields.Boolean(
        string="Is a Sales Client",
        compute="_compute_is_client",
        store=True,
        index=True,
        recursive=True,
        help="A customer contact: it has a responsible salesperson or a lead, or belongs to such a "
        "company. Salespeople limited to their own documents only see their clients.",
    )

    @api.depends("partner_share", "employee", "user_id", "client_lead_ids", "parent_id.is_client")
    def _compute_is_client(self):
        company_partner_ids = set(
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "!=", False)])
            .partner_id.ids
        )
        for partner in self:
            partner.is_client = bool(
                partner.partner_share
                and not partner.employee
                and partner.id not in company_partner_ids
                and (partner.user_id or partner.client_lead_ids or partner.parent_id.is_client)
            )

    @api.model
    def _linear_unreadable_links(self, partner_ids, with_companies=False):
        """Of the partner ids a client sent to link a record to, those the current user may not
        read (with_companies: their companies too). Nothing for the superuser."""
        if self.env.su:
            return self.browse()
        ids = {pid for pid in partner_ids if type(pid) is int and pid > 0}  # type(): a bool is not an id
        partners = self.browse(ids).exists()
        if with_companies:
            # sudo only to find the contact's company; the user's access to it is what is checked
            partners |= partners.sudo().commercial_partner_id.with_env(self.env)
        return partners - partners._filtered_access("read")

    @api.model
    def _linear_check_parent_links(self, parent_ids):
        """A contact filed under a company the user may not read would make that company (its
        name, requisites, leads) visible through its new contact: refused, as for leads.
        Called first by the wing's create/write (res_partner.py)."""
        forbidden = self._linear_unreadable_links(parent_ids)
        if forbidden:
            raise AccessError(
                self.env._(
                    "You cannot add a contact to a company you may not open (id %(ids)s). Ask a "
                    "sales manager to assign this client to you.",
                    ids=", ".join(str(pid) for pid in sorted(forbidden.ids)),
                )
            )

    def _message_get_suggested_recipients_batch(self, reply_message=None, **kwargs):
        """Followers and correspondents of a visible client may be other salespeople's clients."""
        if self.env.su:
            return super()._message_get_suggested_recipients_batch(reply_message=reply_message, **kwargs)
        self.check_access("read")
        return super(ResPartner, self.sudo())._message_get_suggested_recipients_batch(
            reply_message=reply_message.sudo() if reply_message else reply_message, **kwargs
        )
