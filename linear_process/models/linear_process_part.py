# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models


class LinearProcessPart(models.AbstractModel):
    """A piece of a process the methodology check reads (goal, step, result): whenever one is
    added, removed or has a judged field changed, the process's findings are refreshed."""

    _name = "linear.process.part"
    _description = "Part of a Process Description"
    _finding_fields = frozenset()  # fields whose change re-runs the methodology check
    _body_free_fields = frozenset()  # fields that may still change once the process is approved

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.process_id._check_body_editable()
        records.process_id._refresh_findings()
        return records

    def write(self, vals):
        if set(vals) - self._body_free_fields:
            self.check_access("write")  # "not yours" before "frozen"
            self.process_id._check_body_editable()
        result = super().write(vals)
        if self._finding_fields & set(vals):
            self.process_id._refresh_findings()
        return result

    def unlink(self):
        processes = self.process_id
        self.check_access("unlink")
        processes._check_body_editable()
        result = super().unlink()
        processes.exists()._refresh_findings()
        return result
