# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Export to Excel on the sales dashboard clicked in headless Chromium by a sales manager
(static/tests/tours/sales_dashboard_export_tour.js): the /report/download request the button
makes succeeds (the tour waits for the real download to settle) and no error dialog shows."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSalesDashboardExportTour(HttpCase):
    def test_sales_manager_exports_the_dashboard_to_excel(self):
        manager = new_test_user(
            self.env, login="lc_dash_export_mgr", groups="sales_team.group_sale_manager", lang="en_US"
        )
        self.start_tour("/odoo", "linear_crm_sales_dashboard_export", login=manager.login, timeout=180)
