# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The README's demo tour, clicked in headless Chromium in Russian and in English.

The tour (static/tests/tours/readme_tour.js) fails on any client error, so a button of the README
that crashes, or answers with an error dialog, fails this test.
"""

import json
from urllib.parse import quote

from odoo.tests import HttpCase, tagged

PROCESS = "Выполнение заказа клиента"
LEAD = "Поставка офисной мебели"
REASON = "Клиент прислал платёжку, деньги в пути"
# Modules whose screens the tour shows; their Russian terms are loaded when ru_RU was not active.
UI_MODULES = (
    "base",
    "web",
    "mail",
    "crm",
    "sales_team",
    "project",
    "contacts",
    "hr",
    "calendar",
    "resource",
    "utm",
    "phone_validation",
    "report_xlsx",
    "linear_crm",
)


@tagged("post_install", "-at_install")
class TestReadmeTour(HttpCase):
    def _use_language(self, lang):
        if lang != "en_US" and not self.env["res.lang"]._lang_get(lang):
            self.env["res.lang"]._activate_lang(lang)
            modules = self.env["ir.module.module"].search(
                [("name", "in", UI_MODULES), ("state", "=", "installed")]
            )
            modules._update_translations(lang)
        self.env.ref("base.user_admin").lang = lang

    def _run_readme_tour(self, lang):
        self._use_language(lang)
        labels = {
            "start_process": self.env.ref("linear_crm.linear_process_run_start_action")
            .with_context(lang=lang)
            .name,
            "processes_app": self.env.ref("linear_crm.menu_processes_root").with_context(lang=lang).name,
        }
        if lang == "ru_RU":
            self.assertEqual(labels["processes_app"], "Процессы", "the tour must see the Russian interface")
        self.start_tour(
            "/odoo",
            "linear_crm_readme",
            login="admin",
            timeout=900,
            cookies={"linear_crm_readme_tour": quote(json.dumps(labels))},
        )
        self._check_what_the_tour_did()
        if lang != "en_US":
            self._check_apps_speak(lang)

    def _check_apps_speak(self, lang):
        """Every app the tour walked through had its menus in the user's language."""
        for xmlid in (
            "linear_crm.menu_processes_root",
            "crm.crm_menu_config",
            "project.menu_main_pm",
            "contacts.menu_contacts",
        ):
            menu = self.env.ref(xmlid)
            self.assertNotEqual(
                menu.with_context(lang=lang).name,
                menu.with_context(lang="en_US").name,
                f"{xmlid} is not translated to {lang}: the interface was half English",
            )

    def _check_what_the_tour_did(self):
        v1 = self.env.ref("linear_crm.demo_process_order")
        v2 = v1.next_version_ids
        self.assertEqual(len(v2), 1, "New Version made one draft")
        self.assertEqual((v1.state, v2.state), ("archived", "approved"), "Approve retired v1")
        self.assertIn("Анализ отзывов клиента", v2.step_ids.mapped("name"), "the step added on the board")
        payment_step = v2.step_ids.filtered(lambda step: step.name == "Получение оплаты")
        self.assertEqual(payment_step.norm_duration, 2, "the norm edited from the sticker")
        team = self.env.ref("linear_crm.demo_team_process")
        self.assertEqual(team.linear_process_id, v2, "approving v2 moved the bound team to it")
        lead = self.env.ref("linear_crm.demo_lead_process_2")
        self.assertEqual(lead.stage_id.name, "Получение оплаты", "Move Anyway… moved the lead")
        self.assertTrue(
            any(REASON in (body or "") for body in lead.message_ids.mapped("body")),
            "the reason is in the chatter",
        )
        self.assertTrue(lead.linear_current_result_ids.filtered("confirmed"), "a result was confirmed")
        self.assertTrue(
            self.env["linear.process.run"].search([("process_id", "=", v2.id)]), "Start Process ran"
        )
        self.assertTrue(self.env["linear.crm.preset"].search([("last_run", "!=", False)]), "Run Now ran")

    def test_readme_tour_russian(self):
        self._run_readme_tour("ru_RU")

    def test_readme_tour_english(self):
        self._run_readme_tour("en_US")
