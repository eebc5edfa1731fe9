# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Honest figures: time in a step is working time on the company calendar, shown in the unit of
the step's norm, in words that agree with their numbers and with the reader's decimal comma."""

import importlib.util
import io
from datetime import datetime
from pathlib import Path

from lxml import etree
from openpyxl import load_workbook

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

TUESDAY = datetime(2026, 3, 17, 8, 0)  # no public holiday that week, in Russia or elsewhere


def russian_labels(env):
    """Russian active, with the customer kind's label translated (i18n is loaded separately)."""
    env["res.lang"]._activate_lang("ru_RU")
    field = env["ir.model.fields"]._get("linear.process", "customer_kind")
    selection = env["ir.model.fields.selection"].search(
        [("field_id", "=", field.id), ("value", "=", "external")]
    )
    selection.with_context(lang="ru_RU").name = "Внешний"
    env.registry.clear_cache()


class FiguresCase(TransactionCase):
    """A process of three steps (norms: 1 working day, 4 hours, none) on a calendar of
    8-12 and 13-17, Monday to Friday, in UTC: 8 working hours a day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        russian_labels(cls.env)
        cls.calendar = cls.env["resource.calendar"].create({"name": "LF 8-12 13-17 UTC", "tz": "UTC"})
        cls.env.company.resource_calendar_id = cls.calendar
        cls.architect = new_test_user(
            cls.env, login="lf_architect", groups="base.group_user,linear_crm.group_process_architect"
        )
        cls.process = cls.env["linear.process"].create(
            {
                "name": "Выполнение заказа клиента",
                "architect_id": cls.architect.id,
                "customer": "Внешний клиент (покупатель)",
                "customer_kind": "external",
                "step_ids": [
                    Command.create(
                        {
                            "name": "Обработка заявки",
                            "sequence": 10,
                            "norm_duration": 1,
                            "norm_unit": "working_days",
                        }
                    ),
                    Command.create(
                        {"name": "Получение оплаты", "sequence": 20, "norm_duration": 4, "norm_unit": "hours"}
                    ),
                    Command.create({"name": "Доставка заказа", "sequence": 30, "norm_duration": 0}),
                ],
            }
        )
        cls.step_days, cls.step_hours, cls.step_free = cls.process.step_ids.sorted("sequence")

    @classmethod
    def _timing(cls, step, entered_at, left_at, res_id):
        return cls.env["linear.step.timing"].create(
            {
                "res_model": "crm.lead",
                "res_id": res_id,
                "step_id": step.id,
                "entered_at": entered_at,
                "left_at": left_at,
            }
        )


@tagged("post_install", "-at_install")
class TestWorkingTime(FiguresCase):
    def test_weekend_is_not_working_time(self):
        """Friday 15:00 to Monday 11:00: 68 hours on the wall clock, 5 working hours."""
        timing = self._timing(self.step_days, datetime(2026, 3, 20, 15, 0), datetime(2026, 3, 23, 11, 0), 1)
        self.assertAlmostEqual(timing.duration_hours, 68.0, msg="the wall clock stays, named as such")
        self.assertAlmostEqual(timing.work_hours, 5.0)
        self.assertAlmostEqual(timing.work_days, 0.625)
        self.assertEqual((timing.norm_duration, timing.norm_unit), (1, "working_days"))
        self.assertAlmostEqual(timing.norm_work_hours, 8.0)
        self.assertAlmostEqual(timing.norm_work_days, 1.0)
        self.assertFalse(timing.over_norm, "5 working hours keep a norm of 1 working day")

    def test_holidays_of_the_calendar_are_not_working_time(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "LF holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 3, 23, 0, 0),
                "date_to": datetime(2026, 3, 23, 23, 59, 59),
            }
        )
        timing = self._timing(self.step_days, datetime(2026, 3, 20, 15, 0), datetime(2026, 3, 24, 11, 0), 2)
        self.assertAlmostEqual(timing.work_hours, 5.0, msg="Friday 2 h, Monday off, Tuesday 3 h")

    def test_over_norm_in_the_norms_unit(self):
        late = self._timing(self.step_days, TUESDAY, datetime(2026, 3, 18, 12, 0), 3)  # 1.5 days
        self.assertAlmostEqual(late.work_days, 1.5)
        self.assertTrue(late.over_norm)
        hours = self._timing(self.step_hours, TUESDAY, datetime(2026, 3, 17, 14, 0), 4)  # 5 h
        self.assertTrue(hours.over_norm)
        free = self._timing(self.step_free, TUESDAY, datetime(2026, 3, 27, 17, 0), 5)
        self.assertFalse(free.over_norm, "a step without a norm is never late")
        still_in = self._timing(self.step_days, TUESDAY, False, 6)
        self.assertEqual((still_in.work_hours, still_in.over_norm), (0.0, False))

    def test_norm_is_a_snapshot_of_the_step_at_entry(self):
        timing = self._timing(self.step_days, TUESDAY, datetime(2026, 3, 18, 12, 0), 7)
        self.step_days.norm_duration = 2
        self.assertEqual(timing.norm_duration, 1, "history keeps the norm it was held to")


@tagged("post_install", "-at_install")
class TestBoardFigures(FiguresCase):
    def board_steps(self, lang):
        data = self.process.with_context(lang=lang).get_board_data()
        return data, {step["id"]: step for step in data["steps"]}

    def test_only_step_with_data_within_norm_is_no_bottleneck(self):
        """The demo's case: one lead spent 6 minutes in a step of 1 working day."""
        self._timing(self.step_days, TUESDAY, datetime(2026, 3, 17, 8, 6), 1)
        _data, steps = self.board_steps("en_US")
        timing = steps[self.step_days.id]["timing"]
        self.assertEqual(timing["status"], "ok")
        self.assertNotIn("Bottleneck", timing["label"])
        self.assertIn("Median 0.1 hours, norm 1 working day", timing["label"])
        self.assertIn("0% over norm", timing["label"])
        self.assertIn("1 document", timing["label"])
        self.assertFalse(
            self.env["linear.step.timing"]._figures_for_process(self.process)["bottleneck_step_id"]
        )

    def test_board_in_russian_agrees_and_uses_the_decimal_comma(self):
        for res_id, left_at in enumerate(
            [datetime(2026, 3, 17, 12, 0), datetime(2026, 3, 18, 12, 0), datetime(2026, 3, 19, 12, 0)], 10
        ):
            self._timing(self.step_days, TUESDAY, left_at, res_id)  # 0.5, 1.5 and 2.5 working days
        self._timing(self.step_hours, TUESDAY, datetime(2026, 3, 17, 11, 0), 20)  # 3 hours of 4
        data, steps = self.board_steps("ru_RU")
        first = steps[self.step_days.id]
        self.assertEqual(first["norm_text"], "1 рабочий день")
        self.assertEqual(steps[self.step_hours.id]["norm_text"], "4 часа")
        self.assertEqual(steps[self.step_free.id]["norm_text"], "")
        label = first["timing"]["label"]
        self.assertIn("1,5 рабочего дня", label)
        self.assertIn("1 рабочий день", label)
        self.assertIn("3 документа", label)
        self.assertIn("67", label)
        self.assertNotIn("1.5", label)
        self.assertEqual(first["timing"]["status"], "bottleneck")
        self.assertEqual(first["timing"]["unit"], "working_days")
        second = steps[self.step_hours.id]["timing"]
        self.assertEqual(second["status"], "ok")
        self.assertIn("3 часа", second["label"])
        self.assertIn("4 часа", second["label"])
        self.assertEqual(data["customer_text"], "Внешний клиент (покупатель)")

    def test_norm_text_in_english(self):
        self.step_hours.norm_duration = 1
        self.step_free.write({"norm_duration": 0.5, "norm_unit": "working_days"})
        _data, steps = self.board_steps("en_US")
        self.assertEqual(steps[self.step_days.id]["norm_text"], "1 working day")
        self.assertEqual(steps[self.step_hours.id]["norm_text"], "1 hour")
        self.assertEqual(steps[self.step_free.id]["norm_text"], "0.5 working days")


@tagged("post_install", "-at_install")
class TestNoData(FiguresCase):
    def test_kpi_over_no_records_is_no_data(self):
        """An average over nothing is not a 0 that would be «On track» for lower-is-better."""
        Kpi = self.env["linear.process.kpi"]
        kpi = Kpi.create(
            {
                "process_id": self.process.id,
                "name": "Среднее время обработки заявки",
                "source": "computed",
                "model_id": self.env["ir.model"]._get_id("linear.step.timing"),
                "domain": str([("step_id", "=", self.step_days.id)]),
                "aggregate": "avg",
                "value_field_id": self.env.ref("linear_crm.field_linear_step_timing__work_hours").id,
                "date_field_id": self.env.ref("linear_crm.field_linear_step_timing__left_at").id,
                "target": 8,
                "direction": "lower",
            }
        )
        self.assertEqual(kpi.status, "no_data")
        board_kpi = next(k for k in self.process.get_board_data()["kpis"] if k["id"] == kpi.id)
        self.assertEqual((board_kpi["status"], board_kpi["value"]), ("no_data", None))
        self.assertEqual(board_kpi["status_label"], "No data")
        total = Kpi.create(dict(kpi.copy_data()[0], process_id=self.process.id, aggregate="sum"))
        self.assertEqual(total.status, "no_data")


@tagged("post_install", "-at_install")
class TestNoMeaninglessSums(TransactionCase):
    def test_norms_are_not_summed(self):
        step_fields = self.env["linear.process.step"].fields_get(["norm_duration"], ["aggregator"])
        self.assertFalse(step_fields["norm_duration"].get("aggregator"), "hours and days do not add up")
        Timing = self.env["linear.step.timing"]
        timing_fields = Timing.fields_get(attributes=["aggregator"])
        pivot = etree.fromstring(Timing.get_view(view_type="pivot")["arch"])
        measures = [node.get("name") for node in pivot.iter("field") if node.get("type") == "measure"]
        self.assertIn("work_hours", measures)
        self.assertIn("norm_work_hours", measures)
        for name in [*measures, "norm_hours", "norm_work_days", "norm_duration"]:
            self.assertNotEqual(timing_fields[name].get("aggregator"), "sum", name)
        for view in ("linear_crm.linear_process_step_view_list_table", "linear_crm.linear_process_view_form"):
            arch = etree.fromstring(self.env.ref(view).arch)
            self.assertFalse(arch.xpath("//field[@name='norm_duration'][@sum]"), view)

    def test_names_keep_their_width(self):
        table = etree.fromstring(self.env.ref("linear_crm.linear_process_step_view_list_table").arch)
        self.assertTrue(table.xpath("//list/field[@name='name'][@width]"))
        self.assertEqual(table.xpath("//list/field[@name='notes']/@optional"), ["hide"])
        form = etree.fromstring(self.env.ref("linear_crm.linear_process_view_form").arch)
        self.assertTrue(form.xpath("//field[@name='step_ids']/list/field[@name='name'][@width]"))
        step_form = etree.fromstring(self.env.ref("linear_crm.linear_process_step_view_form").arch)
        self.assertTrue(step_form.xpath("//field[@name='action_ids']/list/field[@name='name'][@width]"))


@tagged("post_install", "-at_install")
class TestRegulationNumerals(FiguresCase):
    def test_pdf_and_xlsx_regulation_in_russian(self):
        reader = new_test_user(
            self.env,
            login="lf_ru_reader",
            groups="base.group_user,linear_crm.group_process_architect",
            lang="ru_RU",
        )
        self.step_days.norm_duration = 3
        self.step_free.write({"norm_duration": 0.5, "norm_unit": "working_days"})
        self.step_hours.norm_duration = 8
        Report = self.env["ir.actions.report"].with_user(reader)
        content, _type = Report._render_xlsx("linear_crm.process_regulation_xlsx", self.process.ids, {})
        rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
        numbered = {row[0]: row for row in rows if row[0] in (1, 2, 3) and row[1]}
        self.assertEqual(numbered[1][5], "3 рабочих дня")
        self.assertEqual(numbered[2][5], "8 часов")
        self.assertEqual(numbered[3][5], "0,5 рабочего дня")
        html, _type = Report._render_qweb_html(
            "linear_crm.action_report_process_regulation", self.process.ids
        )
        html = html.decode()
        for text in ("3 рабочих дня", "8 часов", "0,5 рабочего дня"):
            self.assertIn(text, html)
        self.assertNotIn("(покупатель) (", html, "the customer's kind is not repeated")


@tagged("post_install", "-at_install")
class TestBoardOverJsonRpc(HttpCase):
    """A salesperson reads the board in Russian over JSON-RPC, as the browser does."""

    def test_salesperson_reads_agreeing_figures(self):
        russian_labels(self.env)
        self.env.company.resource_calendar_id = self.env["resource.calendar"].create(
            {"name": "LF RPC 8-12 13-17 UTC", "tz": "UTC"}
        )
        architect = new_test_user(
            self.env, login="lf_rpc_architect", groups="base.group_user,linear_crm.group_process_architect"
        )
        new_test_user(self.env, login="lf_rpc_sales", groups="sales_team.group_sale_salesman", lang="ru_RU")
        process = self.env["linear.process"].create(
            {
                "name": "Выполнение заказа клиента",
                "architect_id": architect.id,
                "customer": "Внешний клиент (покупатель)",
                "step_ids": [
                    Command.create(
                        {
                            "name": "Обработка заявки",
                            "norm_duration": 1,
                            "norm_unit": "working_days",
                            "result_ids": [Command.create({"name": "Заявка зарегистрирована"})],
                        }
                    )
                ],
            }
        )
        process.with_user(architect).action_approve()
        step = process.step_ids
        for res_id, left_at in enumerate([datetime(2026, 3, 17, 12, 0), datetime(2026, 3, 18, 12, 0)], 1):
            self.env["linear.step.timing"].create(
                {
                    "res_model": "crm.lead",
                    "res_id": res_id,
                    "step_id": step.id,
                    "entered_at": TUESDAY,
                    "left_at": left_at,
                }
            )
        self.authenticate("lf_rpc_sales", "lf_rpc_sales")
        data = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "linear.process",
                "method": "get_board_data",
                "args": [[process.id]],
                # A forged context key changes nothing: figures are read by the engine.
                "kwargs": {"context": {"lang": "ru_RU", "linear_skip_gate": True}},
            },
        )
        board_step = data["steps"][0]
        self.assertEqual(board_step["norm_text"], "1 рабочий день")
        self.assertIn("1 рабочий день", board_step["timing"]["label"])
        self.assertIn("2 документа", board_step["timing"]["label"])
        self.assertEqual(board_step["timing"]["status"], "ok", "median 1 day keeps a norm of 1 day")
        self.assertEqual(data["customer_text"], "Внешний клиент (покупатель)")


WIDTH_CHECK = """
(async () => {
    const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const find = async (selector) => {
        for (let attempt = 0; attempt < 200; attempt++) {
            const element = document.querySelector(selector);
            if (element) {
                return element;
            }
            await pause(100);
        }
        throw new Error(`not found: ${selector}`);
    };
    if (%(open_group)s) {
        (await find(".o_group_header")).click();
    }
    const header = await find('%(table)s th[data-name="name"]');
    header.scrollIntoView({ block: "start" });
    await find('%(table)s td[name="name"]');
    await pause(500);  // the list settles its column widths after rendering
    const width = header.getBoundingClientRect().width;
    const cut = [...document.querySelectorAll('%(table)s td[name="name"]')]
        .filter((cell) => cell.scrollWidth > cell.clientWidth + 1)
        .map((cell) => cell.textContent.trim());
    console.log(`name column: ${Math.round(width)} px at ${window.innerWidth} px, cut: ${cut.length}`);
    if (width < 170 || cut.length) {
        console.error(`step names are squeezed: ${Math.round(width)} px, cut: ${cut.join(", ")}`);
    } else {
        console.log("test successful");
    }
})();
"""


@tagged("post_install", "-at_install")
class TestTableWidthsUi(HttpCase):
    """At 1600 px, in Russian, step and action names are readable in the three tables that squeezed
    them to «Обработк…»: the process body, the Process Table and the Planned Actions."""

    browser_size = "1600x900"

    def test_name_columns_are_not_squeezed(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        new_test_user(
            self.env,
            login="lf_ui_ru",
            groups="base.group_user,linear_crm.group_process_architect,sales_team.group_sale_manager",
            lang="ru_RU",
        )
        process = self.env.ref("linear_crm.demo_process_order")
        step = process.step_ids.filtered("action_ids")[:1]
        self.assertTrue(step, "the demo process has a step with planned actions")
        pages = [
            (
                f"/odoo/action-linear_crm.linear_process_action/{process.id}",
                ".o_field_one2many[name=step_ids]",
                0,
            ),
            ("/odoo/action-linear_crm.linear_process_step_action_table", ".o_list_renderer", 1),
            (
                f"/odoo/action-linear_crm.linear_process_step_action_table/{step.id}",
                ".o_field_one2many[name=action_ids]",
                0,
            ),
        ]
        for url, table, open_group in pages:
            with self.subTest(url=url):
                self.browser_js(
                    url,
                    WIDTH_CHECK % {"table": table, "open_group": open_group},
                    login="lf_ui_ru",
                    timeout=90,
                )


@tagged("post_install", "-at_install")
class TestTimingMigration(FiguresCase):
    def test_upgrade_recomputes_over_norm_in_working_time(self):
        """Rows stored before 19.0.1.1.0 said «over norm» when left after the activities' deadline."""
        timing = self._timing(self.step_days, TUESDAY, datetime(2026, 3, 18, 12, 0), 1)  # 1.5 days
        self.env.flush_all()
        self.env.cr.execute("UPDATE linear_step_timing SET over_norm = FALSE WHERE id = %s", [timing.id])
        timing.invalidate_recordset(["over_norm"])
        self.assertFalse(timing.over_norm)
        path = Path(__file__).resolve().parents[1] / "migrations" / "19.0.1.1.0" / "post-step-timing.py"
        spec = importlib.util.spec_from_file_location("linear_crm_post_step_timing", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.1.0.0")
        timing.invalidate_recordset(["over_norm"])
        self.assertTrue(timing.over_norm)
