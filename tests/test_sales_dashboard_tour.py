# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The sales dashboard on the demo data, clicked in headless Chromium
(static/tests/tours/sales_dashboard_tour.js): period and team pickers, an empty period, the
drill-down into the leads of a stage."""

import json
from io import BytesIO
from urllib.parse import quote

import openpyxl

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSalesDashboardTour(HttpCase):
    def test_sales_dashboard_tour(self):
        team = self.env.ref("linear_crm.demo_team_wholesale", raise_if_not_found=False)
        self.assertTrue(team, "the demo data of the sales analytics is loaded")
        self.assertTrue(
            self.env["linear.stage.history"].search_count([("team_id", "=", team.id)]),
            "the demo team has a stage history to show",
        )
        self.start_tour("/odoo", "linear_crm_sales_dashboard", login="admin", timeout=300)

    def test_restricted_salesperson_sees_own_figures_on_the_dashboard(self):
        """What the dashboard asks for, over JSON-RPC as a salesperson limited to own documents,
        with another salesperson's id forged into the filters."""
        orlov = self.env.ref("linear_crm.demo_user_orlov")
        volkova = self.env.ref("linear_crm.demo_user_volkova")
        team = self.env.ref("linear_crm.demo_team_wholesale")
        self.authenticate(orlov.login, orlov.login)
        filters = {
            "date_from": "2000-01-01",
            "date_to": "2100-01-01",
            "team_id": team.id,
            "user_id": False,
            "source_id": False,
        }

        def call(method, flt):
            return self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {"model": "linear.sales.analytics", "method": method, "args": [flt], "kwargs": {}},
            )

        rows = call("managers", filters)["rows"]
        self.assertEqual({row["user_id"] for row in rows}, {orlov.id})
        forged = call("managers", dict(filters, user_id=volkova.id))["rows"]
        self.assertFalse(forged)
        funnel = call("funnel", filters)
        mine = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search_count(
                [("user_id", "=", orlov.id), ("team_id", "=", team.id), ("stage_history_ids", "!=", False)]
            )
        )
        self.assertEqual(funnel["totals"]["leads"], mine)

    def test_excel_export_of_the_dashboard_keeps_its_team_for_the_process_sheet(self):
        """The workbook downloaded the way the dashboard's Export to Excel asks for it (report_xlsx's
        URL with the dashboard's filters), with the process-bound demo team chosen: the Process sheet
        lists that team's steps instead of asking to choose a team."""
        team = self.env.ref("linear_crm.demo_team_process")
        steps = team.linear_process_id.step_ids
        self.assertTrue(steps, "the demo team runs by a process")
        manager = new_test_user(
            self.env, login="lc_dash_process_mgr", groups="sales_team.group_sale_manager", lang="en_US"
        )
        self.authenticate(manager.login, manager.login)
        filters = {"date_from": "2000-01-01", "date_to": "2100-12-31", "team_id": team.id}
        filters.update(user_id=False, source_id=False)
        url = (
            "/report/xlsx/linear_crm.sales_analytics_xlsx"
            f"?options={quote(json.dumps({'filters': filters}))}&context={quote(json.dumps({}))}"
        )
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, response.text[:500])
        sheet = openpyxl.load_workbook(BytesIO(response.content))["Process"]
        self.assertIn(team.name, sheet.cell(2, 1).value, "the filters line names the team")
        self.assertNotIn("Choose a team", sheet.cell(3, 1).value or "")
        names = [sheet.cell(row, 1).value for row in range(5, 5 + len(steps))]
        self.assertEqual(names, steps.sorted(lambda s: (s.sequence, s.id)).mapped("name"))
