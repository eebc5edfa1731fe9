# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The client card: Russian requisites (valid, invalid, nothing half-written), phones, messengers,
first contact, objections and the timeline."""

from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger


@tagged("post_install", "-at_install")
class TestCrmClientCard(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.ru")
        cls.ru = cls.env.ref("base.ru")
        cls.Partner = cls.env["res.partner"]
        cls.salesman = new_test_user(cls.env, login="lc_card_sales", groups="sales_team.group_sale_salesman")

    def _company(self, **vals):
        return self.Partner.create(
            {"name": "Romashka Test", "is_company": True, "country_id": self.ru.id, **vals}
        )

    # ------------------------------------------------------------------ requisites
    def test_valid_requisites_org_and_sole_trader(self):
        org = self._company(vat="7707 083 893", kpp="770701001", company_registry="1027812400868")
        self.assertEqual(org.vat, "7707083893", "INN stored without spaces")
        self.assertEqual(org.company_registry, "1027812400868")
        trader = self.Partner.create(
            {
                "name": "IP Sidorov",
                "country_id": self.ru.id,
                "vat": "760307073214",
                "company_registry": "304000000000030",
            }
        )
        self.assertEqual(trader.vat, "760307073214")
        # "RU" + INN, the VAT spelling, is accepted and stored as the INN
        self.assertEqual(self._company(vat="RU7827004526").vat, "7827004526")
        # KPP letters are upper-cased
        self.assertEqual(self._company(vat="7707083893", kpp="7707ab001").kpp, "7707AB001")

    def _assert_invalid(self, vals, *words):
        count = self.Partner.search_count([])
        with self.assertRaises(ValidationError) as info, mute_logger("odoo.sql_db"):
            self._company(**vals)
        for word in words:
            self.assertIn(word, str(info.exception))
        self.assertEqual(self.Partner.search_count([]), count, "nothing half-written")
        return str(info.exception)

    def test_invalid_requisites_name_field_and_reason(self):
        self._assert_invalid({"vat": "7707083894"}, "INN", "check digit")
        self._assert_invalid({"vat": "760307073224"}, "INN", "check digit")
        self._assert_invalid({"vat": "77070838"}, "INN", "10 or 12 digits")
        self._assert_invalid({"vat": "77O7083893"}, "INN", "digits only")
        self._assert_invalid({"vat": "7707083893", "kpp": "77070100"}, "KPP", "9 characters")
        self._assert_invalid(
            {"vat": "7707083893", "company_registry": "1027812400869"}, "OGRN", "check digit"
        )
        self._assert_invalid({"company_registry": "304000000000031"}, "OGRNIP", "check digit")
        self._assert_invalid({"company_registry": "12345678901234"}, "OGRN", "13 or 15")
        # an organisation's INN goes with an OGRN, not an OGRNIP; KPP is for organisations only
        self._assert_invalid({"vat": "7707083893", "company_registry": "304000000000030"}, "OGRNIP", "OGRN")
        self._assert_invalid({"vat": "760307073214", "kpp": "770701001"}, "KPP", "organisations")

    def test_foreign_tax_ids_are_left_alone(self):
        belgian = self.Partner.create(
            {"name": "Belgian", "country_id": self.env.ref("base.be").id, "vat": "BE0477472701"}
        )
        self.assertEqual(belgian.vat, "BE0477472701")
        # no country in a company outside Russia (in a Russian one, Russian rules apply: issue 8)
        self.env.company.country_id = self.env.ref("base.us")
        nowhere = self.Partner.create({"name": "No country", "vat": "GB123"})
        self.assertEqual(nowhere.vat, "GB123")
        # without a country, a digits-only Tax ID is read as an INN
        with self.assertRaises(ValidationError):
            self.Partner.create({"name": "No country", "vat": "1234567890"})

    def test_write_invalid_keeps_old_value(self):
        org = self._company(vat="7707083893")
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            org.write({"vat": "7707083894", "name": "Renamed"})
        org.invalidate_recordset()
        self.assertEqual((org.vat, org.name), ("7707083893", "Romashka Test"))
        # moving a partner with a foreign VAT to Russia validates it
        foreign = self.Partner.create(
            {"name": "F", "country_id": self.env.ref("base.be").id, "vat": "1234567890"}
        )
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            foreign.country_id = self.ru

    def test_bank_account_and_bik(self):
        bank = self.env["res.bank"].create(
            {
                "name": "North",
                "bic": "044030827",
                "corr_account": "30101810200000000827",
                "country": self.ru.id,
            }
        )
        org = self._company(
            vat="7827004526",
            bank_ids=[Command.create({"acc_number": "40702810900000002851", "bank_id": bank.id})],
        )
        self.assertEqual(org.bank_ids.bank_bic, "044030827")
        self.assertEqual(org.bank_ids.bank_corr_account, "30101810200000000827")
        count = self.Partner.search_count([])
        with self.assertRaises(ValidationError) as info:
            self._company(
                vat="7827004526",
                bank_ids=[Command.create({"acc_number": "40702810900000002861", "bank_id": bank.id})],
            )
        self.assertIn("Settlement account", str(info.exception))
        self.assertIn("control key", str(info.exception))
        self.assertEqual(
            self.Partner.search_count([]), count, "the partner is not created without its account"
        )
        with self.assertRaises(ValidationError) as info:
            self.env["res.bank"].create(
                {"name": "Bad", "bic": "044030827", "corr_account": "30101810200000000828"}
            )
        self.assertIn("Correspondent account", str(info.exception))
        with self.assertRaises(ValidationError) as info:
            self.env["res.bank"].create({"name": "Bad", "bic": "04403082", "country": self.ru.id})
        self.assertIn("BIK", str(info.exception))
        # a foreign bank's SWIFT BIC is not a BIK
        self.env["res.bank"].create(
            {"name": "Foreign", "bic": "GEBABEBB", "country": self.env.ref("base.be").id}
        )

    def test_requisites_are_commercial_fields(self):
        org = self._company(vat="7707083893", kpp="770701001", director_name="Ivan Petrov")
        contact = self.Partner.create({"name": "Anna", "parent_id": org.id})
        self.assertEqual(
            (contact.vat, contact.kpp, contact.director_name), ("7707083893", "770701001", "Ivan Petrov")
        )
        delivery = self.Partner.create({"name": "Warehouse", "parent_id": org.id, "type": "delivery"})
        self.assertEqual(delivery.commercial_partner_id, org)

    def test_search_by_inn(self):
        org = self._company(vat="7707083893")
        self.assertIn(org, self.Partner.search([("vat", "=", "7707083893")]))
        self.assertIn(org.id, [pid for pid, _name in self.Partner.name_search("7707083893")])

    # ------------------------------------------------------------------ phones and messengers
    def test_phone_e164_and_unparsable(self):
        partner = self.Partner.create({"name": "P", "phone": "8 (916) 765-43-21"})
        self.assertEqual(partner.phone_e164, "+79167654321")
        partner.phone = "not a phone"
        self.assertEqual(partner.phone, "not a phone", "stored raw")
        self.assertFalse(partner.phone_e164)
        partner.phone = False
        self.assertFalse(partner.phone_e164)
        us = self.Partner.create(
            {"name": "US", "phone": "(650) 253-0000", "country_id": self.env.ref("base.us").id}
        )
        self.assertEqual(us.phone_e164, "+16502530000", "the partner's country reads national numbers")
        lead = self.env["crm.lead"].create({"name": "L", "phone": "89167654321"})
        self.assertEqual(lead.phone_e164, "+79167654321")

    def test_phone_lookup_search_field(self):
        partner = self.Partner.create({"name": "P", "phone": "+7 916 765-43-21"})
        for typed in ("8 (916) 765-43-21", "79167654321", "9167654321"):
            self.assertIn(partner, self.Partner.search([("phone_lookup", "ilike", typed)]), typed)
        lead = self.env["crm.lead"].create({"name": "L", "phone": "+7 916 765-43-21"})
        self.assertIn(lead, self.env["crm.lead"].search([("phone_lookup", "ilike", "8 916 7654321")]))

    def test_messenger_handles(self):
        partner = self.Partner.create(
            {
                "name": "T",
                "telegram_username": "@Ivan_Petrov",
                "telegram_chat_id": " 12345 ",
                "whatsapp_number": "79161112233",
            }
        )
        self.assertEqual(partner.telegram_username, "ivan_petrov")
        self.assertEqual(partner.telegram_chat_id, "12345")
        self.assertEqual(partner.whatsapp_e164, "+79161112233")
        with self.assertRaises(ValidationError) as info:
            partner.telegram_username = "no spaces allowed"
        self.assertIn("Telegram", str(info.exception))

    def test_mailing_consent_date(self):
        partner = self.Partner.create(
            {"name": "C", "mailing_consent": True, "mailing_consent_source": "web_form"}
        )
        self.assertTrue(partner.mailing_consent_date)
        partner.mailing_consent = False
        self.assertFalse(partner.mailing_consent_date)

    def test_client_type_and_priority(self):
        shop = self.env.ref("linear_crm.client_type_shop")
        partner = self.Partner.create({"name": "Shop", "client_type_id": shop.id, "client_priority": "3"})
        self.assertEqual(
            shop.partner_count,
            1 + self.Partner.search_count([("client_type_id", "=", shop.id), ("id", "!=", partner.id)]),
        )
        self.assertEqual(partner.client_priority, "3")

    def test_first_contact_from_first_lead(self):
        org = self._company(vat="7707083893")
        contact = self.Partner.create({"name": "Anna", "parent_id": org.id})
        phone = self.env.ref("utm.utm_medium_phone")
        lead = self.env["crm.lead"].create({"name": "First", "partner_id": contact.id, "medium_id": phone.id})
        self.assertEqual(org.first_contact_date, lead.create_date)
        self.assertEqual(org.first_contact_medium_id, phone)
        self.env["crm.lead"].create(
            {"name": "Second", "partner_id": org.id, "medium_id": self.env.ref("utm.utm_medium_email").id}
        )
        self.assertEqual(org.first_contact_medium_id, phone, "the first contact stays")
        # a salesperson logging a lead sets the first contact of their client (bookkeeping as
        # superuser); another salesperson's client cannot be linked at all (test_crm_ownership)
        other = self._company(vat="5406123450", user_id=self.salesman.id)
        self.env["crm.lead"].with_user(self.salesman).create(
            {"name": "By salesman", "partner_id": other.id, "user_id": self.salesman.id}
        )
        self.assertTrue(other.first_contact_date)

    # ------------------------------------------------------------------ views and objections
    def test_views_load(self):
        for model, view_type in (
            ("res.partner", "form"),
            ("res.partner", "list"),
            ("res.partner", "search"),
            ("crm.lead", "form"),
            ("crm.lead", "search"),
            ("crm.lead.objection", "pivot"),
            ("crm.lead.objection", "graph"),
            ("linear.client.timeline", "list"),
            ("linear.client.type", "form"),
        ):
            arch = self.env[model].get_view(view_type=view_type)["arch"]
            self.assertTrue(arch, f"{model} {view_type}")
        form = self.env["res.partner"].get_view(view_type="form")["arch"]
        for name in ("linear_requisites", "linear_client", "linear_duplicate_warning"):
            self.assertIn(name, form)

    def test_partner_form_as_salesman(self):
        with Form(self.Partner.with_user(self.salesman)) as form:
            form.name = "Form Client"
            form.company_type = "company"
            form.country_id = self.ru
            form.vat = "7707083893"
            form.kpp = "770701001"
            form.telegram_username = "@Form_Client"
        self.assertEqual(form.record.telegram_username, "form_client")

    def test_objections(self):
        lead = self.env["crm.lead"].create({"name": "Deal", "user_id": self.salesman.id})
        price = self.env.ref("linear_crm.objection_type_price")
        objection = (
            self.env["crm.lead.objection"]
            .with_user(self.salesman)
            .create({"lead_id": lead.id, "type_id": price.id, "client_statement": "Too expensive"})
        )
        self.assertEqual(objection.outcome, "pending")
        self.assertEqual(objection.answer, price.suggested_answer, "the suggested answer is offered")
        self.assertEqual(objection.user_id, self.salesman)
        objection.outcome = "overcome"
        self.assertEqual(lead.objection_count, 1)
        groups = self.env["crm.lead.objection"]._read_group(
            [("lead_id", "=", lead.id)], ["type_id", "outcome"], ["__count"]
        )
        self.assertEqual(groups, [(price, "overcome", 1)])
        lead.unlink()
        self.assertFalse(objection.exists())

    # ------------------------------------------------------------------ timeline
    def test_timeline(self):
        org = self._company(vat="7707083893")
        contact = self.Partner.create({"name": "Anna", "parent_id": org.id})
        org.message_post(body="Hello from the card", message_type="comment", subtype_xmlid="mail.mt_comment")
        org.message_post(body="Internal note", message_type="comment", subtype_xmlid="mail.mt_note")
        lead = self.env["crm.lead"].create(
            {"name": "Timeline deal", "partner_id": contact.id, "type": "opportunity"}
        )
        lead.message_post(body="Lead note", message_type="comment", subtype_xmlid="mail.mt_note")
        activity = lead.activity_schedule("mail.mail_activity_data_call", summary="Call the client")
        activity.action_feedback(feedback="Called")
        stages = self.env["crm.stage"].search(
            [("is_won", "=", False), ("linear_step_id", "=", False)], order="sequence", limit=2
        )
        self.env.cr.precommit.run()  # as if created in an earlier transaction: changes are tracked now
        lead.stage_id = stages[-1]
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written at commit time
        lead.action_set_won()
        self.env["calendar.event"].create(
            {
                "name": "Meeting with Anna",
                "opportunity_id": lead.id,
                "start": "2030-01-01 10:00:00",
                "stop": "2030-01-01 11:00:00",
            }
        )
        self.env.flush_all()
        rows = self.env["linear.client.timeline"].search([("partner_id", "=", org.id)])
        kinds = set(rows.mapped("kind"))
        self.assertLessEqual({"message", "note", "activity", "lead", "stage", "won", "meeting"}, kinds)
        self.assertIn("Hello from the card", rows.filtered(lambda r: r.kind == "message").mapped("name"))
        self.assertEqual(rows, rows.sorted(lambda r: (r.date, r.id), reverse=True), "newest first")
        self.assertEqual(len(rows.ids), len(set(rows.ids)), "ids are unique")
        action = org.action_linear_open_timeline()
        self.assertEqual(action["domain"], [("partner_id", "=", org.id)])
        self.assertEqual(contact.action_linear_open_timeline()["domain"], [("partner_id", "=", org.id)])
        won = rows.filtered(lambda r: r.kind == "won")
        self.assertEqual(won.action_open_document()["res_id"], lead.id)
        # visible to a salesperson through the menu's model
        self.assertTrue(
            self.env["linear.client.timeline"]
            .with_user(self.salesman)
            .search_count([("partner_id", "=", org.id)])
        )
        # an index path exists from the client to its messages (seq scans only as a last resort)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute("EXPLAIN SELECT id FROM linear_client_timeline WHERE partner_id = %s", [org.id])
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertNotIn("Seq Scan on mail_message", plan)

    def test_timeline_sources_of_other_apps(self):
        """Invoicing (a dependency) is always a source; Sales adds its own when installed (checked
        on a database with sale installed after this module: the view is rebuilt by
        _register_hook)."""
        Timeline = self.env["linear.client.timeline"]
        # the channels' calls and messages are an optional source too (their table comes later)
        self.assertEqual(
            Timeline._timeline_signature(),
            "linear timeline: account.move, account.payment, linear.interaction",
        )
        installed = Timeline._timeline_sources()
        with patch.object(type(Timeline), "_timeline_has", lambda self, name: True):
            sources = Timeline._timeline_sources()
            self.assertIn("sale.order", Timeline._timeline_signature())
        self.assertEqual(len(sources), len(installed) + 1, "sale orders are the one source added")
        self.assertTrue(all(isinstance(source, SQL) for source in sources))
        self.assertTrue(any("account_payment" in source.code for source in sources))
