# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models
from odoo.tools.misc import format_date

from ..lib import sales_xlsx

# Sheets in workbook order; `data["sheets"]` may ask for a subset (one report's own export).
SHEETS = ("funnel", "managers", "discipline", "channels", "forecast", "process")
HEADER_ROW = 3  # title, filters, blank line, then the table header


class ReportSalesAnalyticsXlsx(models.AbstractModel):
    """The sales analytics as a workbook: one formatted sheet per report, each with a native
    Excel chart, read from ``linear.sales.analytics`` with the dashboard's filters.

    Runs as the user who asked (report_xlsx drops sudo), so a salesperson's workbook holds what the
    API shows them: their own figures, a team leader's the team's.
    """

    _name = "report.linear_crm.sales_analytics_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Sales Analytics (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        data = data if isinstance(data, dict) else {}
        filters = sales_xlsx.clean_filters(data.get("filters"))
        wanted = [sheet for sheet in (data.get("sheets") or SHEETS) if sheet in SHEETS] or SHEETS
        styles = self._sales_styles(workbook)
        analytics = self.env["linear.sales.analytics"]
        subtitle = self._sales_filters_text(filters)
        for sheet in SHEETS:
            if sheet in wanted:
                getattr(self, f"_sheet_{sheet}")(workbook, styles, analytics, filters, subtitle)

    # ------------------------------------------------------------------ formats
    def _sales_styles(self, workbook):
        currency = self.env.company.currency_id
        money = self._report_xlsx_currency_format(currency)
        border = {"border": 1, "border_color": "#BFBFBF"}
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "subtitle": workbook.add_format({"italic": True, "font_color": "#595959"}),
            "header": workbook.add_format(
                dict(
                    border,
                    bold=True,
                    bg_color="#1F4E78",
                    font_color="#FFFFFF",
                    text_wrap=True,
                    valign="vcenter",
                )
            ),
            "text": workbook.add_format(border),
            "int": workbook.add_format(dict(border, num_format="#,##0")),
            "float": workbook.add_format(dict(border, num_format="#,##0.0")),
            "percent": workbook.add_format(dict(border, num_format="0.0%")),
            "money": workbook.add_format(dict(border, num_format=money)),
            "bool": workbook.add_format(dict(border, align="center")),
            "total": workbook.add_format(dict(border, bold=True, bg_color="#DDEBF7")),
            "total_int": workbook.add_format(dict(border, bold=True, bg_color="#DDEBF7", num_format="#,##0")),
            "total_money": workbook.add_format(dict(border, bold=True, bg_color="#DDEBF7", num_format=money)),
            "note": workbook.add_format({"italic": True, "font_color": "#808080"}),
        }

    def _sales_filters_text(self, filters):
        # The period the API really uses (it defaults missing dates).
        period = self.env["linear.sales.analytics"]._linear_filters(filters)
        parts = [
            self.env._(
                "Period: %(start)s – %(end)s",
                start=format_date(self.env, period["date_from"]),
                end=format_date(self.env, period["date_to"]),
            )
        ]
        for key, model in (("team_id", "crm.team"), ("user_id", "res.users"), ("source_id", "utm.source")):
            if filters[key]:
                # The name of a record the user may not read is not printed (forged filter).
                record = self.env[model].browse(filters[key]).exists()
                name = record.display_name if record and record.has_access("read") else f"#{filters[key]}"
                parts.append(f"{self.env[model]._description}: {name}")
        return "; ".join(parts)

    # ------------------------------------------------------------------ table writer
    def _write_table(self, workbook, styles, title, subtitle, columns, rows, message=False):
        """A sheet with title, filters, a header row (frozen, autofiltered) and one row per API
        row; ``columns`` are (label, width, kind, getter). Returns (sheet, first_row, last_row)
        of the data, last_row < first_row when there is none."""
        sheet = workbook.add_worksheet(title)
        sheet.write(0, 0, title, styles["title"])
        sheet.write(1, 0, subtitle, styles["subtitle"])
        if message:
            sheet.write(2, 0, message, styles["note"])
        for column, (name, width, _kind, _getter) in enumerate(columns):
            sheet.set_column(column, column, width)
            sheet.write(HEADER_ROW, column, name, styles["header"])
        sheet.set_row(HEADER_ROW, 30)
        sheet.freeze_panes(HEADER_ROW + 1, 1)
        row_index = HEADER_ROW
        for row in rows:
            row_index += 1
            for column, (_name, _width, kind, getter) in enumerate(columns):
                value = getter(row)
                if kind == "text":
                    sheet.write_string(row_index, column, str(sales_xlsx.label(value)), styles["text"])
                elif kind == "bool":
                    sheet.write_string(row_index, column, "✔" if value else "", styles["bool"])
                elif value is None or value is False:  # unknown (no cost, no target), not zero
                    sheet.write_blank(row_index, column, None, styles[kind])
                else:
                    sheet.write_number(row_index, column, sales_xlsx.number(value), styles[kind])
        first, last = HEADER_ROW + 1, row_index
        sheet.autofilter(HEADER_ROW, 0, max(last, HEADER_ROW), len(columns) - 1)
        if last < first:
            sheet.write(HEADER_ROW + 1, 0, self.env._("No data for this period"), styles["note"])
        return sheet, first, last

    def _add_chart(
        self, workbook, sheet, kind, title, series, first, last, anchor, subtype=None, reverse=False
    ):
        """A native chart over the table: ``series`` are (name, column index); categories from
        column A. Nothing is drawn for an empty table."""
        if last < first:
            return None
        options = {"type": kind}
        if subtype:
            options["subtype"] = subtype
        chart = workbook.add_chart(options)
        name = sheet.get_name()
        for series_name, column in series:
            chart.add_series(
                {
                    "name": series_name,
                    "categories": [name, first, 0, last, 0],
                    "values": [name, first, column, last, column],
                }
            )
        chart.set_title({"name": title})
        chart.set_legend({"position": "bottom"})
        if reverse:  # horizontal bars: first stage on top, like a funnel
            chart.set_y_axis({"reverse": True})
        chart.set_size({"width": 640, "height": 360})
        sheet.insert_chart(anchor, chart)
        return chart

    # ------------------------------------------------------------------ sheets
    def _sheet_funnel(self, workbook, styles, analytics, filters, subtitle):
        result = analytics.funnel(filters)
        columns = [
            (self.env._("Stage"), 28, "text", lambda r: r.get("name")),
            (self.env._("Entered"), 11, "int", lambda r: r.get("entered")),
            (self.env._("Moved Forward"), 11, "int", lambda r: r.get("forward")),
            (self.env._("Lost Here"), 11, "int", lambda r: r.get("lost")),
            (self.env._("Won Later"), 11, "int", lambda r: r.get("won_later")),
            (self.env._("Conversion to Next"), 13, "percent", lambda r: r.get("conversion_next")),
            (self.env._("Cumulative Conversion"), 13, "percent", lambda r: r.get("conversion_cumulative")),
            (self.env._("Average Hours in Stage"), 13, "float", lambda r: r.get("avg_hours")),
            (self.env._("Median Hours in Stage"), 13, "float", lambda r: r.get("median_hours")),
        ]
        sheet, first, last = self._write_table(
            workbook,
            styles,
            self.env._("Funnel"),
            subtitle,
            columns,
            result.get("stages") or [],
            result.get("message"),
        )
        if not any(stage.get("entered") for stage in result.get("stages") or []):
            return  # the stages are listed with zeros; a chart of zeros says nothing
        self._add_chart(
            workbook,
            sheet,
            "bar",
            self.env._("Leads per Stage"),
            [(self.env._("Entered"), 1), (self.env._("Won Later"), 4)],
            first,
            last,
            "K4",
            reverse=True,
        )

    def _sheet_managers(self, workbook, styles, analytics, filters, subtitle):
        rows = analytics.managers(filters).get("rows") or []
        columns = [
            (self.env._("Salesperson"), 24, "text", lambda r: r.get("name")),
            (self.env._("New Leads"), 10, "int", lambda r: r.get("new_leads")),
            (
                self.env._("First Response, Median Hours"),
                14,
                "float",
                lambda r: r.get("first_response_median_hours"),
            ),
            (self.env._("Calls In"), 9, "int", lambda r: r.get("calls_in")),
            (self.env._("Calls Out"), 9, "int", lambda r: r.get("calls_out")),
            (self.env._("Calls Missed"), 9, "int", lambda r: r.get("calls_missed")),
            (self.env._("Messages"), 10, "int", lambda r: r.get("messages")),
            (self.env._("Activities Done"), 10, "int", lambda r: r.get("activities_done")),
            (self.env._("Activities Overdue"), 10, "int", lambda r: r.get("activities_overdue")),
            (self.env._("Won"), 8, "int", lambda r: r.get("won_count")),
            (self.env._("Win Rate"), 9, "percent", lambda r: r.get("win_rate")),
            (self.env._("Revenue Won"), 15, "money", lambda r: r.get("revenue_won")),
            (self.env._("Average Deal"), 14, "money", lambda r: r.get("average_deal")),
            (self.env._("Average Cycle, Days"), 10, "float", lambda r: r.get("average_cycle_days")),
            (self.env._("Objections"), 36, "text", lambda r: sales_xlsx.objections_text(r.get("objections"))),
        ]
        sheet, first, last = self._write_table(
            workbook, styles, self.env._("Managers"), subtitle, columns, rows
        )
        self._add_chart(
            workbook,
            sheet,
            "column",
            self.env._("Revenue Won"),
            [(self.env._("Revenue Won"), 11)],
            first,
            last,
            "B" + str(last + 4),
        )

    def _sheet_discipline(self, workbook, styles, analytics, filters, subtitle):
        rows = analytics.discipline(filters).get("rows") or []
        columns = [
            (self.env._("Salesperson"), 24, "text", lambda r: r.get("name")),
            (self.env._("Leads without Next Activity"), 14, "int", lambda r: r.get("no_next_activity")),
            (self.env._("Overdue Actions"), 12, "int", lambda r: r.get("overdue_actions")),
            (self.env._("Untouched Leads"), 12, "int", lambda r: r.get("untouched")),
        ]
        sheet, first, last = self._write_table(
            workbook, styles, self.env._("Discipline"), subtitle, columns, rows
        )
        self._add_chart(
            workbook,
            sheet,
            "column",
            self.env._("Discipline"),
            [(columns[1][0], 1), (columns[2][0], 2), (columns[3][0], 3)],
            first,
            last,
            "G4",
            subtype="stacked",
        )

    def _sheet_channels(self, workbook, styles, analytics, filters, subtitle):
        rows = analytics.channels(filters).get("rows") or []
        columns = [
            (
                self.env._("Source"),
                22,
                "text",
                lambda r: sales_xlsx.row_label(r, "source") or self.env._("(none)"),
            ),
            (self.env._("Medium"), 16, "text", lambda r: sales_xlsx.row_label(r, "medium")),
            (self.env._("Campaign"), 20, "text", lambda r: sales_xlsx.row_label(r, "campaign")),
            (self.env._("Leads"), 9, "int", lambda r: r.get("leads")),
            (self.env._("Won"), 8, "int", lambda r: r.get("won")),
            (self.env._("Revenue"), 15, "money", lambda r: r.get("revenue")),
            (self.env._("Conversion"), 10, "percent", lambda r: r.get("conversion")),
            (self.env._("Cost"), 14, "money", lambda r: r.get("cost")),
            (self.env._("Cost per Lead"), 13, "money", lambda r: r.get("cost_per_lead")),
            (self.env._("CAC"), 13, "money", lambda r: r.get("cac")),
            (self.env._("ROMI"), 10, "percent", lambda r: r.get("romi")),
        ]
        sheet, first, last = self._write_table(
            workbook, styles, self.env._("Channels"), subtitle, columns, rows
        )
        self._add_chart(
            workbook,
            sheet,
            "column",
            self.env._("Revenue and Cost per Channel"),
            [(self.env._("Revenue"), 5), (self.env._("Cost"), 7)],
            first,
            last,
            "B" + str(last + 4),
        )

    def _sheet_forecast(self, workbook, styles, analytics, filters, subtitle):
        rows = analytics.forecast(filters).get("rows") or []
        columns = [
            (self.env._("Month"), 12, "text", lambda r: r.get("month")),
            (self.env._("Sales Team"), 22, "text", lambda r: sales_xlsx.row_label(r, "team")),
            (self.env._("Salesperson"), 22, "text", lambda r: sales_xlsx.row_label(r, "user")),
            (self.env._("Expected Revenue"), 15, "money", lambda r: r.get("expected")),
            (self.env._("Weighted Revenue"), 15, "money", lambda r: r.get("weighted")),
            (self.env._("Target"), 15, "money", lambda r: r.get("target")),
            (
                self.env._("Weighted / Target"),
                11,
                "percent",
                lambda r: sales_xlsx.ratio(r.get("weighted"), r.get("target")),
            ),
        ]
        sheet, first, last = self._write_table(
            workbook, styles, self.env._("Forecast"), subtitle, columns, rows
        )
        if last < first:
            return
        # The chart reads a per-month summary written under the table: rows are per team and user.
        top = last + 3
        sheet.write(top - 1, 0, self.env._("Per Month"), styles["total"])
        for column, name in enumerate(
            (
                self.env._("Month"),
                self.env._("Expected Revenue"),
                self.env._("Weighted Revenue"),
                self.env._("Target"),
            )
        ):
            sheet.write(top, column, name, styles["header"])
        months = sales_xlsx.month_totals(rows)
        for offset, (month, totals) in enumerate(months, 1):
            sheet.write_string(top + offset, 0, month, styles["total"])
            sheet.write_number(top + offset, 1, totals["expected"], styles["total_money"])
            sheet.write_number(top + offset, 2, totals["weighted"], styles["total_money"])
            sheet.write_number(top + offset, 3, totals["target"], styles["total_money"])
        self._add_chart(
            workbook,
            sheet,
            "column",
            self.env._("Weighted Pipeline against Target"),
            [(self.env._("Weighted Revenue"), 2), (self.env._("Target"), 3)],
            top + 1,
            top + len(months),
            "I4",
        )

    def _sheet_process(self, workbook, styles, analytics, filters, subtitle):
        result = analytics.process(filters)
        rows = result.get("steps") or result.get("rows") or []
        columns = [
            (self.env._("Step"), 28, "text", lambda r: r.get("name")),
            (self.env._("Average Hours"), 12, "float", lambda r: r.get("avg_hours")),
            (self.env._("Median Hours"), 12, "float", lambda r: r.get("median_hours")),
            (self.env._("Norm, Hours"), 12, "float", lambda r: r.get("norm_hours")),
            (self.env._("Overdue Share"), 11, "percent", lambda r: r.get("overdue_share")),
            (self.env._("Bottleneck"), 11, "bool", lambda r: r.get("bottleneck")),
        ]
        sheet, first, last = self._write_table(
            workbook, styles, self.env._("Process"), subtitle, columns, rows, result.get("message")
        )
        self._add_chart(
            workbook,
            sheet,
            "bar",
            self.env._("Time in Step against Norm"),
            [(self.env._("Average Hours"), 1), (self.env._("Norm, Hours"), 3)],
            first,
            last,
            "H4",
            reverse=True,
        )
