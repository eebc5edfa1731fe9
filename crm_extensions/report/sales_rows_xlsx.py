# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..lib import sales_xlsx, xlsx_rows

# Models whose rows may be streamed; the report models and the history are read-only facts.
EXPORTABLE_MODELS = (
    "linear.stage.history",
    "linear.report.funnel",
    "linear.report.channel",
    "linear.report.forecast",
    "linear.marketing.cost",
    "linear.sales.target",
    "linear.step.timing",
)
SKIPPED_FIELDS = ("id", "create_uid", "create_date", "write_uid", "write_date")
SCALAR_TYPES = (
    "char",
    "text",
    "selection",
    "integer",
    "float",
    "monetary",
    "boolean",
    "date",
    "datetime",
    "many2one",
)
CURSOR_NAME = "linear_xlsx_rows"
# Day 0 of Excel's serial dates (1900 system, with its leap-year quirk).
EXCEL_EPOCH = "1899-12-30"
# The web client's default active_ids_limit: that many ids means "the whole domain is selected".
ACTIVE_IDS_LIMIT = 20000
# Excel's row limit, header included.
MAX_ROWS = 1_048_575


class ReportSalesRowsXlsx(models.AbstractModel):
    """Raw rows of the history and the report models, streamed: xlsxwriter in constant-memory
    mode (each row goes to a temporary file as written) fed by a server-side SQL cursor read in
    batches, so 100,000 rows cost a few megabytes of the worker (bench/bench_xlsx.py).

    The rows are those of ``Model._search(domain)`` as the requesting user: ACLs and record rules
    apply exactly as in the list view, and no ORM record is built.
    """

    _name = "report.linear_crm.sales_rows_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Sales Rows (XLSX, streamed)"

    def get_workbook_options(self):
        options = super().get_workbook_options()
        options.update(constant_memory=True, default_date_format="yyyy-mm-dd")
        return options

    def _get_objs_for_report(self, docids, data):
        # Nothing to browse: the rows are read by SQL in generate_xlsx_report.
        return self.env["res.users"]

    # ------------------------------------------------------------------ request
    @api.model
    def action_export_rows(self, model_name):
        """The download action of the rows of a list (server action "Export to Excel (fast)"):
        the selected rows, or the list's whole domain when all of it is selected (the web client
        then sends at most ``active_ids_limit`` ids but the domain)."""
        context = self.env.context
        ids = [i for i in context.get("active_ids") or [] if isinstance(i, int)]
        domain = context.get("active_domain") or []
        data = {"model": model_name}
        if model_name in self.env and (
            not ids
            or len(ids) >= ACTIVE_IDS_LIMIT
            or len(ids) >= self.env[model_name].search_count(domain, limit=len(ids) + 1)
        ):
            data["domain"] = domain
        else:
            data["ids"] = ids
        return {
            "type": "ir.actions.report",
            "report_type": "xlsx",
            "report_name": "linear_crm.sales_rows_xlsx",
            "report_file": "linear_crm.sales_rows_xlsx",
            "name": self.env._("Rows (XLSX)"),
            "data": data,
            "context": {},
        }

    def _rows_request(self, data):
        """(model, domain) from the report data or the action context, validated."""
        data = data if isinstance(data, dict) else {}
        context = data.get("context") if isinstance(data.get("context"), dict) else {}
        model_name = data.get("model") or context.get("active_model") or self.env.context.get("active_model")
        if model_name not in EXPORTABLE_MODELS or model_name not in self.env:
            raise UserError(self.env._("These rows cannot be exported to Excel: %(model)s", model=model_name))
        domain = data.get("domain") or context.get("active_domain")
        ids = data.get("ids") or context.get("active_ids")
        try:
            if domain:
                domain = Domain(domain)
            elif ids:
                domain = Domain("id", "in", [int(i) for i in ids])
            else:
                domain = Domain.TRUE
        except (TypeError, ValueError) as error:
            raise UserError(
                self.env._("The rows to export are not understood: %(error)s", error=error)
            ) from error
        return self.env[model_name], domain

    def _rows_columns(self, model, query, wanted=None):
        """(label, kind, SQL, selection labels) per exported field: stored scalar fields the user
        may read, many2one as the related record's name, datetimes in the user's time zone."""
        columns = []
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        alias = query.table
        for name, field in model._fields.items():
            if name in SKIPPED_FIELDS or not field.store or field.type not in SCALAR_TYPES:
                continue
            if wanted and name not in wanted:
                continue
            if not model._has_field_access(field, "read"):
                continue
            if field.type == "many2one":
                comodel = self.env[field.comodel_name]
                link = query.left_join(alias, name, comodel._table, "id", name)
                rec_name = comodel._rec_name or "id"
                if rec_name not in comodel._fields or not comodel._has_field_access(
                    comodel._fields[rec_name], "read"
                ):
                    rec_name = "id"
                sql = SQL("(%s)::text", comodel._field_to_sql(link, rec_name, query))
            else:
                # Dates leave PostgreSQL as Excel serial numbers: no Python date objects to build
                # and convert back, a third of the time of a large export.
                sql = model._field_to_sql(alias, name, query)
                if field.type == "datetime":
                    sql = SQL(
                        "(EXTRACT(EPOCH FROM ((%s AT TIME ZONE 'UTC') AT TIME ZONE %s) - %s::timestamp)"
                        " / 86400.0)::float8",
                        sql,
                        tz,
                        EXCEL_EPOCH,
                    )
                elif field.type == "date":
                    sql = SQL("(%s - %s::date)", sql, EXCEL_EPOCH)
            labels = dict(field._description_selection(self.env)) if field.type == "selection" else None
            kind = {
                "integer": "int",
                "float": "float",
                "monetary": "float",
                "boolean": "bool",
                "date": "date",
                "datetime": "datetime",
            }.get(field.type, "text")
            columns.append((field._description_string(self.env), kind, sql, labels))
        return columns

    # ------------------------------------------------------------------ workbook
    def generate_xlsx_report(self, workbook, data, objs):
        model, domain = self._rows_request(data)
        model.check_access("read")
        self.env.flush_all()
        try:
            query = model._search(domain, order="id")
        except ValueError as error:  # a domain on fields the model does not have
            raise UserError(
                self.env._("The rows to export are not understood: %(error)s", error=error)
            ) from error
        wanted = (
            data.get("fields") if isinstance(data, dict) and isinstance(data.get("fields"), list) else None
        )
        columns = self._rows_columns(model, query, wanted)
        if not columns:
            raise UserError(
                self.env._("There is no column you may read in %(model)s.", model=model._description)
            )
        formats = {
            "header": workbook.add_format(
                {
                    "bold": True,
                    "bg_color": "#1F4E78",
                    "font_color": "#FFFFFF",
                    "text_wrap": True,
                    "valign": "vcenter",
                }
            ),
            "int": workbook.add_format({"num_format": "#,##0"}),
            "float": workbook.add_format({"num_format": "#,##0.00"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }
        sheet = workbook.add_worksheet(model._description[:31])
        # Constant-memory mode writes row by row: header, freeze and widths first.
        for index, (label, kind, _sql, _labels) in enumerate(columns):
            sheet.set_column(index, index, 20 if kind in ("text", "datetime") else 12)
            sheet.write_string(0, index, label, formats["header"])
        sheet.freeze_panes(1, 0)
        count = self._stream_rows(sheet, formats, columns, query)
        sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
        if not count:
            sheet.write_string(1, 0, self.env._("No data for this period"))

    def _stream_rows(self, sheet, formats, columns, query):
        """Writes the query's rows under the header; returns how many."""
        cr = self.env.cr
        select = query.select(*(sql for _label, _kind, sql, _labels in columns))
        cr.execute(SQL("DECLARE %s NO SCROLL CURSOR FOR %s", SQL.identifier(CURSOR_NAME), select))
        write_batch = self._row_writer(sheet, formats, columns)
        row_index = 0
        try:
            while True:
                cr.execute(SQL("FETCH %s FROM %s", sales_xlsx.FETCH_BATCH, SQL.identifier(CURSOR_NAME)))
                batch = cr.fetchall()
                if not batch:
                    break
                if row_index + len(batch) > MAX_ROWS:
                    raise UserError(
                        self.env._(
                            "More than %(count)s rows: narrow the filter to export them.", count=MAX_ROWS
                        )
                    )
                write_batch(row_index + 1, batch)
                row_index += len(batch)
        finally:
            cr.execute(SQL("CLOSE %s", SQL.identifier(CURSOR_NAME)))
        return row_index

    def _row_writer(self, sheet, formats, columns):
        """A function writing a batch of rows from a given row on.

        In constant-memory mode each row goes to xlsxwriter's row file as one string built by
        lib/xlsx_rows.py (the same markup xlsxwriter writes cell by cell, about three times
        faster); otherwise, or with an xlsxwriter whose internals differ, cell by cell through
        its public API.
        """
        kinds, styles, labels = [], [], []
        for _label, kind, _sql, mapping in columns:
            number = kind in ("int", "float", "date", "datetime")
            kinds.append(
                xlsx_rows.NUMBER if number else xlsx_rows.BOOLEAN if kind == "bool" else xlsx_rows.TEXT
            )
            styles.append(formats[kind] if number else None)
            labels.append(mapping)
        if getattr(sheet, "constant_memory", False) and all(
            hasattr(sheet, name) for name in ("_write_single_row", "fh", "previous_row", "dim_rowmax")
        ):
            letters = xlsx_rows.column_letters(len(columns))
            xf = [style._get_xf_index() if style else None for style in styles]
            # Flush the header row (row 0) to the row file before writing ours after it.
            sheet._write_single_row(1)

            def write_fast(first, batch):
                sheet.fh.write(
                    "".join(
                        xlsx_rows.row_xml(row, values, kinds, xf, letters, labels)
                        for row, values in enumerate(batch, first)
                    )
                )
                # What xlsxwriter's own writes would have recorded: the last row written (it
                # holds no pending cell) and the sheet's range.
                last = first + len(batch) - 1
                sheet.previous_row = last
                sheet.dim_rowmax = max(sheet.dim_rowmax or 0, last)

            return write_fast

        writers = [
            sheet.write_number
            if kind == xlsx_rows.NUMBER
            else sheet.write_boolean
            if kind == xlsx_rows.BOOLEAN
            else sheet.write_string
            for kind in kinds
        ]

        def write_cells(first, batch):
            for row, values in enumerate(batch, first):
                for column, value in enumerate(values):
                    if value is None:
                        continue
                    if labels[column] is not None:
                        value = labels[column].get(value, value)
                    writers[column](row, column, value, styles[column])

        return write_cells
