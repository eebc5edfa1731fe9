# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Business automation presets, each with frozen time: off does nothing, due fires once, never twice."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCrmPresets(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the cron writes in the company's language; these tests read English (the demo is Russian)
        cls.env.company.partner_id.lang = "en_US"
        cls.salesman = new_test_user(cls.env, login="lc_pre_s", groups="sales_team.group_sale_salesman")
        Partner = cls.env["res.partner"]
        cls.client = Partner.create(
            {
                "name": "LC Birthday Girl",
                "email": "bday@example.com",
                "user_id": cls.salesman.id,
                "birthday": "1990-05-17",
                "mailing_consent": True,  # the birthday greeting goes to consenting clients only
            }
        )
        cls.preset = {
            code: cls.env.ref(f"linear_crm.preset_{xmlid}")
            for code, xmlid in (
                ("birthday", "birthday"),
                ("contract_end", "contract_end"),
                ("holiday", "holiday_8_march"),
                ("no_contact", "no_contact"),
            )
        }
        # presets are shipped off
        assert not any(p.enabled for p in cls.preset.values())

    def run_cron(self):
        self.env["linear.crm.preset"]._cron_run()

    def greetings(self, partner, subject_part):
        return self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id), ("subject", "ilike", subject_part)]
        )

    def activities(self, record):
        return self.env["mail.activity"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )

    def test_birthday_greeting_and_reminder(self):
        with freeze_time("2031-05-17 09:00:00"):
            self.run_cron()  # off: nothing
            self.assertFalse(self.greetings(self.client, "рождения"))
            self.preset["birthday"].enabled = True
            self.run_cron()
            self.assertIn("1 record(s) processed", self.preset["birthday"].last_result)
            self.run_cron()  # twice the same day: still one greeting
            self.assertIn("0 record(s) processed", self.preset["birthday"].last_result)
            greeting = self.greetings(self.client, "рождения")
            self.assertEqual(len(greeting), 1)
            self.assertIn(self.client, greeting.partner_ids)
            self.assertIn("Поздравляем", str(greeting.body))
            activity = self.activities(self.client)
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.salesman)
            self.assertEqual(activity.date_deadline, date(2031, 5, 17))
        with freeze_time("2031-05-18 09:00:00"):
            self.run_cron()
            self.assertEqual(len(self.greetings(self.client, "рождения")), 1)
        with freeze_time("2032-05-17 09:00:00"):  # next year: greeted again
            self.run_cron()
            self.assertEqual(len(self.greetings(self.client, "рождения")), 2)

    def test_leap_day_birthday_in_a_common_year(self):
        self.client.birthday = "2000-02-29"
        self.preset["birthday"].enabled = True
        with freeze_time("2031-02-28 09:00:00"):
            self.run_cron()
        self.assertEqual(len(self.greetings(self.client, "рождения")), 1)

    def test_missing_template_is_a_clear_message(self):
        preset = self.preset["birthday"]
        with self.assertRaisesRegex(ValidationError, "needs an email template"), self.env.cr.savepoint():
            preset.write({"enabled": True, "mail_template_id": False})
        self.env.invalidate_all()
        preset.enabled = True
        # the template disappears later: the cron does not crash and says why
        self.env.cr.execute("UPDATE linear_crm_preset SET mail_template_id = NULL WHERE id = %s", [preset.id])
        self.env.invalidate_all()
        with freeze_time("2031-05-17 09:00:00"):
            self.run_cron()
        self.assertFalse(self.greetings(self.client, "рождения"))
        self.assertIn("needs an email template", preset.last_result)
        with self.assertRaisesRegex(UserError, "Enable the preset"):
            self.preset["holiday"].action_run_now()

    def test_contract_end_reminder(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "LC contract",
                "user_id": self.salesman.id,
                "partner_id": self.client.id,
                "contract_end_date": "2031-07-31",
            }
        )
        preset = self.preset["contract_end"]
        preset.days = 30
        with freeze_time("2031-06-30 09:00:00"):  # 31 days before: not yet, and off anyway
            preset.enabled = True
            self.run_cron()
            self.assertFalse(self.activities(lead))
        with freeze_time("2031-07-01 09:00:00"):  # 30 days before: due
            self.run_cron()
            self.run_cron()
            activity = self.activities(lead)
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.salesman)
            self.assertEqual(activity.summary, "The contract ends soon: prepare the renewal")
        with freeze_time("2031-07-15 09:00:00"):
            self.run_cron()
            self.assertEqual(len(self.activities(lead)), 1)
            # the contract is extended: a new end date is a new occasion
            lead.contract_end_date = "2031-08-10"
            self.run_cron()
            self.assertEqual(len(self.activities(lead)), 2)

    def test_holiday_campaign_to_consenting_women(self):
        Partner = self.env["res.partner"]
        women = Partner.create(
            [
                {"name": "LC Olga", "email": "olga@example.com", "gender": "female", "mailing_consent": True},
                {
                    "name": "LC Irina",
                    "email": "irina@example.com",
                    "gender": "female",
                    "mailing_consent": False,
                },
                {"name": "LC Nina", "gender": "female", "mailing_consent": True},  # no email
            ]
        )
        man = Partner.create(
            {"name": "LC Ivan", "email": "ivan@example.com", "gender": "male", "mailing_consent": True}
        )
        preset = self.preset["holiday"]
        with freeze_time("2031-03-08 08:00:00"):
            self.run_cron()  # off
            self.assertFalse(self.greetings(women[0], "8 Марта"))
            preset.enabled = True
        with freeze_time("2031-03-07 08:00:00"):  # the day before: not due
            self.run_cron()
            self.assertFalse(self.greetings(women[0], "8 Марта"))
        with freeze_time("2031-03-08 08:00:00"):
            self.run_cron()
            self.run_cron()
        self.assertEqual(len(self.greetings(women[0], "8 Марта")), 1)
        self.assertFalse(self.greetings(women[1], "8 Марта"))
        self.assertFalse(self.greetings(women[2], "8 Марта"))
        self.assertFalse(self.greetings(man, "8 Марта"))
        with freeze_time("2031-03-09 08:00:00"):  # catch-up window: still once
            self.run_cron()
        self.assertEqual(len(self.greetings(women[0], "8 Марта")), 1)

    def test_no_contact_task(self):
        preset = self.preset["no_contact"]
        preset.days = 30
        quiet, chatty = (
            self.client,
            self.env["res.partner"].create({"name": "LC Chatty", "user_id": self.salesman.id}),
        )
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = %s WHERE id IN %s",
            [datetime(2031, 1, 1), (quiet.id, chatty.id)],
        )
        with freeze_time("2031-03-01 09:00:00"):
            chatty.message_post(body="Called, all good", message_type="comment")
        with freeze_time("2031-03-10 09:00:00"):
            self.run_cron()  # off
            self.assertFalse(self.activities(quiet))
            preset.enabled = True
            self.run_cron()
            self.run_cron()
            activity = self.activities(quiet)
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.salesman)
            self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
            self.assertFalse(self.activities(chatty), "contacted 9 days ago")
        with freeze_time("2031-04-05 09:00:00"):
            self.run_cron()
            self.assertEqual(len(self.activities(chatty)), 1, "now silent for 35 days")
            self.assertEqual(len(self.activities(quiet)), 1, "same silence, not twice")

    def test_views_and_menus_load(self):
        for model, view_type in (
            ("linear.crm.preset", "form"),
            ("linear.crm.preset", "list"),
            ("linear.reassign.wizard", "form"),
            ("crm.team", "form"),
            ("crm.team.member", "form"),
            ("res.users", "form"),
            ("crm.lead", "form"),
            ("res.partner", "form"),
        ):
            self.env[model].get_views([(False, view_type)])
        self.assertTrue(self.env.ref("linear_crm.linear_crm_preset_menu").action)
