# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""What a reviewer met in the Russian demo: a lead quick-created in a column of the process
pipeline belongs to the process team and is assigned by its rules, the client its phone names
routes it to the client's manager, the gate's dialog has a title, the demo clients speak Russian,
and the demo never calls odoo.com."""

from odoo.exceptions import RedirectWarning
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from ..crm_extensions.lib import assignment as engine

LOOPBACK = "http://127.0.0.1:9"
IAP_PARAMS = (
    "iap.endpoint",
    "iap.partner_autocomplete.endpoint",
    "enrich.endpoint",
    "reveal.endpoint",
    "sms.endpoint",
)
# The action context of CRM › My Pipeline (crm.crm_lead_action_pipeline) the kanban runs with.
PIPELINE_CONTEXT = {
    "default_type": "opportunity",
    "search_default_assigned_to_me": 1,
    "show_user_team_stages": 1,
}


@tagged("post_install", "-at_install")
class TestDemoQuickCreate(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.process_team = cls.env.ref("linear_crm.demo_team_process")
        cls.column = cls.env.ref("linear_crm.demo_stage_process_1")
        cls.admin = cls.env.ref("base.user_admin")
        cls.kuznetsov = cls.env.ref("linear_crm.demo_partner_kuznetsov")

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def quick_create(self, login, password, typed, **forged):
        """What the kanban quick create does in the column: onchange for the defaults with the
        column as default_stage_id, then web_save of the defaults plus what was typed."""
        self.authenticate(login, password)
        context = {**PIPELINE_CONTEXT, "default_stage_id": self.column.id, "lang": "ru_RU"}
        spec = {
            name: {} for name in ("name", "phone", "email_from", "type", "company_id", "user_id", "team_id")
        }
        defaults = self.call("crm.lead", "onchange", [], {}, [], spec, context=context)["value"]
        vals = {name: value for name, value in defaults.items() if name in spec}
        vals.update(typed, **forged)
        saved = self.call("crm.lead", "web_save", [], vals, specification={"id": {}}, context=context)
        return self.env["crm.lead"].browse(saved[0]["id"])

    def test_quick_create_in_process_column_joins_process_team_and_its_client_manager(self):
        native_default = self.env["crm.team"].with_user(self.admin)._get_default_team_id()
        self.assertNotEqual(native_default, self.process_team, "the demo's admin defaults to another team")
        lead = self.quick_create(
            "admin", "admin", {"name": "Заявка по телефону", "phone": "8 (916) 123-45-67"}
        )
        self.assertEqual(lead.stage_id, self.column)
        self.assertEqual(lead.team_id, self.process_team)
        # no partner typed in: the phone names Андрей Кузнецов, whose manager is admin
        self.assertEqual(lead.assignment_rule, engine.RULE_CLIENT_MANAGER, lead.assignment_reason)
        self.assertEqual(lead.user_id, self.kuznetsov.user_id)
        self.assertIn("Андрей Кузнецов", lead.assignment_reason)

    def test_browser_sending_the_native_default_team_still_gets_the_column_team(self):
        # the onchange of a build without the fix filled the creator's default team: sent as is
        native_default = self.env["crm.team"].with_user(self.admin)._get_default_team_id()
        lead = self.quick_create(
            "admin", "admin", {"name": "Новая заявка", "phone": "+7 999 000-11-22"}, team_id=native_default.id
        )
        self.assertEqual(lead.team_id, self.process_team)
        # assigned among the process team's members, the reason naming that team
        self.assertEqual(lead.assignment_rule, engine.RULE_ROTATION, lead.assignment_reason)
        self.assertIn(lead.user_id, self.process_team.member_ids)
        self.assertIn(self.process_team.name, lead.assignment_reason)

    def test_team_chosen_on_purpose_is_kept(self):
        other = self.env["crm.team"].create({"name": "LC other team", "member_ids": [(6, 0, self.admin.ids)]})
        lead = self.quick_create("admin", "admin", {"name": "Чужая команда"}, team_id=other.id)
        self.assertEqual(lead.team_id, other)

    def test_restricted_salesperson_quick_create_gets_column_team(self):
        user = new_test_user(
            self.env, login="lc_qc_sales", groups="sales_team.group_sale_salesman", lang="ru_RU"
        )
        lead = self.quick_create(user.login, user.login, {"name": "Моя заявка", "phone": "8 (916) 123-45-67"})
        self.assertEqual(lead.team_id, self.process_team)
        self.assertEqual(lead.user_id, user, "a restricted salesperson keeps their own new lead")

    def test_client_the_creator_cannot_read_is_not_used(self):
        company_b = self.env["res.company"].create({"name": "LC Company B"})
        owner_b = new_test_user(
            self.env,
            login="lc_qc_owner_b",
            groups="sales_team.group_sale_salesman",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        self.env["res.partner"].create(
            {
                "name": "LC Hidden Client",
                "phone": "+7 903 555-77-88",
                "company_id": company_b.id,
                "user_id": owner_b.id,
            }
        )
        creator = new_test_user(
            self.env, login="lc_qc_all", groups="sales_team.group_sale_salesman_all_leads"
        )
        lead = self.quick_create(
            creator.login, creator.login, {"name": "Скрытый", "phone": "+7 903 555-77-88"}
        )
        self.assertNotEqual(lead.assignment_rule, engine.RULE_CLIENT_MANAGER)
        self.assertNotIn("LC Hidden Client", lead.assignment_reason or "")
        self.assertNotEqual(lead.user_id, owner_b)
        # the same client in the creator's company is recognised, by e-mail too
        visible = self.env["res.partner"].create(
            {"name": "LC Visible Client", "email": "Visible@Example.com", "user_id": self.admin.id}
        )
        lead = self.quick_create(
            creator.login, creator.login, {"name": "Видимый", "email_from": "visible@example.com"}
        )
        self.assertEqual(lead.user_id, visible.user_id)
        self.assertEqual(lead.assignment_rule, engine.RULE_CLIENT_MANAGER)
        self.assertIn("LC Visible Client", lead.assignment_reason)


@tagged("post_install", "-at_install")
class TestDemoValues(TransactionCase):
    def test_demo_never_calls_odoo_com(self):
        params = self.env["ir.config_parameter"].sudo()
        for key in IAP_PARAMS:
            self.assertEqual(params.get_param(key), LOOPBACK, key)

    def test_demo_channels_never_call_providers(self):
        """Send and Call in the demo go to a closed loopback port, not to Telegram, Meta or Zadarma."""
        channels = self.env["linear.channel"].sudo().search([("provider", "!=", "generic")])
        self.assertTrue(channels)
        for channel in channels:
            self.assertEqual(channel.api_base_url, LOOPBACK, channel.name)

    def test_demo_clients_speak_russian(self):
        for xmlid in (
            "linear_crm.demo_partner_vector",
            "linear_crm.demo_partner_kuznetsov",
            "linear_crm.demo_partner_sever",
            "linear_crm.demo_partner_romashka",
            "linear_crm.demo_partner_romashka_delivery",
        ):
            self.assertEqual(self.env.ref(xmlid).lang, "ru_RU", xmlid)

    def test_admin_works_for_the_renamed_company(self):
        for xmlid in ("base.partner_admin", "base.partner_demo"):
            name = self.env.ref(xmlid).display_name
            self.assertNotIn("YourCompany", name, xmlid)
            self.assertIn("ООО «Линия»", name, xmlid)

    def test_move_anyway_dialog_has_a_title(self):
        lead = self.env.ref("linear_crm.demo_lead_process_2")
        target = self.env.ref("linear_crm.demo_stage_process_2")
        self.assertEqual(lead.stage_id, self.env.ref("linear_crm.demo_stage_process_1"))
        admin = self.env.ref("base.user_admin")
        with self.assertRaises(RedirectWarning) as caught:
            lead.with_user(admin).with_context(lang="en_US").write({"stage_id": target.id})
        # a translatable title (Russian comes with the translation pass), not the bare «Odoo»
        self.assertEqual(caught.exception.args[1].get("name"), "Move Anyway")
