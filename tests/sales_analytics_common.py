# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""A small sales team with a known week of stage moves, shared by the XLSX and digest tests."""

import datetime
from io import BytesIO

import openpyxl

from odoo import fields
from odoo.tests import new_test_user


class SalesAnalyticsSetup:
    """Mixin for TransactionCase / HttpCase: a team with its own pipeline, a leader, two
    salespeople limited to their own documents, a manager, and leads moved by the ORM (the
    stage-move hook writes the history)."""

    @classmethod
    def setup_sales_data(cls):
        env = cls.env
        cls.leader = new_test_user(
            env, login="sa_leader", groups="sales_team.group_sale_salesman", name="Елена Лидерова"
        )
        cls.seller_a = new_test_user(
            env,
            login="sa_seller_a",
            groups="sales_team.group_sale_salesman",
            name="Анна Продажина",
            lang="en_US",
        )
        cls.seller_b = new_test_user(
            env, login="sa_seller_b", groups="sales_team.group_sale_salesman", name="Борис Сделкин"
        )
        cls.manager = new_test_user(
            env, login="sa_manager", groups="sales_team.group_sale_manager", name="Мария Руководова"
        )
        for user in (cls.leader, cls.seller_a, cls.seller_b, cls.manager):
            user.email = f"{user.login}@example.com"
        cls.team = env["crm.team"].create(
            {
                "name": "Команда аналитики",
                "user_id": cls.leader.id,
                "crm_team_member_ids": [
                    (0, 0, {"user_id": cls.seller_a.id}),
                    (0, 0, {"user_id": cls.seller_b.id}),
                ],
            }
        )
        Stage = env["crm.stage"]
        cls.stage_new = Stage.create({"name": "SA Новая", "sequence": 1, "team_ids": [(6, 0, cls.team.ids)]})
        cls.stage_offer = Stage.create(
            {"name": "SA Предложение", "sequence": 2, "team_ids": [(6, 0, cls.team.ids)]}
        )
        cls.stage_won = Stage.create(
            {"name": "SA Оплачено", "sequence": 3, "is_won": True, "team_ids": [(6, 0, cls.team.ids)]}
        )
        cls.source = env["utm.source"].create({"name": "SA Яндекс.Директ"})

        def lead(name, user, revenue):
            return env["crm.lead"].create(
                {
                    "name": name,
                    "type": "opportunity",
                    "team_id": cls.team.id,
                    "user_id": user.id,
                    "stage_id": cls.stage_new.id,
                    "expected_revenue": revenue,
                    "source_id": cls.source.id,
                    "date_deadline": fields.Date.today(),
                }
            )

        # Seller A: one won through the offer, one lost in «Новая», one waiting in the offer.
        cls.a_won = lead("SA A выиграна", cls.seller_a, 300000)
        cls.a_lost = lead("SA A проиграна", cls.seller_a, 100000)
        cls.a_open = lead("SA A в работе", cls.seller_a, 200000)
        # Seller B: one won straight from «Новая», one moved to the offer.
        cls.b_won = lead("SA B выиграна", cls.seller_b, 500000)
        cls.b_open = lead("SA B в работе", cls.seller_b, 50000)
        (cls.a_won | cls.a_open | cls.b_open).write({"stage_id": cls.stage_offer.id})
        (cls.a_won | cls.b_won).action_set_won()
        cls.a_lost.action_set_lost()
        env.flush_all()

    @classmethod
    def filters(cls, **values):
        today = fields.Date.today()
        result = {
            "date_from": fields.Date.to_string(today - datetime.timedelta(days=1)),
            "date_to": fields.Date.to_string(today + datetime.timedelta(days=1)),
            "team_id": cls.team.id,
            "user_id": False,
            "source_id": False,
        }
        result.update(values)
        return result

    def export_workbook(self, user, data, report="linear_crm.action_report_sales_analytics_xlsx"):
        """The XLSX of ``report`` rendered as ``user`` (report_xlsx drops sudo), read back."""
        action = self.env.ref(report)
        content, kind = (
            self.env["ir.actions.report"].with_user(user)._render_xlsx(action.report_name, None, data)
        )
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(BytesIO(content))

    @staticmethod
    def sheet_rows(sheet, header_row):
        """{first cell: row values} of the rows under ``header_row`` (1-based), up to a blank."""
        rows = {}
        for row in sheet.iter_rows(min_row=header_row + 1, values_only=True):
            if row[0] in (None, ""):
                break
            rows[row[0]] = row
        return rows
