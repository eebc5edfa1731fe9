# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The demo is a Russian company: country, roubles, Russian for its people, Russian holidays,
Russian clients and phones, and salespeople in the process team whom new requests reach at once,
with the reason shown."""

from datetime import date, datetime, timedelta

from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from ..crm_extensions.lib import assignment as engine

SALESPEOPLE = ("linear_crm.demo_user_ivanova", "linear_crm.demo_user_smirnov")


@tagged("post_install", "-at_install")
class TestDemoCompany(TransactionCase):
    def test_company_is_russian(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.country_id, self.env.ref("base.ru"))
        self.assertEqual(company.currency_id, self.env.ref("base.RUB"))
        self.assertTrue(company.currency_id.active)
        self.assertEqual(company.partner_id.lang, "ru_RU")
        self.assertTrue(self.env["res.lang"]._lang_get("ru_RU").active)
        for xmlid in ("base.user_admin", "base.user_demo", *SALESPEOPLE):
            self.assertEqual(self.env.ref(xmlid).lang, "ru_RU", xmlid)
        # Odoo's translations are loaded too, not only this module's
        for xmlid in ("base.menu_administration", "project.menu_main_pm", "mail.menu_root_discuss"):
            menu = self.env.ref(xmlid)
            english = menu.with_context(lang="en_US").name
            self.assertNotEqual(menu.with_context(lang="ru_RU").name, english, xmlid)
        model = self.env["ir.model"].with_context(lang="ru_RU")._get("linear.process")
        self.assertEqual(model.name, "Бизнес-процесс")

    def test_crm_demo_leads_still_read_in_roubles(self):
        leads = self.env["crm.lead"].search([("expected_revenue", ">", 0)], limit=20)
        self.assertTrue(leads)
        self.assertEqual(leads.company_currency, self.env.ref("base.RUB"))

    def test_working_calendar_has_russian_holidays(self):
        calendar = self.env.ref("base.main_company").resource_calendar_id
        self.assertEqual(calendar.tz, "Europe/Moscow")
        # 31 December 2026 is a Thursday: 1-8 January are holidays, 9-10 a weekend
        after_new_year = calendar.plan_days(2, datetime(2026, 12, 31, 9, 0), compute_leaves=True)
        self.assertEqual(after_new_year.date().isoformat(), "2027-01-11")
        for day in ("2027-02-23", "2027-03-08", "2027-05-10", "2027-06-14", "2027-11-04"):
            start = datetime.fromisoformat(f"{day} 06:00:00")
            end = datetime.fromisoformat(f"{day} 15:00:00")
            hours = calendar.get_work_hours_count(start, end, compute_leaves=True)
            if day in ("2027-05-10", "2027-06-14"):
                self.assertGreater(hours, 0, f"{day} is a working Monday")
            else:
                self.assertEqual(hours, 0, f"{day} is a holiday")

    def test_russian_phone_typed_in_quick_create_is_normalised(self):
        salesperson = new_test_user(
            self.env, login="lc_demo_ru_qc", groups="sales_team.group_sale_salesman_all_leads"
        )
        Lead = self.env["crm.lead"].with_user(salesperson).with_context(default_type="opportunity")
        with Form(Lead, view="crm.quick_create_opportunity_form") as form:
            form.name = "Звонок с сайта"
            form.phone = "8 (916) 123-45-67"
        lead = form.save()
        self.assertEqual(lead.phone_sanitized, "+79161234567")
        self.assertEqual(lead.phone_e164, "+79161234567")
        # the demo client without a country, typed the same way, is the same person
        client = self.env.ref("linear_crm.demo_partner_kuznetsov")
        self.assertFalse(client.country_id)
        self.assertEqual(self.env["linear.client.lookup"].find(phone="8 916 123 45 67")["partner"], client)

    def test_cron_results_are_stored_in_the_company_language(self):
        preset = self.env.ref("linear_crm.preset_no_contact")
        preset.enabled = True
        self.env["linear.crm.preset"]._cron_run()  # a cron has no language of its own
        self.assertTrue(preset.last_result)
        self.assertNotIn("record(s) processed", preset.last_result)
        self.assertFalse(preset.last_result.isascii(), preset.last_result)

    def test_overdue_escalation_is_written_in_the_owners_language(self):
        lead = self.env.ref("linear_crm.demo_lead_process_2")
        Activity = self.env["mail.activity"]
        planned = Activity.search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", lead.id),
                ("linear_step_action_id", "!=", False),
            ],
            limit=1,
        )
        self.assertTrue(planned)
        planned.date_deadline = date.today() - timedelta(days=3)
        Activity._linear_cron_escalate_overdue()  # a cron has no language of its own
        owner = planned.linear_step_action_id.process_id.owner_id
        self.assertEqual(owner.lang, "ru_RU")
        escalated = Activity.search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id), ("user_id", "=", owner.id)]
        ).filtered("linear_escalated")
        self.assertTrue(escalated)
        self.assertTrue(
            all(a.summary.startswith("Просрочено: ") for a in escalated), escalated.mapped("summary")
        )

    def test_process_team_has_russian_salespeople(self):
        team = self.env.ref("linear_crm.demo_team_process")
        members = team.crm_team_member_ids.user_id
        for xmlid in SALESPEOPLE:
            user = self.env.ref(xmlid)
            self.assertIn(user, members)
            self.assertRegex(user.name, "^[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+$")
            self.assertTrue(user.has_group("sales_team.group_sale_salesman_all_leads"))
        self.assertTrue(team.assignment_instant)

    def test_demo_leads_show_meaningful_reasons(self):
        admin = self.env.ref("base.user_admin")
        for xmlid in ("linear_crm.demo_lead_process_1", "linear_crm.demo_lead_process_2"):
            lead = self.env.ref(xmlid)
            self.assertEqual((lead.user_id, lead.assignment_rule), (admin, engine.RULE_CLIENT_MANAGER), xmlid)
            self.assertEqual(lead.assignment_reason, "Ответственный менеджер клиента")
        team = self.env.ref("linear_crm.demo_team_process")
        for xmlid in ("linear_crm.demo_lead_process_3", "linear_crm.demo_lead_romashka"):
            rotated = self.env.ref(xmlid)
            self.assertEqual(rotated.assignment_rule, engine.RULE_ROTATION, xmlid)
            self.assertIn(rotated.user_id, team.crm_team_member_ids.user_id)
            self.assertIn("Продажи по процессу", rotated.assignment_reason)
        reasons = (
            self.env["crm.lead"].search([("assignment_reason", "!=", False)]).mapped("assignment_reason")
        )
        self.assertFalse([r for r in reasons if "has no members" in r or "нет участников" in r], reasons)
        self.assertFalse([r for r in reasons if r.isascii()], "reasons are written in Russian")


@tagged("post_install", "-at_install")
class TestInstantAssignmentVisible(TransactionCase):
    """The creator prefilled as salesperson no longer bypasses the team's rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env.ref("linear_crm.demo_team_process")
        cls.manager = new_test_user(
            cls.env, login="lc_demo_ru_mgr", groups="sales_team.group_sale_salesman_all_leads"
        )
        cls.own_only = new_test_user(cls.env, login="lc_demo_ru_own", groups="sales_team.group_sale_salesman")
        cls.team.member_ids = [(4, cls.own_only.id)]
        cls.members = cls.team.crm_team_member_ids.user_id

    def _form_lead(self, user, view=None, **context):
        Lead = self.env["crm.lead"].with_user(user).with_context(default_type="opportunity", **context)
        with Form(Lead, view=view) as form:
            form.name = "Заявка с сайта"
            return form

    def test_quick_create_and_form_assign_by_rules(self):
        for view in ("crm.quick_create_opportunity_form", "crm.crm_lead_view_form"):
            # the team's own pipeline action puts the creator in the context, as native crm does
            form = self._form_lead(
                self.manager, view=view, default_team_id=self.team.id, default_user_id=self.manager.id
            )
            lead = form.save()
            self.assertIn(lead.user_id, self.members, view)
            self.assertEqual(lead.team_id, self.team)
            self.assertIn(lead.assignment_rule, (engine.RULE_ROTATION, engine.RULE_CLIENT_MANAGER))
            self.assertTrue(lead.assignment_reason)

    def test_form_shows_no_salesperson_before_save(self):
        defaults = (
            self.env["crm.lead"]
            .with_user(self.manager)
            .with_context(default_team_id=self.team.id, default_user_id=self.manager.id)
            .default_get(["user_id", "team_id"])
        )
        self.assertFalse(defaults["user_id"])
        self.assertEqual(defaults["team_id"], self.team.id)

    def test_stage_of_the_process_pipeline_gives_the_team(self):
        stage = self.env.ref("linear_crm.demo_stage_process_1")
        defaults = (
            self.env["crm.lead"]
            .with_user(self.manager)
            .with_context(default_stage_id=stage.id)
            .default_get(["user_id", "team_id", "stage_id"])
        )
        self.assertEqual((defaults["user_id"], defaults["team_id"]), (False, self.team.id))

    def test_explicit_salesperson_and_restricted_creator_are_kept(self):
        chosen = self.members[0]
        lead = (
            self.env["crm.lead"]
            .with_user(self.manager)
            .create({"name": "Выбран вручную", "team_id": self.team.id, "user_id": chosen.id})
        )
        self.assertEqual(lead.user_id, chosen)
        # a salesperson who sees only their own leads keeps their new lead
        form = self._form_lead(self.own_only, default_team_id=self.team.id)
        self.assertEqual(form.save().user_id, self.own_only)

    def test_team_without_instant_assignment_keeps_the_creator(self):
        team = self.env["crm.team"].create({"name": "Без автоназначения", "assignment_instant": False})
        form = self._form_lead(self.manager, default_team_id=team.id)
        lead = form.save()
        self.assertEqual(lead.user_id, self.manager)
        self.assertFalse(lead.assignment_rule)

    def test_clearing_the_salesperson_reassigns(self):
        lead = self.env.ref("linear_crm.demo_lead_process_2").with_user(self.manager)
        before = lead.user_id
        self.assertTrue(before)
        lead.user_id = False
        self.assertTrue(lead.user_id, "the rules chose someone")
        self.assertNotEqual(lead.user_id, before, "the cleared salesperson is passed over")
        self.assertIn(lead.user_id, self.members)
        self.assertTrue(lead.assignment_reason)


@tagged("post_install", "-at_install")
class TestInstantAssignmentHttp(HttpCase):
    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def test_web_client_form_flow(self):
        """What the browser does: ask the defaults, save the form as sent, then clear the salesperson."""
        team = self.env.ref("linear_crm.demo_team_process")
        new_test_user(self.env, login="lc_demo_ru_http", groups="sales_team.group_sale_salesman_all_leads")
        self.authenticate("lc_demo_ru_http", "lc_demo_ru_http")
        context = {"default_team_id": team.id, "default_type": "opportunity", "lang": "ru_RU"}
        defaults = self.call("crm.lead", "default_get", ["user_id", "team_id", "name"], context=context)
        self.assertFalse(defaults["user_id"])
        saved = self.call(
            "crm.lead",
            "web_save",
            [],
            {"name": "Заявка из формы", "user_id": False, "team_id": team.id},
            specification={"user_id": {}, "assignment_reason": {}},
            context=context,
        )
        self.assertTrue(saved[0]["user_id"])
        self.assertTrue(saved[0]["assignment_reason"])
        lead_id = saved[0]["id"]
        first = saved[0]["user_id"]
        cleared = self.call(
            "crm.lead",
            "web_save",
            [lead_id],
            {"user_id": False},
            specification={"user_id": {}, "assignment_reason": {}},
            context=context,
        )
        self.assertTrue(cleared[0]["user_id"])
        self.assertNotEqual(cleared[0]["user_id"], first)
