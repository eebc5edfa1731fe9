# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models

# Client imports checked here; the keep-good-rows logic itself is linear.import.mixin's load().
CLIENT_MODELS = ("res.partner", "crm.lead")


class BaseImportImport(models.TransientModel):
    _inherit = "base_import.import"

    def execute_import(self, fields, columns, options, dryrun=False):
        if self.res_model not in CLIENT_MODELS:
            return super().execute_import(fields, columns, options, dryrun=dryrun)
        column_errors = self._linear_check_columns(fields, columns)
        if column_errors:
            # The import dialog shows only the first "not matching" message: one message, all lines.
            message = self._linear_error("\n".join(column_errors))
            return {"ids": [], "messages": [message], "nextrow": 0, "name": []}
        result = super().execute_import(fields, columns, options, dryrun=dryrun)
        summary = self._linear_import_summary(result, dryrun)
        if summary:
            result["messages"] = [summary, *result.get("messages", [])]
        return result

    def _linear_error(self, message):
        # Same shape as base_import's ImportValidationError: shown on top, not tied to a row.
        return {"type": "error", "message": message, "record": False, "not_matching_error": True}

    def _linear_check_columns(self, fields, columns):
        """Texts saying which columns are mapped to fields that do not exist, or that no column holds
        the record's name (without an id column to update existing records)."""
        model = self.env[self.res_model]
        errors = []
        for field_path, column in zip(fields, columns, strict=False):
            if not field_path:
                continue
            head = field_path.split("/")[0]
            if head not in ("id", ".id") and head not in model._fields:
                errors.append(
                    self.env._(
                        'Column "%(column)s" is mapped to "%(field)s", which is not a field of %(model)s.',
                        column=column or field_path,
                        field=field_path,
                        model=model._description,
                    )
                )
        mapped = {f.split("/")[0] for f in fields if f}
        if not errors and "name" not in mapped and not mapped & {"id", ".id"}:
            errors.append(
                self.env._(
                    'The file has no column for "%(field)s", which every row needs. Columns found: '
                    "%(columns)s.",
                    field=model._fields["name"].string,
                    columns=", ".join(c for c in columns if c) or "-",
                )
            )
        return errors

    def _linear_import_summary(self, result, dryrun):
        """One message on top: how many rows were saved, skipped and flagged as possible duplicates."""
        skipped = result.get("linear_skipped", 0)
        duplicates = result.get("linear_duplicates", 0)
        saved = len(result.get("ids") or [])
        if not skipped and not duplicates:
            return None
        # Without errors the report is shown at the end only, so that batches go on.
        if not skipped and result.get("nextrow"):
            return None
        if dryrun:
            text = self.env._(
                "Test: %(saved)s records would be imported, %(skipped)s rows with errors would be skipped "
                "(listed below), %(duplicates)s records look like duplicates of existing ones.",
                saved=saved,
                skipped=skipped,
                duplicates=duplicates,
            )
        else:
            text = self.env._(
                "%(saved)s records were imported and saved; %(skipped)s rows with errors were skipped "
                "(listed below): correct and import only those rows again. %(duplicates)s imported "
                'records look like duplicates of existing ones: see the filter "Possible duplicates".',
                saved=saved,
                skipped=skipped,
                duplicates=duplicates,
            )
        return {"type": "warning" if skipped else "info", "message": text}
