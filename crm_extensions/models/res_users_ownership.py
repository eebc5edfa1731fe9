# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL


class ResUsers(models.Model):
    """Which leads and clients a salesperson holds: the one definition of ownership.

    The record rules call these methods (``user._linear_held_leads_domain()``), and so do, through
    the rules, the timeline, the lookup, duplicates, objections and checklists. Only facts a
    salesperson cannot forge decide: the lead's salesperson and team, the client's salesperson,
    who leads which team. A lead makes its client "held" only because nobody may link a lead to a
    client they cannot read (``crm.lead._linear_check_client_links``).

    The domains carry the user's team ids; ir.rule caches them per user, so team and membership
    changes clear the caches at once.
    """

    _inherit = "res.users"

    @api.private
    def _linear_restricted_to_own(self):
        """A salesperson limited to their own documents (not "all documents", not a manager)."""
        self.ensure_one()
        return self.has_group("sales_team.group_sale_salesman") and not self.has_group(
            "sales_team.group_sale_salesman_all_leads"
        )

    @api.private
    def _linear_sales_teams(self):
        """(teams the user leads, teams the user is an active member of, active members of the
        teams the user leads) as id tuples, read in one query.

        The rules carry these ids as literals: PostgreSQL then combines the indexes on
        crm_lead.user_id and crm_lead.team_id, where a join to crm_team inside an OR made it read
        every lead with a client (bench/bench_visibility.py). ir.rule caches a user's domains, so
        the team and member writes clear the caches (``_linear_ownership_changed``).
        """
        self.ensure_one()
        self.env["crm.team"].flush_model(["user_id"])
        self.env["crm.team.member"].flush_model(["user_id", "crm_team_id", "active"])
        self.env.cr.execute(
            SQL(
                """
                SELECT ARRAY(SELECT id FROM crm_team WHERE user_id = %(uid)s ORDER BY id),
                       ARRAY(SELECT crm_team_id FROM crm_team_member
                              WHERE user_id = %(uid)s AND active ORDER BY crm_team_id),
                       ARRAY(SELECT DISTINCT m.user_id FROM crm_team_member m
                               JOIN crm_team t ON t.id = m.crm_team_id
                              WHERE t.user_id = %(uid)s AND m.active ORDER BY m.user_id)
                """,
                uid=self.id,
            )
        )
        led, member, led_members = self.env.cr.fetchone()
        return tuple(led), tuple(member), tuple(led_members)

    @api.private
    def _linear_held_leads_branches(self):
        """The crm.lead domains of what the user holds: own leads, leads of the teams the user
        leads, unassigned leads of the teams the user is an active member of."""
        self.ensure_one()
        led, member, _led_members = self._linear_sales_teams()
        return [
            Domain("user_id", "=", self.id),
            Domain("team_id", "in", list(led)),
            Domain("user_id", "=", False) & Domain("team_id", "in", list(member)),
        ]

    @api.private
    def _linear_held_leads_domain(self):
        """crm.lead domain: any of the held branches."""
        return Domain.OR(self._linear_held_leads_branches())

    @api.private
    def _linear_held_clients_domain(self):
        """res.partner domain: partners that are not sales clients, the user's clients (as their
        salesperson, as leader of their salesperson's team, through a held lead), the contacts of
        a company whose lead the user owns or leads, and the company of such a contact."""
        self.ensure_one()
        uid = self.id
        _led, _member, led_members = self._linear_sales_teams()
        # The leads' clients as plain IN subqueries over crm_lead, built from the lead domains.
        # Written as ``client_lead_ids`` / ``commercial_partner_id.…`` / ``child_ids.…`` paths,
        # PostgreSQL read every lead with a client, hashed the whole res_partner table, or was
        # estimated so costly that JIT compilation took 0.4 s (bench/bench_visibility.py).
        # Archived leads count, as for client_lead_ids; sudo: ownership is the facts, not the rules.
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        with_client = Domain("partner_id", "!=", False)

        def clients_of(*branches):
            # one SELECT per branch, each on its own index, instead of an OR the planner misjudges
            selects = [
                Lead._search(branch & with_client).select(SQL.identifier("crm_lead", "partner_id"))
                for branch in branches
            ]
            return SQL(" UNION ALL ").join(selects)

        branches = self._linear_held_leads_branches()
        held_lead_clients = clients_of(*branches)
        owned_lead_clients = clients_of(*branches[:2])
        return (
            Domain("is_client", "=", False)
            | Domain("partner_share", "=", False)
            | Domain("user_id", "in", [uid, *led_members])
            | Domain("id", "in", held_lead_clients)
            | Domain("commercial_partner_id", "in", owned_lead_clients)
            | Domain(
                "id",
                "in",
                SQL(
                    "SELECT parent_id FROM res_partner WHERE parent_id IS NOT NULL AND id IN (%s)",
                    owned_lead_clients,
                ),
            )
        )

    @api.model
    def _linear_ownership_changed(self):
        """Who leads or belongs to which team changed: the cached rule domains hold team ids."""
        self.env.registry.clear_cache()
