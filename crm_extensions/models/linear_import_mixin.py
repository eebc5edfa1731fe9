# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models

from ..lib import import_rows

# Each pass removes at least one failed record; more passes than this means something is off.
MAX_PASSES = 10


class LinearImportMixin(models.AbstractModel):
    """Client imports keep the good rows: a bad row is reported with its row number and skipped.

    Odoo's ``load()`` rolls the whole file back on the first bad row. For the models inheriting
    this mixin, an import (``import_file`` in the context, set by base_import) loads again without
    the failed records until the rest goes through; the result then has the saved ``ids``, the
    failures as ``messages`` with their original rows, ``linear_skipped`` (records not saved) and
    ``linear_duplicates`` (saved records flagged as possible duplicates). Errors that concern the
    whole file (an unknown column) still fail it all. ``linear_import_all_or_nothing`` in the
    context restores the native behaviour.
    """

    _name = "linear.import.mixin"
    _description = "Import keeping the good rows (Linear CRM)"

    # @api.model is not inherited by an override: without it JSON-RPC passes ids and load() fails.
    @api.model
    def load(self, fields, data):
        result = super().load(fields, data)
        context = self.env.context
        if not context.get("import_file") or context.get("linear_import_all_or_nothing"):
            return result
        if result["ids"] is False:
            result = self._linear_load_good_rows(fields, data, result)
        if result["ids"] and "duplicate_of_id" in self._fields:
            result["linear_duplicates"] = self.search_count(
                [("id", "in", result["ids"]), ("duplicate_of_id", "!=", False)]
            )
        return result

    def _linear_load_good_rows(self, fields, data, first):
        window = first.get("nextrow") or len(data)  # rows beyond a batch window are not ours yet
        current, index = list(data[:window]), list(range(window))
        reported, dropped_starts, attempt = [], [], first
        loader = super(LinearImportMixin, self.with_context(_import_limit=None))
        for _pass in range(MAX_PASSES):
            ranges, row_messages, global_errors = import_rows.split_messages(attempt["messages"])
            if global_errors or not ranges:
                return first  # the file itself is wrong: nothing can be kept
            reported += [import_rows.remap_message(m, index, dropped_starts) for m in row_messages]
            dropped_starts += [index[start] for start, _end in ranges]
            current, index = import_rows.drop_rows(current, ranges, index)
            if not current:
                attempt = {"ids": [], "messages": []}
                break
            attempt = loader.load(fields, current)
            if attempt["ids"] is not False:
                break
        else:
            return first
        # A row reported twice (several errors) counts once.
        skipped = len({tuple(sorted(m["rows"].items())) for m in reported})
        return {
            "ids": attempt["ids"],
            "messages": reported + attempt["messages"],
            "nextrow": first.get("nextrow", 0),
            "linear_skipped": skipped,
        }
