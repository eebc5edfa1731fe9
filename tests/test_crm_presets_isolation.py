# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Automation presets (issue 8): one broken preset spares the others, each preset acts in its
own company, and a preset that writes to clients respects their consent to mailings."""

import importlib.util
import pathlib

from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user, tagged

LOGGER = "odoo.addons.linear_crm.crm_extensions.models.linear_crm_preset"


@tagged("post_install", "-at_install")
class TestCrmPresetsIsolation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the cron writes in the company's language; these tests read English (the demo is Russian)
        cls.env.company.partner_id.lang = "en_US"
        cls.salesman = new_test_user(cls.env, login="lc_pri_s", groups="sales_team.group_sale_salesman")
        cls.birthday = cls.env.ref("linear_crm.preset_birthday")
        cls.no_contact = cls.env.ref("linear_crm.preset_no_contact")
        Partner = cls.env["res.partner"]
        cls.consenting = Partner.create(
            {
                "name": "LC Consenting",
                "email": "yes@example.com",
                "user_id": cls.salesman.id,
                "birthday": "1990-05-17",
                "mailing_consent": True,
            }
        )
        cls.refusing = Partner.create(
            {
                "name": "LC Refusing",
                "email": "no@example.com",
                "user_id": cls.salesman.id,
                "birthday": "1985-05-17",
                "mailing_consent": False,
            }
        )

    def greetings(self, partner):
        return self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id), ("subject", "ilike", "рождения")]
        )

    def activities(self, partner, summary=None):
        domain = [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
        if summary:
            domain.append(("summary", "=", summary))
        return self.env["mail.activity"].search(domain)

    def test_birthday_respects_consent(self):
        self.birthday.write({"enabled": True, "require_consent": True})
        with freeze_time("2031-05-17 09:00:00"):
            self.env["linear.crm.preset"]._cron_run()
        self.assertEqual(len(self.greetings(self.consenting)), 1)
        self.assertFalse(self.greetings(self.refusing), "no consent: no e-mail")
        # the salesperson still gets the task: congratulating in person is not a mailing
        self.assertEqual(len(self.activities(self.refusing)), 1)

    def test_one_broken_preset_spares_the_others(self):
        # a template that cannot render (saved before a field it uses went away): the birthday
        # preset fails on its first greeting
        self.env.cr.execute(
            "UPDATE mail_template SET body_html = %s WHERE id = %s",
            [
                '{"en_US": "<p><t t-out=\\"object.lc_no_such_field.name\\"/></p>"}',
                self.birthday.mail_template_id.id,
            ],
        )
        self.env.invalidate_all()
        self.birthday.enabled = True
        self.no_contact.write({"enabled": True, "days": 0})
        with freeze_time("2031-05-17 09:00:00"), self.assertLogs(LOGGER, "WARNING") as logs:
            self.env["linear.crm.preset"]._cron_run()
        self.assertTrue(any("failed" in line for line in logs.output))
        self.assertFalse(any(line.startswith("ERROR") for line in logs.output))
        # nothing of the failed preset was kept: no greeting, no task, no "done" line
        self.assertFalse(self.greetings(self.consenting))
        self.assertFalse(self.activities(self.consenting, "Congratulate the client on their birthday"))
        logs = self.env["linear.crm.preset.log"].search([("preset_id", "=", self.birthday.id)])
        self.assertEqual(len(logs), 1)
        self.assertTrue(logs.failed)
        self.assertTrue(logs.message)
        self.assertIn("Failed", self.birthday.last_result)
        # the other preset ran
        self.assertTrue(self.activities(self.consenting, "No contact for a month: call the client"))
        self.assertIn("processed", self.no_contact.last_result)
        # Run Now reports the failure instead of raising
        with freeze_time("2031-05-17 10:00:00"):
            action = self.birthday.action_run_now()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertEqual(
            self.env["linear.crm.preset.log"].search_count([("preset_id", "=", self.birthday.id)]), 1
        )

    def test_each_preset_acts_in_its_own_company(self):
        company_b = self.env["res.company"].create({"name": "LC Presets B"})
        salesman_b = new_test_user(
            self.env,
            login="lc_pri_b",
            groups="sales_team.group_sale_salesman",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        client_b = self.env["res.partner"].create(
            {
                "name": "LC Client of B",
                "user_id": salesman_b.id,
                "email": "b@example.com",
                "birthday": "1970-05-17",
                "mailing_consent": True,
                "company_id": company_b.id,
            }
        )
        self.assertEqual(self.birthday.company_id, self.env.company)
        self.birthday.enabled = True
        preset_b = self.birthday.copy({"company_id": company_b.id, "enabled": True})
        with freeze_time("2031-05-17 09:00:00"):
            self.env["linear.crm.preset"]._cron_run()
        Log = self.env["linear.crm.preset.log"]
        greeted_a = Log.search([("preset_id", "=", self.birthday.id)]).mapped("res_id")
        greeted_b = Log.search([("preset_id", "=", preset_b.id)]).mapped("res_id")
        self.assertNotIn(client_b.id, greeted_a, "company A's preset does not touch company B's client")
        self.assertIn(client_b.id, greeted_b)
        self.assertIn(self.consenting.id, greeted_a)
        self.assertEqual(len(self.greetings(client_b)), 1)

    def test_migration_asks_consent_for_shipped_presets(self):
        path = (
            pathlib.Path(__file__).resolve().parent.parent / "migrations" / "19.0.1.1.0" / "post-company.py"
        )
        spec = importlib.util.spec_from_file_location("linear_crm_post_company", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        contract_end = self.env.ref("linear_crm.preset_contract_end")
        (self.birthday | contract_end).require_consent = False
        self.env.flush_all()
        migration.migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertTrue(self.birthday.require_consent)
        self.assertTrue(contract_end.require_consent)
