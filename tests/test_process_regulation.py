# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import io
from unittest.mock import patch

from openpyxl import load_workbook

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import format_date
from odoo.tools.pdf import PdfReader
from odoo.tools.translate import code_translations

from ..linear_process.lib import regulation
from .common import ProcessCase

PDF_REPORT = "linear_crm.action_report_process_regulation"
XLSX_REPORT = "linear_crm.process_regulation_xlsx"


@tagged("post_install", "-at_install")
class TestProcessRegulation(ProcessCase):
    """The regulation of a process, as PDF (landscape) and XLSX, with its decomposition appended."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.env.ref("linear_crm.demo_process_order")
        cls.check_request = cls.env.ref("linear_crm.demo_process_check_request")
        cls.demo_user = cls.env.ref("base.user_demo")  # owner of both demo processes
        cls.demo_user.lang = "en_US"  # these tests read the English regulation (the demo speaks Russian)
        cls.Report = cls.env["ir.actions.report"]

    def render_xlsx(self, processes, user=None):
        Report = self.Report.with_user(user) if user else self.Report
        content, report_type = Report._render_xlsx(XLSX_REPORT, processes.ids, {})
        self.assertEqual(report_type, "xlsx")
        return load_workbook(io.BytesIO(content))

    def render_html(self, processes, user=None):
        Report = self.Report.with_user(user) if user else self.Report
        html, report_type = Report._render_qweb_html(PDF_REPORT, processes.ids)
        self.assertEqual(report_type, "html")
        return html.decode()

    def flush_tracking(self):
        """Write pending tracking values, as the end of a transaction would."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    @staticmethod
    def passport(sheet, heading="Passport"):
        """{label: value} of the passport block: pairs in B/C and D/E under its heading."""
        rows = list(sheet.iter_rows(values_only=True))
        start = next(index for index, row in enumerate(rows) if row[0] == heading)
        values = {}
        for row in rows[start + 1 :]:
            if not row[1]:
                break
            values[row[1]] = row[2]
            if row[3]:
                values[row[3]] = row[4]
        return values

    @staticmethod
    def table(sheet, first_header):
        """The rows under the header row whose first cell is `first_header`, up to the first gap."""
        rows = list(sheet.iter_rows(values_only=True))
        start = next(index for index, row in enumerate(rows) if row[0] == first_header and row[1])
        body = []
        for row in rows[start + 1 :]:
            if row[0] is None:
                break
            body.append(row)
        return rows[start], body

    # ------------------------------------------------------------------ PDF
    def test_pdf_demo_process_landscape_with_decomposition(self):
        pdf, report_type = (
            self.Report.with_user(self.demo_user)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(PDF_REPORT, res_ids=self.order.ids)
        )
        self.assertEqual(report_type, "pdf")
        reader = PdfReader(io.BytesIO(pdf))
        self.assertGreaterEqual(len(reader.pages), 2, "the child process starts on a page of its own")
        box = reader.pages[0].mediabox
        self.assertGreater(float(box.width), float(box.height), "A4 landscape")
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        for expected in (
            "Выполнение заказа клиента",  # the process
            "Обработка заявки",  # a step
            "Заявка клиента зарегистрирована",  # a result
            "Руководитель отдела продаж",  # a responsible position
            "Проверка заявки клиента",  # the child process
            "Принять и сохранить заявку",  # a step of the child process
        ):
            self.assertIn(expected, text)

    def test_report_actions_in_print_menu(self):
        model = self.env["ir.model"]._get("linear.process")
        for xmlid in (PDF_REPORT, "linear_crm.action_report_process_regulation_xlsx"):
            action = self.env.ref(xmlid)
            self.assertEqual(action.binding_model_id, model)
            self.assertEqual(action.binding_type, "report")
        pdf_action = self.env.ref(PDF_REPORT)
        self.assertEqual(pdf_action.paperformat_id.orientation, "Landscape")
        self.assertEqual(pdf_action.paperformat_id.format, "A4")

    # ------------------------------------------------------------------ XLSX
    def test_xlsx_demo_process(self):
        workbook = self.render_xlsx(self.order, user=self.demo_user)
        self.assertEqual(
            workbook.sheetnames, ["ОП-01 Выполнение заказа клиента", "ОП-01.1 Проверка заявки клиента"]
        )
        sheet = workbook.worksheets[0]
        self.assertEqual(sheet["A1"].value, "Process Regulation: ОП-01 Выполнение заказа клиента")
        passport = self.passport(sheet)
        self.assertEqual(passport["Name"], "Выполнение заказа клиента")
        self.assertEqual(passport["Code"], "ОП-01")
        self.assertEqual(passport["Type"], "Main")
        self.assertEqual(passport["Level"], "Process")
        self.assertEqual(passport["Customer of the Process"], "Внешний клиент (покупатель) (External)")
        self.assertEqual(passport["Owner"], self.demo_user.name)
        self.assertEqual(passport["Version"], "1")
        # approved by demo data, not through a tracked click
        self.assertEqual(passport["Approval"], "Approved")

        header, kpis = self.table(sheet, "No.")
        self.assertEqual(header[:6], ("No.", "KPI", "Unit", "Target", "Direction", "Period"))
        self.assertEqual(
            [row[1:6] for row in kpis],
            [
                ("Выручка от продаж", "₽", 1000000, "Higher is better", "Month"),
                ("Индекс удовлетворенности клиента", "%", 85, "Higher is better", "Quarter"),
                ("Среднее время обработки заявки", "ч", 8, "Lower is better", "Month"),
            ],
        )

        rows = list(sheet.iter_rows(values_only=True))
        step_header = next(row for row in rows if row[0] == "No." and row[1] == "Step")
        self.assertEqual(
            step_header,
            ("No.", "Step", "Results", "Responsible", "Executors", "Norm", "Inputs", "Outputs", "Notes"),
        )
        self.assertEqual(
            sheet.freeze_panes, f"A{rows.index(step_header) + 2}", "the steps header stays in view"
        )
        steps = rows[rows.index(step_header) + 1 :]
        self.assertEqual([row[0] for row in steps], [1, 2, 3, 4])
        first = steps[0]
        self.assertEqual(first[1], "Обработка заявки\nDecomposition: ОП-01.1 Проверка заявки клиента")
        self.assertEqual(
            first[2].splitlines(),
            [
                "Заявка клиента зарегистрирована (Informational, required)",
                "Счёт выставлен клиенту (Informational, required)",
            ],
        )
        self.assertEqual(first[3], "Руководитель отдела продаж")
        self.assertEqual(first[4], "Менеджер отдела продаж")
        self.assertEqual(first[5], "1 working day")
        self.assertIn("Закупка товара", first[8])
        self.assertEqual(steps[2][5], "8 hours")
        self.assertEqual(steps[2][2].splitlines()[0], "Товары собраны и упакованы (Material, required)")

        child = workbook.worksheets[1]
        self.assertEqual(child["A1"].value, "Process Regulation: 1. ОП-01.1 Проверка заявки клиента")
        self.assertEqual(
            child["A2"].value,
            "Decomposition of step 1 «Обработка заявки» of «Выполнение заказа клиента»",
        )
        self.assertEqual(self.passport(child)["Level"], "Procedure")
        child_rows = list(child.iter_rows(values_only=True))
        child_header = next(row for row in child_rows if row[0] == "No." and row[1] == "Step")
        child_steps = child_rows[child_rows.index(child_header) + 1 :]
        self.assertEqual(
            [row[1] for row in child_steps],
            ["Принять и сохранить заявку", "Открыть базу данных 1С: Торговля", "Проверить наличие товара"],
        )
        self.assertEqual(child_steps[0][5], "0.25 hours")

        # Printed on its own, the procedure still names the step it details.
        alone = self.render_xlsx(self.check_request, user=self.demo_user)
        self.assertEqual(alone.sheetnames, ["ОП-01.1 Проверка заявки клиента"])
        self.assertEqual(
            self.passport(alone.active)["Decomposes Step"], "1. Обработка заявки (Выполнение заказа клиента)"
        )

    def test_xlsx_nested_decomposition_and_approval(self):
        """Children come depth-first after their parent; an approved process says when and by whom."""
        root = self.make_process(name="Выполнение заказа", code="T-1")
        first, second = root.step_ids.sorted("sequence")
        child = self.make_process(name="Обработка заявки", code="T-1.1", parent_step_id=first.id)
        grandchild = self.make_process(
            name="Регистрация заявки", code="T-1.1.2", parent_step_id=child.step_ids.sorted("sequence")[1].id
        )
        self.make_process(name="Комплектация заказа", code="T-1.2", parent_step_id=second.id)
        self.flush_tracking()  # records created in this transaction are not tracked until it ends
        root.with_user(self.architect).action_approve()
        self.flush_tracking()

        workbook = self.render_xlsx(root, user=self.owner)
        self.assertEqual(
            workbook.sheetnames,
            [
                "T-1 Выполнение заказа",
                "T-1.1 Обработка заявки",
                "T-1.1.2 Регистрация заявки",
                "T-1.2 Комплектация заказа",
            ],
        )
        self.assertEqual(
            [sheet["A1"].value.split(": ", 1)[1] for sheet in workbook.worksheets[1:]],
            ["1. T-1.1 Обработка заявки", "1.2. T-1.1.2 Регистрация заявки", "2. T-1.2 Комплектация заказа"],
        )
        today = format_date(self.env, fields.Date.context_today(self.owner), lang_code=self.owner.lang)
        approval = self.passport(workbook.worksheets[0])["Approval"]
        self.assertEqual(approval, f"Approved on {today} by {self.architect.name}")
        self.assertEqual(
            self.passport(workbook.worksheets[2])["Decomposes Step"],
            "2. Комплектация заказа (Обработка заявки)",
        )
        self.assertEqual(grandchild.depth, 3)

    def test_unreadable_child_is_left_out(self):
        root = self.make_process(name="Выполнение заказа", code="T-2")
        self.make_process(
            name="Чужая процедура", parent_step_id=root.step_ids[0].id, owner_id=self.architect.id
        )
        workbook = self.render_xlsx(root, user=self.owner)
        self.assertEqual(workbook.sheetnames, ["T-2 Выполнение заказа"])

    def test_process_without_steps(self):
        empty = self.make_process(name="Пустой процесс", steps=())
        workbook = self.render_xlsx(empty, user=self.owner)
        self.assertEqual(workbook.sheetnames, ["Пустой процесс"])
        rows = list(workbook.active.iter_rows(values_only=True))
        header = next(row for row in rows if row[0] == "No." and row[1] == "Step")
        self.assertEqual(
            rows[rows.index(header) + 1][0], "No steps are described yet: the body of this process is empty."
        )
        self.assertIn("No goals are set.", [row[0] for row in rows])
        self.assertIn("No KPIs are set.", [row[0] for row in rows])
        html = self.render_html(empty, user=self.owner)
        self.assertIn("No steps are described yet", html)

    def test_reader_without_access_cannot_render(self):
        # lp_employee reads approved processes only; the strategy session is a draft of someone else.
        draft = self.env.ref("linear_crm.demo_process_strategy")
        with self.assertRaises(AccessError):
            self.render_xlsx(draft, user=self.employee)
        with self.assertRaises(AccessError):
            self.render_html(draft, user=self.employee)

    # ------------------------------------------------------------------ language
    def test_rendered_in_the_users_language(self):
        """Labels, field titles, selection values and dates follow the reader's language, not the
        language of the context the report is called from."""
        self.env["res.lang"]._activate_lang("ru_RU")
        reader = new_test_user(
            self.env,
            login="lp_ru_reader",
            groups="base.group_user,linear_crm.group_process_architect",
            lang="ru_RU",
        )
        Fields = self.env["ir.model.fields"].with_context(lang="ru_RU")
        Fields._get("linear.process.step", "responsible_job_id").field_description = "Ответственный"
        selection = self.env["ir.model.fields.selection"].search(
            [("field_id", "=", Fields._get("linear.process", "process_type").id), ("value", "=", "main")]
        )
        selection.with_context(lang="ru_RU").name = "Основной"
        self.env.registry.clear_cache()
        ru_code_terms = {
            "Process Regulation": "Регламент процесса",
            "Steps": "Шаги",
            "Printed on %(date)s by %(user)s": "Напечатано %(date)s, %(user)s",
        }
        with patch.dict(code_translations.python_translations, {("linear_crm", "ru_RU"): ru_code_terms}):
            workbook = self.render_xlsx(self.order.with_context(lang="en_US"), user=reader)
            html = self.render_html(self.order, user=reader)

        sheet = workbook.worksheets[0]
        self.assertEqual(sheet["A1"].value, "Регламент процесса: ОП-01 Выполнение заказа клиента")
        today = fields.Date.context_today(reader)
        self.assertEqual(sheet["A2"].value, f"Напечатано {today.strftime('%d.%m.%Y')}, {reader.name}")
        rows = list(sheet.iter_rows(values_only=True))
        self.assertIn("Шаги", [row[0] for row in rows])
        step_label = Fields._get("linear.process.step", "name").field_description  # as loaded for ru_RU
        step_header = next(row for row in rows if row[1] == step_label)
        self.assertEqual(step_header[3], "Ответственный")
        type_label = Fields._get("linear.process", "process_type").field_description  # as loaded for ru_RU
        self.assertEqual(self.passport(sheet)[type_label], "Основной")
        self.assertIn("Регламент процесса", html)
        self.assertIn("Ответственный", html)

    # ------------------------------------------------------------------ pure helpers
    def test_outline_guards_cycles_and_depth(self):
        graph = {
            "a": [("s1", "b"), ("s2", "c")],
            "b": [("s3", "a"), ("s4", "d")],
            "c": [("s5", "b")],
            "d": [],
        }
        listed = regulation.outline(["a"], lambda node: graph[node], max_depth=8)
        self.assertEqual(listed, [("a", 0, None), ("b", 1, "s1"), ("d", 2, "s4"), ("c", 1, "s2")])
        shallow = regulation.outline(["a"], lambda node: graph[node], max_depth=1)
        self.assertEqual([node for node, _depth, _link in shallow], ["a", "b", "c"])

    def test_sheet_names_are_valid_and_unique(self):
        used = set()
        names = [
            regulation.sheet_name(title, used)
            for title in (
                "ОП-01 Выполнение заказа клиента",
                "оп-01 выполнение заказа клиента",
                "A/B: [draft]*?",
                "'quoted'",
                "History",
                "",
                "X" * 40,
                "X" * 40,
            )
        ]
        self.assertEqual(
            names,
            [
                "ОП-01 Выполнение заказа клиента",
                "оп-01 выполнение заказа кли (2)",
                "A B draft",
                "quoted",
                "History (2)",
                "Sheet",
                "X" * 31,
                "X" * 27 + " (2)",
            ],
        )
        self.assertTrue(all(len(name) <= 31 for name in names))

    def test_trim_zeros(self):
        self.assertEqual(regulation.trim_zeros("1,000,000.00", "."), "1,000,000")
        self.assertEqual(regulation.trim_zeros("0,25", ","), "0,25")
        self.assertEqual(regulation.trim_zeros("0.10", "."), "0.1")
        self.assertEqual(regulation.trim_zeros("12", "."), "12")
