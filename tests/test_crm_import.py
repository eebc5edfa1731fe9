# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Importing a client base through Odoo's own import (base_import): bad rows are reported with
their row and field and skipped, good rows are kept, possible duplicates are counted."""

import csv
import io

import openpyxl

from odoo.tests import TransactionCase, tagged

HEADER = ("Name", "Phone", "Email", "Tax ID", "KPP", "Country")
ROWS = [
    [
        "Good One LLC",
        "8 (916) 900-00-01",
        "one@import.example.com",
        "7707083893",
        "770701001",
        "Russian Federation",
    ],
    ["Bad INN LLC", "+7 916 900-00-02", "", "7707083894", "", "Russian Federation"],
    ["Good Two", "+7 916 900 00 03", "", "", "", ""],
    ["Unparsable phone", "call me maybe", "", "", "", ""],
    ["Bad KPP LLC", "", "", "7827004526", "77070100", "Russian Federation"],
    ["Same phone as old", "89169000099", "", "", "", ""],
    ["Same INN as Good One", "", "", "7707083893", "", "Russian Federation"],
]
FIELDS = ("name", "phone", "email", "vat", "kpp", "country_id")
OPTIONS = {
    "has_headers": True,
    "quoting": '"',
    "separator": ",",
    "encoding": "utf-8",
    "date_format": "",
    "datetime_format": "",
}


def _csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _xlsx(header, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@tagged("post_install", "-at_install")
class TestCrmImport(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.ru")
        cls.Partner = cls.env["res.partner"]
        cls.old = cls.Partner.create({"name": "Old client", "phone": "+7 916 900-00-99"})

    def _import(
        self, content, file_name, fields=FIELDS, header=HEADER, model="res.partner", dryrun=False, **options
    ):
        wizard = self.env["base_import.import"].create(
            {"res_model": model, "file": content, "file_name": file_name, "file_type": ""}
        )
        return wizard.execute_import(
            fields, [h.lower() for h in header], {**OPTIONS, **options}, dryrun=dryrun
        )

    def _check_partial_import(self, result):
        names = set(self.Partner.browse(result["ids"]).mapped("name"))
        self.assertEqual(
            names,
            {"Good One LLC", "Good Two", "Unparsable phone", "Same phone as old", "Same INN as Good One"},
            "good rows are kept",
        )
        self.assertFalse(
            self.Partner.search([("name", "in", ["Bad INN LLC", "Bad KPP LLC"])]), "bad rows are not"
        )
        errors = [m for m in result["messages"] if m.get("rows")]
        self.assertEqual([(m["rows"]["from"], m["type"]) for m in errors], [(1, "error"), (4, "error")])
        self.assertIn("INN", errors[0]["message"])
        self.assertIn("check digit", errors[0]["message"])
        self.assertIn("KPP", errors[1]["message"])
        self.assertEqual(errors[0]["record"], 1)
        self.assertEqual(errors[1]["record"], 4)
        summary = result["messages"][0]
        self.assertNotIn("rows", summary)
        self.assertIn("2 rows with errors", summary["message"])
        self.assertIn("2 imported records look like duplicates", summary["message"])
        self.assertEqual(result["linear_duplicates"], 2)
        unparsable = self.Partner.search([("name", "=", "Unparsable phone")])
        self.assertEqual((unparsable.phone, unparsable.phone_e164), ("call me maybe", False))
        self.assertEqual(self.Partner.search([("name", "=", "Same phone as old")]).duplicate_of_id, self.old)
        good_one = self.Partner.search([("name", "=", "Good One LLC")])
        self.assertEqual(
            self.Partner.search([("name", "=", "Same INN as Good One")]).duplicate_of_id, good_one
        )
        self.assertEqual(good_one.phone_e164, "+79169000001")

    def test_csv_bad_rows_reported_good_rows_kept(self):
        self._check_partial_import(self._import(_csv(HEADER, ROWS), "clients.csv"))

    def test_xlsx_bad_rows_reported_good_rows_kept(self):
        self._check_partial_import(self._import(_xlsx(HEADER, ROWS), "clients.xlsx"))

    def test_dry_run_reports_and_writes_nothing(self):
        count = self.Partner.search_count([])
        result = self._import(_csv(HEADER, ROWS), "clients.csv", dryrun=True)
        self.assertEqual(self.Partner.search_count([]), count)
        self.assertEqual(len([m for m in result["messages"] if m.get("rows")]), 2)
        self.assertIn("would be imported", result["messages"][0]["message"])

    def test_clean_file_imports_without_messages(self):
        rows = [ROWS[0], ROWS[2]]
        result = self._import(_csv(HEADER, rows), "clients.csv")
        self.assertEqual(len(result["ids"]), 2)
        self.assertEqual(result["messages"], [])

    def test_many_bad_rows_still_keep_the_good_ones(self):
        # more than 10 errors makes load() stop early; the rest is tried again
        rows = []
        for i in range(60):
            inn = "7707083894" if i % 3 == 0 else ""
            rows.append(
                [f"Client {i}", f"+7 916 910 {i // 100:02d} {i % 100:02d}", "", inn, "", "Russian Federation"]
            )
        result = self._import(_csv(HEADER, rows), "many.csv")
        self.assertEqual(len(result["ids"]), 40)
        failed = sorted(m["rows"]["from"] for m in result["messages"] if m.get("rows"))
        self.assertEqual(failed, list(range(0, 60, 3)))
        self.assertEqual(result["linear_skipped"], 20)

    def test_wrong_columns_clear_message(self):
        result = self._import(
            _csv(["Phone", "Email"], [["+7 916 900 00 05", "x@import.example.com"]]),
            "c.csv",
            fields=["phone", "email"],
            header=["Phone", "Email"],
        )
        self.assertFalse(result["ids"])
        self.assertEqual(len(result["messages"]), 1)
        self.assertIn("no column for", result["messages"][0]["message"])
        self.assertIn("Name", result["messages"][0]["message"])
        result = self._import(
            _csv(["Name", "Shoe size"], [["A", "42"]]),
            "c.csv",
            fields=["name", "shoe_size"],
            header=["Name", "Shoe size"],
        )
        self.assertFalse(result["ids"])
        self.assertIn("shoe_size", result["messages"][0]["message"])
        self.assertIn("shoe size", result["messages"][0]["message"])

    def test_leads_import_flags_duplicates(self):
        existing = self.env["crm.lead"].create({"name": "Existing request", "phone": "+7 916 920 00 01"})
        header = ["Name", "Phone"]
        rows = [["Repeat request", "8 916 920 00 01"], ["New request", "8 916 920 00 02"]]
        result = self._import(
            _csv(header, rows), "leads.csv", fields=["name", "phone"], header=header, model="crm.lead"
        )
        leads = self.env["crm.lead"].browse(result["ids"])
        self.assertEqual(len(leads), 2)
        self.assertEqual(leads.filtered(lambda lead: lead.name == "Repeat request").duplicate_of_id, existing)
        self.assertEqual(result["linear_duplicates"], 1)
        self.assertIn("1 imported records look like duplicates", result["messages"][0]["message"])

    def test_all_or_nothing_on_request(self):
        wizard = (
            self.env["base_import.import"]
            .with_context(linear_import_all_or_nothing=True)
            .create(
                {
                    "res_model": "res.partner",
                    "file": _csv(HEADER, ROWS),
                    "file_name": "c.csv",
                    "file_type": "",
                }
            )
        )
        result = wizard.execute_import(list(FIELDS), [h.lower() for h in HEADER], dict(OPTIONS))
        self.assertFalse(result["ids"])
