# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Instant assignment of new leads (every rule and its reason) and the deactivation hand-over."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class AssignmentCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the reasons are asserted in English: the acting request is English (the demo company is Russian)
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True, lang="en_US")
        )
        salesman = "sales_team.group_sale_salesman"
        cls.u1 = new_test_user(cls.env, login="lc_as_u1", groups=salesman, name="Anna Wins", tz="UTC")
        cls.u2 = new_test_user(cls.env, login="lc_as_u2", groups=salesman, name="Boris Some", tz="UTC")
        cls.u3 = new_test_user(cls.env, login="lc_as_u3", groups=salesman, name="Vera New", tz="UTC")
        cls.manager = new_test_user(
            cls.env,
            login="lc_as_mgr",
            groups="sales_team.group_sale_manager,base.group_erp_manager",
            tz="UTC",
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "LC Rotation Team",
                "member_ids": [(6, 0, (cls.u1 | cls.u2 | cls.u3).ids)],
                "assignment_floor_weight": 0.1,
                "assignment_winrate_days": 90,
            }
        )
        cls.employees = {
            user: cls.env["hr.employee"].create({"name": user.name, "user_id": user.id, "tz": "UTC"})
            for user in (cls.u1, cls.u2, cls.u3)
        }
        won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        history = cls.env["crm.lead"].with_context(linear_skip_assignment=True)
        for user, won, lost in ((cls.u1, 3, 1), (cls.u2, 1, 3)):
            common = {"user_id": user.id, "team_id": cls.team.id, "type": "opportunity"}
            history.create([{**common, "name": "won", "stage_id": won_stage.id, "probability": 100}] * won)
            history.create([{**common, "name": "lost"}] * lost).action_set_lost()
        cls.Lead = cls.env["crm.lead"].with_user(cls.manager)

    def new_lead(self, **vals):
        return self.Lead.create(
            {"name": "LC incoming", "type": "opportunity", "team_id": self.team.id, **vals}
        )

    def leave(self, user, days=1):
        now = fields.Datetime.now()
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Vacation",
                "resource_id": self.employees[user].resource_id.id,
                "date_from": now - timedelta(days=days),
                "date_to": now + timedelta(days=days),
            }
        )


class TestCrmAssignment(AssignmentCase):
    def test_client_manager_first(self):
        client = self.env["res.partner"].create({"name": "LC Loyal", "user_id": self.u2.id})
        lead = self.new_lead(partner_id=client.id)
        self.assertEqual(lead.user_id, self.u2)
        self.assertEqual(lead.assignment_rule, "client_manager")
        self.assertEqual(lead.assignment_reason, "Client's responsible manager")

    def test_manager_on_leave_goes_to_last_talker(self):
        client = self.env["res.partner"].create({"name": "LC Talker Client", "user_id": self.u2.id})
        self.env["crm.lead"].with_context(linear_skip_assignment=True).create(
            {"name": "old deal", "partner_id": client.id, "user_id": self.u3.id, "team_id": self.team.id}
        )
        self.leave(self.u2)
        lead = self.new_lead(partner_id=client.id)
        self.assertEqual(lead.user_id, self.u3)
        self.assertEqual(lead.assignment_rule, "last_contact")
        self.assertEqual(lead.assignment_reason, "Last manager who talked with the client")

    def test_latest_message_beats_older_lead(self):
        company = self.env["res.partner"].create({"name": "LC Company", "is_company": True})
        contact = self.env["res.partner"].create({"name": "LC Person", "parent_id": company.id})
        old = (
            self.env["crm.lead"]
            .with_context(linear_skip_assignment=True)
            .create({"name": "old deal", "partner_id": contact.id, "user_id": self.u3.id})
        )
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s, date_open = %s WHERE id = %s",
            (datetime(2020, 1, 1), datetime(2020, 1, 1), old.id),
        )
        company.with_user(self.u1).message_post(body="Called them", message_type="comment")
        # the new lead comes from another contact of the same company
        other = self.env["res.partner"].create({"name": "LC Colleague", "parent_id": company.id})
        lead = self.new_lead(partner_id=other.id)
        self.assertEqual((lead.user_id, lead.assignment_rule), (self.u1, "last_contact"))

    def test_unavailable_or_archived_manager_is_skipped(self):
        client = self.env["res.partner"].create({"name": "LC Busy", "user_id": self.u2.id})
        self.u2.assignment_unavailable = True
        lead = self.new_lead(partner_id=client.id)
        self.assertNotEqual(lead.user_id, self.u2)
        self.assertEqual(lead.assignment_rule, "rotation")
        self.u2.assignment_unavailable = False
        self.u2.with_context(linear_skip_reassign=True).action_archive()
        lead = self.new_lead(partner_id=client.id)
        self.assertIn(lead.user_id, self.u1 | self.u3)

    def test_rotation_follows_win_rates(self):
        leads = self.Lead.create([{"name": f"LC batch {i}", "team_id": self.team.id} for i in range(120)])
        count = {
            user: len(leads.filtered(lambda lead, user=user: lead.user_id == user)) for user in self.employees
        }
        self.assertEqual(sum(count.values()), 120)
        self.assertGreater(count[self.u1], count[self.u2])
        self.assertGreater(count[self.u2], count[self.u3])
        self.assertGreater(count[self.u3], 0, "the floor weight gives new members leads too")
        reasons = {lead.user_id: lead.assignment_reason for lead in leads}
        self.assertEqual(reasons[self.u1], "Weighted rotation in team LC Rotation Team (win rate 75%)")
        self.assertEqual(reasons[self.u2], "Weighted rotation in team LC Rotation Team (win rate 25%)")
        self.assertEqual(
            reasons[self.u3], "Weighted rotation in team LC Rotation Team (new member, floor weight)"
        )
        # a later single lead still goes to whoever is most behind their share
        self.assertEqual(self.new_lead().assignment_rule, "rotation")

    def test_capacity_pause_and_leave_are_respected(self):
        self.team.crm_team_member_ids.filtered(lambda m: m.user_id == self.u1).open_lead_capacity = 1
        self.team.crm_team_member_ids.filtered(lambda m: m.user_id == self.u2).assignment_optout = True
        leads = self.Lead.create([{"name": f"LC cap {i}", "team_id": self.team.id} for i in range(10)])
        self.assertEqual(len(leads.filtered(lambda lead: lead.user_id == self.u1)), 1)
        self.assertFalse(leads.filtered(lambda lead: lead.user_id == self.u2))
        self.leave(self.u3)
        lead = self.new_lead()
        self.assertFalse(lead.user_id)
        self.assertEqual(lead.assignment_rule, "none")
        self.assertEqual(
            lead.assignment_reason,
            "Not assigned: no eligible member in team LC Rotation Team "
            "(1 assignment paused, 1 on leave, 1 at open leads capacity)",
        )

    def test_nobody_eligible_leaves_lead_unassigned_with_reason(self):
        for user in self.employees:
            self.leave(user)
        client = self.env["res.partner"].create({"name": "LC Orphan", "user_id": self.u1.id})
        leads = self.Lead.create(
            [{"name": "LC nobody", "team_id": self.team.id, "partner_id": client.id}] * 3
        )
        self.assertFalse(leads.user_id)
        self.assertEqual(leads.team_id, self.team)
        self.assertEqual(
            set(leads.mapped("assignment_reason")),
            {"Not assigned: no eligible member in team LC Rotation Team (3 on leave)"},
        )
        empty = self.env["crm.team"].create({"name": "LC Empty Team"})
        lead = self.new_lead(team_id=empty.id)
        self.assertEqual(lead.assignment_reason, "Not assigned: team LC Empty Team has no members")
        empty.action_archive()
        lead = self.new_lead(team_id=empty.id)
        self.assertEqual(lead.assignment_reason, "Not assigned: team LC Empty Team is archived")

    def test_working_hours(self):
        self.team.assignment_working_hours = True
        with freeze_time("2030-06-02 10:00:00"):  # a Sunday
            lead = self.new_lead()
            self.assertFalse(lead.user_id)
            self.assertIn("3 outside working hours", lead.assignment_reason)
        with freeze_time("2030-06-03 10:00:00"):  # Monday morning
            self.assertTrue(self.new_lead().user_id)
        self.team.assignment_working_hours = False
        with freeze_time("2030-06-02 10:00:00"):
            self.assertTrue(self.new_lead().user_id)

    def test_explicit_salesperson_or_disabled_team_are_left_alone(self):
        lead = self.new_lead(user_id=self.u3.id)
        self.assertEqual(lead.user_id, self.u3)
        self.assertFalse(lead.assignment_rule)
        self.team.assignment_instant = False
        lead = self.new_lead()
        self.assertEqual(lead.user_id, self.manager, "native default: the creating user")
        self.assertFalse(lead.assignment_reason)

    def test_restricted_salesperson_keeps_their_own_new_lead(self):
        lead = self.env["crm.lead"].with_user(self.u2).create({"name": "LC mine", "team_id": self.team.id})
        self.assertEqual(lead.user_id, self.u2)
        self.assertFalse(lead.assignment_rule)

    def test_default_team_when_lead_has_none(self):
        other = self.env["crm.team"].create(
            {"name": "LC Leader Team", "user_id": self.manager.id, "member_ids": [(6, 0, self.u3.ids)]}
        )
        lead = self.Lead.create({"name": "LC no team"})
        self.assertEqual((lead.team_id, lead.user_id), (other, self.u3))
        self.assertEqual(
            lead.assignment_reason, "Weighted rotation in team LC Leader Team (new member, floor weight)"
        )

    def test_system_created_lead_is_assigned(self):
        # webhooks and mail gateways create as superuser, without a salesperson
        lead = self.env["crm.lead"].sudo().create({"name": "LC from a webhook", "team_id": self.team.id})
        self.assertIn(lead.user_id, self.u1 | self.u2 | self.u3)

    def test_planning_queries_do_not_grow_with_the_batch(self):
        partners = self.env["res.partner"].create(
            [{"name": f"LC p{i}", "user_id": self.u1.id} for i in range(400)]
        )
        Assignment = self.env["linear.lead.assignment"]

        def queries(n):
            requests = [{"partner_id": p.id, "team_id": self.team.id} for p in partners[:n]]
            requests += [{"partner_id": False, "team_id": self.team.id}] * n
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            decisions = Assignment._plan(requests)
            Assignment._reasons(decisions)
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(10), queries(400))


class TestCrmReassignWizard(AssignmentCase):
    def test_archiving_a_manager_hands_over_clients_and_leads(self):
        client = self.env["res.partner"].create(
            {"name": "LC Handover Co", "is_company": True, "user_id": self.u1.id}
        )
        contact = self.env["res.partner"].create({"name": "LC Handover Person", "parent_id": client.id})
        self.assertEqual(contact.user_id, self.u1)
        Lead = self.env["crm.lead"].with_context(linear_skip_assignment=True)
        client_lead = Lead.create({"name": "LC open", "partner_id": contact.id, "user_id": self.u1.id})
        loose_lead = Lead.create({"name": "LC loose", "user_id": self.u1.id, "team_id": self.team.id})
        action = self.u1.with_user(self.manager).action_archive()
        self.assertEqual(action["res_model"], "linear.reassign.wizard")
        wizard = self.env["linear.reassign.wizard"].with_user(self.manager).browse(action["res_id"])
        self.assertEqual(wizard.line_count, 4)  # 2 client contacts, 2 open leads (won/lost ones stay)
        new_owner = wizard.line_ids.filtered(lambda line: line.partner_id == client).new_user_id
        self.assertIn(new_owner, self.u2 | self.u3)
        wizard.action_apply()
        self.assertEqual((client.user_id, contact.user_id, client_lead.user_id), (new_owner,) * 3)
        self.assertEqual(client_lead.assignment_reason, "Client's responsible manager")
        self.assertIn(loose_lead.user_id, self.u2 | self.u3)
        self.assertEqual(loose_lead.assignment_rule, "rotation")

    def test_nothing_to_reassign(self):
        action = self.u3.with_user(self.manager).action_archive()
        self.assertFalse(isinstance(action, dict) and action.get("res_model") == "linear.reassign.wizard")
        action = self.u3.with_user(self.manager).action_reassign_clients_and_leads()
        wizard = self.env["linear.reassign.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.line_count, 0)
        wizard.action_apply()

    def test_manual_choice_and_nobody_available(self):
        lead_a, lead_b = (
            self.env["crm.lead"]
            .with_context(linear_skip_assignment=True)
            .create([{"name": n, "user_id": self.u1.id, "team_id": self.team.id} for n in ("LC a", "LC b")])
        )
        self.leave(self.u2)
        self.leave(self.u3)
        action = self.u1.with_user(self.manager).action_reassign_clients_and_leads()
        wizard = self.env["linear.reassign.wizard"].with_user(self.manager).browse(action["res_id"])
        self.assertEqual(wizard.unassigned_count, 2)
        wizard.line_ids.filtered(lambda line: line.lead_id == lead_a).new_user_id = self.u2
        wizard.action_apply()
        self.assertEqual((lead_a.user_id, lead_a.assignment_rule), (self.u2, "manual"))
        self.assertIn("Reassigned by hand", lead_a.assignment_reason)
        self.assertFalse(lead_b.user_id)
        self.assertIn("2 on leave", lead_b.assignment_reason)

    def test_salesperson_cannot_open_the_wizard(self):
        self.assertFalse(
            self.env["linear.reassign.wizard"].with_user(self.u2)._action_open_for(self.u1, True)
        )
