# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Client lookup by phone / e-mail / messenger, and possible duplicates flagged on create."""

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

PHONE_FORMATS = ("8 (916) 700-11-22", "+7 916 7001122", "89167001122", "9167001122", "79167001122")


@tagged("post_install", "-at_install")
class TestCrmLookup(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.ru")
        Partner = cls.env["res.partner"]
        cls.Lookup = cls.env["linear.client.lookup"]
        cls.company = Partner.create(
            {
                "name": "Lookup LLC",
                "is_company": True,
                "country_id": cls.env.ref("base.ru").id,
                "vat": "7707083893",
            }
        )
        cls.contact = Partner.create(
            {
                "name": "Olga",
                "parent_id": cls.company.id,
                "phone": "+7 (916) 700-11-22",
                "email": "Olga <OLGA@Lookup.example.com>",
                "telegram_username": "@Olga_Lookup",
                "telegram_chat_id": "777000111",
                "whatsapp_number": "+7 903 700 11 22",
            }
        )
        cls.other = Partner.create({"name": "Somebody else", "phone": "+7 916 700-11-23"})
        cls.us_client = Partner.create({"name": "US client", "phone": "+1 650 253 0000"})
        Lead = cls.env["crm.lead"]
        cls.open_lead = Lead.create(
            {"name": "Open deal", "partner_id": cls.contact.id, "type": "opportunity"}
        )
        cls.lost_lead = Lead.create({"name": "Lost deal", "partner_id": cls.company.id})
        cls.lost_lead.action_set_lost()
        cls.orphan_lead = Lead.create({"name": "Web form", "phone": "8 926 000 00 01"})

    def test_every_phone_format_finds_the_client(self):
        for typed in PHONE_FORMATS:
            found = self.Lookup.find(phone=typed)
            self.assertEqual(found["partner"], self.company, typed)
            self.assertEqual(found["contact"], self.contact, typed)
            self.assertEqual(found["matched_by"], "phone")
            self.assertEqual(found["key"], "+79167001122")
            self.assertIn(self.open_lead, found["leads"])
            self.assertNotIn(self.lost_lead, found["leads"], "only open leads")
        self.assertEqual(self.Lookup.find(phone="+1 650 253 0000")["partner"], self.us_client)
        self.assertEqual(self.Lookup.find(phone="8 10 1 650 253 0000")["partner"], self.us_client)

    def test_email_and_messengers(self):
        self.assertEqual(self.Lookup.find(email="olga@lookup.example.com")["partner"], self.company)
        self.assertEqual(self.Lookup.find(email="Olga P. <Olga@LOOKUP.example.com>")["contact"], self.contact)
        for handle in ("olga_lookup", "@Olga_Lookup", "https://t.me/olga_lookup"):
            self.assertEqual(self.Lookup.find(telegram=handle)["contact"], self.contact, handle)
        self.assertEqual(self.Lookup.find(telegram=777000111)["matched_by"], "telegram")
        self.assertEqual(self.Lookup.find(whatsapp="79037001122")["contact"], self.contact)
        # WhatsApp ids are phone numbers too: a client known by phone only is found
        self.assertEqual(self.Lookup.find(whatsapp="79167001122")["contact"], self.contact)

    def test_most_specific_key_wins(self):
        found = self.Lookup.find(phone="+7 916 700-11-23", telegram="olga_lookup")
        self.assertEqual((found["contact"], found["matched_by"]), (self.contact, "telegram"))
        found = self.Lookup.find(phone="+7 916 700-11-23", email="nobody@nowhere.example.com")
        self.assertEqual(found["contact"], self.other)

    def test_lead_without_client(self):
        found = self.Lookup.find(phone="+79260000001")
        self.assertFalse(found["partner"])
        self.assertEqual(found["leads"], self.orphan_lead)

    def test_nothing_found_and_bad_input(self):
        for kwargs in (
            {"phone": "+7 999 000 00 00"},
            {"phone": "garbage"},
            {"email": "not-an-email"},
            {},
            {"telegram": "?"},
        ):
            found = self.Lookup.find(**kwargs)
            self.assertFalse(found["partner"], kwargs)
            self.assertFalse(found["leads"], kwargs)
            self.assertFalse(found["matched_by"], kwargs)

    def test_find_ids_for_rpc(self):
        found = self.Lookup.find_ids(phone="89167001122")
        self.assertEqual(found["partner_id"], self.company.id)
        self.assertIn(self.open_lead.id, found["lead_ids"])

    def test_lookup_uses_indexes(self):
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        for column in (
            "phone_e164",
            "whatsapp_e164",
            "email_normalized",
            "telegram_username",
            "telegram_chat_id",
        ):
            self.env.cr.execute(f"EXPLAIN SELECT id FROM res_partner WHERE {column} = 'x'")
            plan = " ".join(row[0] for row in self.env.cr.fetchall())
            self.assertIn("Index", plan, column)
        self.env.cr.execute("EXPLAIN SELECT id FROM crm_lead WHERE phone_e164 = 'x'")
        self.assertIn("Index", " ".join(row[0] for row in self.env.cr.fetchall()))


@tagged("post_install", "-at_install")
class TestCrmLookupRegion(TransactionCase):
    def test_national_numbers_follow_the_company_country(self):
        """The default phone region is cached per company and follows a change of its country."""
        self.env.company.country_id = self.env.ref("base.ru")
        client = self.env["res.partner"].create({"name": "Region probe", "phone": "+7 916 555-44-33"})
        Lookup = self.env["linear.client.lookup"]
        self.assertEqual(Lookup.find(phone="9165554433")["partner"], client)
        self.env.company.country_id = self.env.ref("base.us")
        self.assertEqual(Lookup._default_region(), "US")
        self.assertFalse(Lookup.find(phone="9165554433")["partner"], "a US number now")
        self.assertEqual(Lookup.find(phone="+7 916 555 44 33")["partner"], client)


@tagged("post_install", "-at_install")
class TestCrmDedupe(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.ru")
        cls.Partner = cls.env["res.partner"]
        cls.Lead = cls.env["crm.lead"]
        cls.original = cls.Partner.create(
            {
                "name": "Original",
                "phone": "+7 916 800-11-22",
                "email": "orig@dedupe.example.com",
                "vat": "5001007329",
            }
        )
        cls.salesman = new_test_user(
            cls.env, login="lc_dedupe_sales", groups="sales_team.group_sale_salesman"
        )

    def test_flagged_on_create_by_each_key(self):
        by_phone = self.Partner.create({"name": "Same phone", "phone": "89168001122"})
        by_email = self.Partner.create({"name": "Same e-mail", "email": "ORIG@dedupe.example.com"})
        by_inn = self.Partner.create({"name": "Same INN", "vat": "5001007329"})
        clean = self.Partner.create({"name": "Someone new", "phone": "+7 916 800-99-99"})
        for dup in (by_phone, by_email, by_inn):
            self.assertEqual(dup.duplicate_of_id, self.original, dup.name)
        self.assertFalse(clean.duplicate_of_id)
        self.assertFalse(self.original.duplicate_of_id, "the original is not flagged")
        self.assertEqual(self.original.duplicate_count, 3)
        self.assertIn(by_phone, self.Partner.search([("duplicate_of_id", "!=", False)]))

    def test_batch_is_flagged_in_one_query(self):
        vals = [
            {"name": f"Batch {i}", "phone": f"+7 916 801-{i // 100:02d}-{i % 100:02d}"} for i in range(300)
        ]
        vals += [
            {"name": "Batch dup", "phone": "8 (916) 800-11-22"},
            {"name": "Twin", "phone": "+7 916 801 00 00"},
        ]
        partners = self.Partner.create(vals)  # warm-up of the ORM's own queries is irrelevant here
        self.assertEqual(partners[-2].duplicate_of_id, self.original)
        self.assertEqual(
            partners[-1].duplicate_of_id, partners[0], "a twin inside the batch points to the first"
        )
        self.assertFalse(partners[0].duplicate_of_id)
        self.assertEqual(len(partners.filtered("duplicate_of_id")), 2)
        with self.assertQueryCount(1):
            partners._linear_flag_duplicates()

    def test_company_contacts_are_not_duplicates_of_each_other(self):
        company = self.Partner.create(
            {"name": "Co", "is_company": True, "vat": "7707083893", "phone": "+7 495 100 00 00"}
        )
        anna = self.Partner.create({"name": "Anna", "parent_id": company.id, "phone": "+7 495 100 00 00"})
        self.assertEqual(anna.vat, "7707083893")
        self.assertFalse(anna.duplicate_of_id)
        self.assertFalse(company.duplicate_count)

    def test_write_reflags_and_dismiss(self):
        partner = self.Partner.create({"name": "Later", "phone": "+7 916 800-55-55"})
        self.assertFalse(partner.duplicate_of_id)
        partner.phone = "+7 (916) 800-11-22"
        self.assertEqual(partner.duplicate_of_id, self.original)
        partner.action_linear_not_duplicate()
        self.assertFalse(partner.duplicate_of_id)
        partner.phone = "+7 916 800-55-55"
        self.assertFalse(partner.duplicate_of_id)
        # no cycle: changing the original to match a newer record keeps the newer one flagged only
        partner.phone = "+7 916 800-11-22"
        self.original.write({"email": "new@dedupe.example.com"})
        self.assertEqual(partner.duplicate_of_id, self.original)
        self.assertNotEqual(self.original.duplicate_of_id, partner)

    def test_archived_and_vat_placeholder_ignored(self):
        self.original.action_archive()
        self.assertFalse(
            self.Partner.create({"name": "After archive", "phone": "+7 916 800 11 22"}).duplicate_of_id
        )
        first = self.Partner.create({"name": "No tax", "vat": "/"})
        self.assertFalse(self.Partner.create({"name": "No tax 2", "vat": "/"}).duplicate_of_id)
        self.assertFalse(first.duplicate_of_id)

    def test_merge_opens_native_partner_wizard(self):
        dup = self.Partner.create({"name": "Original copy", "phone": "+7 916 800 11 22"})
        action = dup.action_linear_merge_duplicates()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertEqual(set(wizard.partner_ids.ids), {dup.id, self.original.id})
        self.assertEqual(wizard.state, "selection")
        wizard.action_merge()
        survivor = (dup | self.original).exists().filtered("active")
        self.assertEqual(len(survivor), 1)
        self.assertFalse(survivor.duplicate_of_id, "not a duplicate of itself after the merge")

    def test_leads_flagged_and_merged_natively(self):
        first = self.Lead.create(
            {"name": "Request 1", "phone": "+7 916 800 33 44", "email_from": "a@lead.example.com"}
        )
        second = self.Lead.create({"name": "Request 2", "phone": "8 (916) 800-33-44"})
        third = self.Lead.create({"name": "Request 3", "email_from": "A@lead.example.com"})
        self.assertEqual(second.duplicate_of_id, first)
        self.assertEqual(third.duplicate_of_id, first)
        self.assertIn(second, self.Lead.search([("duplicate_of_id", "!=", False)]))
        # a won or lost lead is history, not a duplicate
        first.action_set_lost()
        self.assertEqual(
            self.Lead.create({"name": "Request 4", "phone": "+79168003344"}).duplicate_of_id, second
        )
        first.action_unarchive()
        action = second.action_linear_merge_duplicates()
        self.assertEqual(action["res_model"], "crm.merge.opportunity")
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertIn(first, wizard.opportunity_ids)
        self.assertIn(second, wizard.opportunity_ids)
        merged = wizard.action_merge()
        self.assertTrue(merged)
        self.assertEqual(len((first | second).exists()), 1, "merged into one lead")

    def test_salesman_can_see_flag(self):
        dup = self.Partner.with_user(self.salesman).create(
            {"name": "By salesman", "email": "orig@dedupe.example.com"}
        )
        self.assertEqual(dup.duplicate_of_id, self.original)
        # the form opens even when the original belongs to someone else's client base
        spec = {"duplicate_of_id": {"fields": {"display_name": {}}}, "duplicate_count": {}}
        values = dup.with_user(self.salesman).web_read(spec)[0]
        self.assertEqual(values["duplicate_of_id"]["id"], self.original.id)
        self.assertEqual(values["duplicate_count"], 1)


@tagged("post_install", "-at_install")
class TestCrmLookupRpc(HttpCase):
    """What a screen pop does: the web client asks for the caller's card over JSON-RPC."""

    def test_find_ids_over_jsonrpc(self):
        self.env.company.country_id = self.env.ref("base.ru")
        salesman = new_test_user(
            self.env, login="lc_lookup_rpc", password="lc_lookup_rpc", groups="sales_team.group_sale_salesman"
        )
        client = self.env["res.partner"].create(
            {"name": "RPC client", "phone": "+7 916 930 00 01", "user_id": salesman.id}
        )
        lead = self.env["crm.lead"].create(
            {"name": "RPC deal", "partner_id": client.id, "user_id": salesman.id}
        )
        self.authenticate("lc_lookup_rpc", "lc_lookup_rpc")
        call = {"model": "linear.client.lookup", "args": [], "kwargs": {"phone": "8 (916) 930-00-01"}}
        found = self.make_jsonrpc_request("/web/dataset/call_kw", {**call, "method": "find_ids"})
        self.assertEqual(found["partner_id"], client.id)
        self.assertEqual(found["lead_ids"], [lead.id])
        # find() returns recordsets: not callable over RPC
        with self.assertRaises(JsonRpcException) as info, self.assertLogs("odoo.http", level="WARNING"):
            self.make_jsonrpc_request("/web/dataset/call_kw", {**call, "method": "find"})
        self.assertIn("AccessError", str(info.exception))
