# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The sales analytics workbooks read back with openpyxl: sheets, headers, the API's numbers,
formats, native charts; the streamed rows export; what a restricted salesperson gets."""

import json
from io import BytesIO
from unittest.mock import patch
from urllib.parse import quote

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, tagged

from .sales_analytics_common import SalesAnalyticsSetup

HEADER_ROW = 4  # 1-based: title, filters, blank line, header


@tagged("post_install", "-at_install")
class TestSalesXlsx(SalesAnalyticsSetup, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_sales_data()

    def test_workbook_sheets_headers_formats_and_charts(self):
        book = self.export_workbook(self.manager, {"filters": self.filters()})
        self.assertEqual(
            book.sheetnames, ["Funnel", "Managers", "Discipline", "Channels", "Forecast", "Process"]
        )
        funnel = book["Funnel"]
        header = [cell.value for cell in funnel[HEADER_ROW]]
        self.assertEqual(header[:5], ["Stage", "Entered", "Moved Forward", "Lost Here", "Won Later"])
        self.assertEqual(funnel.freeze_panes, "B5")
        self.assertTrue(funnel.auto_filter.ref.startswith("A4:"))
        self.assertEqual(funnel.cell(HEADER_ROW + 1, 6).number_format, "0.0%")
        self.assertTrue(funnel.cell(HEADER_ROW, 1).font.b)
        for name in ("Funnel", "Managers", "Discipline", "Channels", "Forecast"):
            self.assertEqual(len(book[name]._charts), 1, f"{name} has its native chart")
        # The team has no bound process: the process sheet says so instead of a chart.
        self.assertFalse(book["Process"]._charts)
        self.assertIn("process", book["Process"].cell(HEADER_ROW - 1, 1).value)
        self.assertEqual(book["Process"].cell(HEADER_ROW + 1, 1).value, "No data for this period")

    def test_funnel_and_managers_equal_the_api(self):
        filters = self.filters()
        api = self.env["linear.sales.analytics"].with_user(self.manager)
        book = self.export_workbook(self.manager, {"filters": filters})
        funnel = self.sheet_rows(book["Funnel"], HEADER_ROW)
        stages = api.funnel(filters)["stages"]
        self.assertEqual([stage["name"] for stage in stages], list(funnel))
        for stage in stages:
            row = funnel[stage["name"]]
            self.assertEqual(
                row[1:9],
                (
                    stage["entered"],
                    stage["forward"],
                    stage["lost"],
                    stage["won_later"],
                    stage["conversion_next"],
                    stage["conversion_cumulative"],
                    stage["avg_hours"],
                    stage["median_hours"],
                ),
            )
        # The known week: 5 leads entered «Новая», 3 moved on to the offer, 2 were won.
        self.assertEqual(funnel["SA Новая"][1:5], (5, 4, 1, 2))
        self.assertEqual(funnel["SA Оплачено"][1], 2)
        # nobody left the won stage: its hours are an empty cell, not 0 (F4 of the review)
        self.assertEqual(funnel["SA Оплачено"][7:9], (None, None))
        managers = self.sheet_rows(book["Managers"], HEADER_ROW)
        rows = {row["name"]: row for row in api.managers(filters)["rows"]}
        self.assertEqual(set(managers), set(rows))
        for name, row in rows.items():
            self.assertEqual(managers[name][1], row["new_leads"])
            self.assertEqual(managers[name][9], row["won_count"])
            self.assertEqual(managers[name][11], row["revenue_won"])
        self.assertEqual(managers[self.seller_a.name][9], 1)
        self.assertEqual(managers[self.seller_a.name][11], 300000)
        self.assertEqual(managers[self.seller_b.name][11], 500000)

    def test_restricted_salesperson_gets_only_own_figures_even_with_forged_filters(self):
        forged = self.filters(user_id=self.seller_b.id)
        book = self.export_workbook(
            self.seller_a, {"filters": forged, "context": {"active_ids": [self.b_won.id]}}
        )
        managers = self.sheet_rows(book["Managers"], HEADER_ROW)
        self.assertNotIn(self.seller_b.name, managers)
        funnel = self.sheet_rows(book["Funnel"], HEADER_ROW)
        self.assertEqual(funnel["SA Новая"][1], 0, "seller B's leads are not counted for seller A")
        # Without the forged user: exactly seller A's three leads.
        book = self.export_workbook(self.seller_a, {"filters": self.filters()})
        funnel = self.sheet_rows(book["Funnel"], HEADER_ROW)
        self.assertEqual(funnel["SA Новая"][1:5], (3, 2, 1, 1))
        managers = self.sheet_rows(book["Managers"], HEADER_ROW)
        self.assertEqual(list(managers), [self.seller_a.name])
        # Extra keys a browser might add are dropped, not passed to the API (which refuses them).
        book = self.export_workbook(self.seller_a, {"filters": dict(self.filters(), company_id=1, uid=1)})
        self.assertEqual(self.sheet_rows(book["Funnel"], HEADER_ROW)["SA Новая"][1], 3)

    def test_one_sheet_and_an_empty_period(self):
        empty = self.filters(date_from="2001-01-01", date_to="2001-01-31")
        book = self.export_workbook(self.manager, {"filters": empty, "sheets": ["funnel", "bogus"]})
        self.assertEqual(book.sheetnames, ["Funnel"])
        funnel = book["Funnel"]
        self.assertFalse(funnel._charts, "no chart of zeros")
        self.assertTrue(funnel.cell(HEADER_ROW - 1, 1).value, "the API's message is shown above the table")
        self.assertEqual({row[1] for row in self.sheet_rows(funnel, HEADER_ROW).values()}, {0})
        managers = self.export_workbook(self.manager, {"filters": empty, "sheets": ["managers"]})["Managers"]
        self.assertEqual(managers.cell(HEADER_ROW + 1, 1).value, "No data for this period")
        self.assertFalse(managers._charts)

    # ------------------------------------------------------------------ streamed rows
    def test_rows_export_is_streamed_and_limited_to_what_the_user_reads(self):
        report = self.env["report.linear_crm.sales_rows_xlsx"]
        self.assertTrue(report.get_workbook_options()["constant_memory"])
        History = self.env["linear.stage.history"]
        data = {"model": "linear.stage.history", "domain": [("lead_id.team_id", "=", self.team.id)]}
        book = self.export_workbook(self.seller_a, data, "linear_crm.action_report_sales_rows_xlsx")
        sheet = book.active
        header = [cell.value for cell in sheet[1]]
        self.assertIn("Lead", header)
        self.assertEqual(sheet.freeze_panes, "A2")
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        mine = History.with_user(self.seller_a).search_count(data["domain"])
        self.assertEqual(len(rows), mine)
        self.assertLess(mine, History.search_count(data["domain"]))
        leads = {row[header.index("Lead")] for row in rows}
        self.assertEqual(leads, {self.a_won.name, self.a_lost.name, self.a_open.name})
        # Forged ids of another salesperson's rows: the rules still apply.
        theirs = History.search([("lead_id", "=", self.b_won.id)])
        book = self.export_workbook(
            self.seller_a,
            {"model": "linear.stage.history", "ids": theirs.ids},
            "linear_crm.action_report_sales_rows_xlsx",
        )
        self.assertEqual(book.active.max_row, 2)
        self.assertEqual(book.active.cell(2, 1).value, "No data for this period")

    def test_rows_export_refuses_other_models_and_bad_domains(self):
        for data in (
            {"model": "res.users"},
            {"model": "crm.lead"},
            {"model": "linear.stage.history", "domain": "[('id', '>', 0)"},
            {"model": "linear.stage.history", "domain": [("no_such_field", "=", 1)]},
        ):
            with self.subTest(data=data), self.assertRaises(UserError):
                self.export_workbook(self.seller_a, data, "linear_crm.action_report_sales_rows_xlsx")
        portal = self.env["res.users"].create(
            {
                "name": "SA Portal",
                "login": "sa_portal",
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.export_workbook(
                portal, {"model": "linear.stage.history"}, "linear_crm.action_report_sales_rows_xlsx"
            )

    def test_constant_memory_export_of_many_rows(self):
        """5,000 history rows written by SQL come out in order, row by row."""
        lead = self.a_open
        self.env.cr.execute(
            """
            INSERT INTO linear_stage_history (lead_id, stage_from_id, stage_to_id, date, team_id,
                                              salesperson_id, company_id, source, is_entry,
                                              duration_hours)
            SELECT %s, %s, %s, now() AT TIME ZONE 'UTC' - make_interval(mins => n), %s, %s, %s,
                   'backfill', FALSE, n / 10.0
              FROM generate_series(1, 5000) n
            """,
            [
                lead.id,
                self.stage_new.id,
                self.stage_offer.id,
                self.team.id,
                self.seller_a.id,
                lead.company_id.id,
            ],
        )
        data = {
            "model": "linear.stage.history",
            "domain": [("lead_id", "=", lead.id), ("source", "=", "backfill")],
        }
        book = self.export_workbook(self.seller_a, data, "linear_crm.action_report_sales_rows_xlsx")
        sheet = book.active
        self.assertEqual(sheet.max_row, 5001)
        header = [cell.value for cell in sheet[1]]
        hours = [
            row[header.index("Hours in Stage Left")] for row in sheet.iter_rows(min_row=2, values_only=True)
        ]
        self.assertEqual(len(hours), 5000)
        self.assertEqual(sorted(hours), sorted(n / 10.0 for n in range(1, 5001)))

    def test_fast_rows_equal_xlsxwriters_own_cells(self):
        """The rows written as text in constant-memory mode read back exactly as the same rows
        written cell by cell by xlsxwriter (in-memory workbook)."""
        data = {"model": "linear.stage.history", "domain": [("lead_id.team_id", "=", self.team.id)]}
        fast = self.export_workbook(self.manager, data, "linear_crm.action_report_sales_rows_xlsx")
        Report = type(self.env["report.linear_crm.sales_rows_xlsx"])
        with patch.object(Report, "get_workbook_options", lambda self_: {}):
            slow = self.export_workbook(self.manager, data, "linear_crm.action_report_sales_rows_xlsx")
        self.assertGreater(fast.active.max_row, 5)
        self.assertEqual(list(fast.active.values), list(slow.active.values))
        self.assertEqual(fast.active.dimensions, slow.active.dimensions)

    def test_export_action_of_a_list(self):
        report = self.env["report.linear_crm.sales_rows_xlsx"].with_user(self.seller_a)
        domain = [("lead_id.team_id", "=", self.team.id)]
        visible = self.env["linear.stage.history"].with_user(self.seller_a).search(domain)
        action = report.with_context(active_ids=visible[:1].ids, active_domain=domain).action_export_rows(
            "linear.stage.history"
        )
        self.assertEqual(action["report_name"], "linear_crm.sales_rows_xlsx")
        self.assertEqual(action["data"], {"model": "linear.stage.history", "ids": visible[:1].ids})
        action = report.with_context(active_ids=visible.ids, active_domain=domain).action_export_rows(
            "linear.stage.history"
        )
        self.assertEqual(action["data"], {"model": "linear.stage.history", "domain": domain})


@tagged("post_install", "-at_install")
class TestSalesXlsxHttp(SalesAnalyticsSetup, HttpCase):
    """The download URL the web client calls, as a restricted salesperson, with forged options."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_sales_data()

    def _download(self, report_name, options, context=None):
        url = (
            f"/report/xlsx/{report_name}?options={quote(json.dumps(options))}"
            f"&context={quote(json.dumps(context or {}))}"
        )
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, response.text[:500])
        return openpyxl.load_workbook(BytesIO(response.content))

    def test_restricted_salesperson_downloads_only_own_figures(self):
        self.authenticate(self.seller_a.login, self.seller_a.login)
        forged = self.filters(user_id=self.seller_b.id)
        book = self._download(
            "linear_crm.sales_analytics_xlsx",
            {"filters": forged, "sheets": ["managers", "funnel"]},
            context={"active_test": False, "uid": self.manager.id},
        )
        self.assertNotIn(self.seller_b.name, self.sheet_rows(book["Managers"], HEADER_ROW))
        self.assertEqual(self.sheet_rows(book["Funnel"], HEADER_ROW)["SA Новая"][1], 0)
        book = self._download(
            "linear_crm.sales_rows_xlsx",
            {"model": "linear.stage.history", "domain": [("lead_id", "=", self.b_won.id)]},
        )
        self.assertEqual(book.active.cell(2, 1).value, "No data for this period")
