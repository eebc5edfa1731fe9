# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ProcessCase


@tagged("post_install", "-at_install")
class TestProcessKpi(ProcessCase):
    """KPIs: manual measurements or declarative values computed from live data over a period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.process = cls.make_process()
        cls.lead_model = cls.env.ref("crm.model_crm_lead")
        cls.revenue_field = cls.env.ref("crm.field_crm_lead__expected_revenue")
        cls.create_date_field = cls.env.ref("crm.field_crm_lead__create_date")
        cls.tag = cls.env["crm.tag"].create({"name": "KPI probe"})

    def _lead(self, revenue, created):
        lead = self.env["crm.lead"].create(
            {"name": f"KPI lead {revenue}", "expected_revenue": revenue, "tag_ids": [(4, self.tag.id)]}
        )
        self.env.cr.execute("UPDATE crm_lead SET create_date = %s WHERE id = %s", [created, lead.id])
        lead.invalidate_recordset(["create_date"])
        return lead

    def _kpi(self, **vals):
        values = {
            "process_id": self.process.id,
            "name": "Revenue",
            "source": "computed",
            "model_id": self.lead_model.id,
            "domain": f"[('tag_ids', 'in', [{self.tag.id}])]",
            "aggregate": "sum",
            "value_field_id": self.revenue_field.id,
            "date_field_id": self.create_date_field.id,
            "period": "month",
            "target": 150,
        }
        values.update(vals)
        return self.env["linear.process.kpi"].create(values)

    @freeze_time("2026-03-15 12:00:00")
    def test_computed_sum_count_avg_over_period(self):
        self._lead(100, datetime(2026, 3, 2, 9, 0))
        self._lead(80, datetime(2026, 3, 31, 23, 0))
        self._lead(1000, datetime(2026, 2, 28, 23, 0))  # previous month: not counted
        kpi = self._kpi()
        self.assertEqual(str(kpi.period_start), "2026-03-01")
        self.assertEqual(str(kpi.period_end), "2026-03-31")
        self.assertEqual(kpi.current_value, 180)
        self.assertEqual(kpi.status, "on_track")
        kpi.direction = "lower"
        self.assertEqual(kpi.status, "off_track")
        self.assertEqual(self._kpi(aggregate="count").current_value, 2)
        self.assertEqual(self._kpi(aggregate="avg").current_value, 90)
        self.assertEqual(self._kpi(period="quarter").current_value, 1180)

    @freeze_time("2026-03-15 12:00:00")
    def test_average_duration_in_hours(self):
        lead = self._lead(10, datetime(2026, 3, 2, 9, 0))
        self.env.cr.execute(
            "UPDATE crm_lead SET date_closed = %s WHERE id = %s", [datetime(2026, 3, 3, 9, 0), lead.id]
        )
        kpi = self._kpi(
            aggregate="avg_duration",
            duration_start_field_id=self.create_date_field.id,
            duration_end_field_id=self.env.ref("crm.field_crm_lead__date_closed").id,
        )
        self.assertAlmostEqual(kpi.current_value, 24.0)

    @freeze_time("2026-05-20")
    def test_manual_measurements_take_the_latest_in_period(self):
        kpi = self.env["linear.process.kpi"].create(
            {
                "process_id": self.process.id,
                "name": "Satisfaction",
                "target": 85,
                "period": "month",
                "measurement_ids": [
                    (0, 0, {"date": "2026-04-30", "value": 99}),
                    (0, 0, {"date": "2026-05-03", "value": 80}),
                    (0, 0, {"date": "2026-05-18", "value": 86}),
                ],
            }
        )
        self.assertEqual((kpi.current_value, kpi.status), (86, "on_track"))
        empty = self.env["linear.process.kpi"].create({"process_id": self.process.id, "name": "Empty"})
        self.assertEqual(empty.status, "no_data")

    def test_bad_domain_is_refused(self):
        for domain in ("[('stage_id', '=', ", "[('no_such_field', '=', 1)]", "__import__('os')"):
            with (
                self.subTest(domain=domain),
                self.assertRaisesRegex(ValidationError, "does not parse"),
                self.env.cr.savepoint(),
            ):
                self._kpi(domain=domain)

    def test_missing_pieces_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "field to sum"), self.env.cr.savepoint():
            self._kpi(value_field_id=False)
        with self.assertRaisesRegex(ValidationError, "choose the model"), self.env.cr.savepoint():
            self._kpi(model_id=False)
        with self.assertRaisesRegex(ValidationError, "does not belong"), self.env.cr.savepoint():
            self._kpi(value_field_id=self.env.ref("base.field_res_partner__color").id)

    def test_model_the_user_may_not_read(self):
        kpi = self._kpi(
            model_id=self.env.ref("base.model_ir_config_parameter").id,
            aggregate="count",
            value_field_id=False,
            date_field_id=False,
            domain="[]",
        )
        self.assertGreater(kpi.current_value, 0)  # the admin may read it
        with self.assertRaisesRegex(AccessError, "not allowed to read"):
            kpi.with_user(self.owner)._value_between(kpi.period_start, kpi.period_end)
