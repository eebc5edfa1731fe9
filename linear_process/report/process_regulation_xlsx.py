# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models

from ..lib import regulation as regulation_lib

# Width of the columns A..I: No., step, results, responsible, executors, norm, inputs, outputs, notes.
COLUMN_WIDTHS = (6, 30, 44, 24, 24, 16, 28, 28, 36)
LAST_COLUMN = len(COLUMN_WIDTHS) - 1
# The steps header is frozen with everything above it; past this many rows the frozen block would
# fill the screen, so long passports are left unfrozen.
FREEZE_MAX_ROWS = 30


class ReportProcessRegulationXlsx(models.AbstractModel):
    """The process regulation as a workbook: one sheet per process, its decomposition on further
    sheets. The content comes from the PDF's builder, so both documents say the same."""

    _name = "report.linear_crm.process_regulation_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Process Regulation (XLSX)"

    def generate_xlsx_report(self, workbook, data, processes):
        builder = self.env["report.linear_crm.report_process_regulation"]
        processes = builder._regulation_processes(processes.ids)
        builder = builder.with_context(lang=processes.env.lang)
        styles = self._regulation_styles(workbook)
        used_names = set()
        for process in processes:
            regulation = builder._regulation(process)
            for section in regulation["sections"]:
                name = regulation_lib.sheet_name(section["title"], used_names)
                self._write_section(workbook.add_worksheet(name), styles, regulation, section)

    def _regulation_styles(self, workbook):
        cell = {"text_wrap": True, "valign": "top", "border": 1}
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "subtitle": workbook.add_format({"italic": True}),
            "heading": workbook.add_format({"bold": True, "font_size": 12, "bottom": 2}),
            "label": workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
            "value": workbook.add_format({"text_wrap": True, "valign": "top"}),
            "header": workbook.add_format(dict(cell, bold=True, bg_color="#D9E1F2")),
            "cell": workbook.add_format(cell),
            "center": workbook.add_format(dict(cell, align="center")),
            "number": workbook.add_format(dict(cell, num_format="#,##0.##")),
            "note": workbook.add_format({"italic": True, "font_color": "#666666"}),
        }

    def _write_section(self, sheet, styles, regulation, section):
        labels = regulation["labels"]
        for column, width in enumerate(COLUMN_WIDTHS):
            sheet.set_column(column, column, width)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)

        row = 0
        sheet.write(row, 0, f"{labels['document']}: {section['heading']}", styles["title"])
        row += 1
        if section["subtitle"]:
            sheet.write(row, 0, section["subtitle"], styles["subtitle"])
            row += 1
        sheet.write(row, 0, regulation["printed"], styles["note"])
        row += 2

        # Passport: two label/value pairs a row, in B/C and D/E:F.
        sheet.write(row, 0, labels["passport"], styles["heading"])
        row += 1
        passport = section["passport"]
        for start in range(0, len(passport), 2):
            label, value = passport[start]
            sheet.write(row, 1, label, styles["label"])
            sheet.write(row, 2, value, styles["value"])
            if start + 1 < len(passport):
                label, value = passport[start + 1]
                sheet.write(row, 3, label, styles["label"])
                sheet.merge_range(row, 4, row, 5, value, styles["value"])
            row += 1
        row += 1

        sheet.write(row, 0, labels["goals"], styles["heading"])
        row += 1
        for index, goal in enumerate(section["goals"], 1):
            sheet.write(row, 0, index, styles["center"])
            sheet.merge_range(row, 1, row, LAST_COLUMN, goal, styles["cell"])
            row += 1
        if not section["goals"]:
            sheet.write(row, 0, labels["no_goals"], styles["note"])
            row += 1
        row += 1

        sheet.write(row, 0, labels["kpis"], styles["heading"])
        row += 1
        if section["kpis"]:
            for column, (_key, title) in enumerate(regulation["kpi_columns"]):
                sheet.write(row, column, title, styles["header"])
            row += 1
            for kpi in section["kpis"]:
                sheet.write(row, 0, kpi["number"], styles["center"])
                sheet.write(row, 1, kpi["name"], styles["cell"])
                sheet.write(row, 2, kpi["unit"], styles["cell"])
                sheet.write_number(row, 3, kpi["target"], styles["number"])
                sheet.write(row, 4, kpi["direction"], styles["cell"])
                sheet.write(row, 5, kpi["period"], styles["cell"])
                row += 1
        else:
            sheet.write(row, 0, labels["no_kpis"], styles["note"])
            row += 1
        row += 1

        sheet.write(row, 0, labels["steps"], styles["heading"])
        row += 1
        header_row = row
        for column, (_key, title) in enumerate(regulation["step_columns"]):
            sheet.write(row, column, title, styles["header"])
        row += 1
        # Scrolling the steps keeps their header (and the passport above it) in view; printing
        # repeats the header on every page.
        if header_row < FREEZE_MAX_ROWS:
            sheet.freeze_panes(header_row + 1, 0)
        sheet.repeat_rows(header_row)
        for step in section["steps"]:
            name = "\n".join(filter(None, [step["name"], step["decomposition"]]))
            values = (
                name,
                "\n".join(result["text"] for result in step["results"]),
                step["responsible"],
                step["executors"],
                step["norm"],
                step["inputs"],
                step["outputs"],
                step["notes"],
            )
            sheet.write_number(row, 0, step["number"], styles["center"])
            for column, value in enumerate(values, 1):
                sheet.write_string(row, column, value, styles["cell"])
            row += 1
        if not section["steps"]:
            sheet.merge_range(row, 0, row, LAST_COLUMN, labels["no_steps"], styles["note"])
            row += 1
        return row
