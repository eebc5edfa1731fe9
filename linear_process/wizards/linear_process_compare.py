# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ..lib import versions

# The step field whose translated label names each compared part of a step.
STEP_FIELDS = {
    "name": "name",
    "results": "result_ids",
    "responsible": "responsible_job_id",
    "executors": "executor_job_ids",
    "norm": "norm_duration",
    "inputs": "inputs",
    "outputs": "outputs",
    "notes": "notes",
}
TEXT_LIMIT = 80  # long notes are cut in the list; the process itself shows them whole


class LinearProcessCompare(models.TransientModel):
    """Lists the steps added, removed and changed between two versions of a process."""

    _name = "linear.process.compare"
    _description = "Compare Process Versions"

    process_old_id = fields.Many2one("linear.process", string="Older Version", required=True)
    process_new_id = fields.Many2one("linear.process", string="Newer Version", required=True)
    line_ids = fields.One2many("linear.process.compare.line", "compare_id", compute="_compute_line_ids")
    summary = fields.Char(compute="_compute_line_ids")

    @api.depends("process_old_id", "process_new_id")
    def _compute_line_ids(self):
        labels = dict(
            self.env["linear.process.compare.line"]._fields["change"]._description_selection(self.env)
        )
        field_labels = self._field_labels()
        for wizard in self:
            changes = versions.diff_steps(
                wizard._step_snapshot(wizard.process_old_id), wizard._step_snapshot(wizard.process_new_id)
            )
            lines = []
            for change in changes:
                values = {
                    "change": change["change"],
                    "name": change["name"],
                    "old_value": change["old"] and change["old"]["summary"],
                    "new_value": change["new"] and change["new"]["summary"],
                }
                if change["change"] == versions.CHANGED:
                    values.update(wizard._describe_change(change, field_labels))
                lines.append(fields.Command.create(values))
            wizard.line_ids = lines
            counts = {kind: sum(1 for c in changes if c["change"] == kind) for kind in labels}
            wizard.summary = ", ".join(f"{labels[kind]}: {count}" for kind, count in counts.items())

    @api.model
    def _field_labels(self):
        """Labels of the compared parts, as the step form names them, in the user's language."""
        Step = self.env["linear.process.step"]
        labels = {key: Step._fields[name]._description_string(self.env) for key, name in STEP_FIELDS.items()}
        labels["position"] = self.env._("Position")
        return labels

    def _describe_change(self, change, field_labels):
        """What changed, and only the differing values before and after, one part per field."""
        before_parts, after_parts = [], []
        for field in change["fields"]:
            before, after = versions.field_difference(field, change["old"], change["new"])
            if field in versions.LIST_FIELDS and set(change["old"][field]) != set(change["new"][field]):
                before_text = self._list_text(before, "−")
                after_text = self._list_text(after, "+")
            else:
                before_text, after_text = self._value_text(field, before), self._value_text(field, after)
            before_parts.append(f"{field_labels[field]}: {before_text}")
            after_parts.append(f"{field_labels[field]}: {after_text}")
        return {
            "changed_fields": ", ".join(field_labels[field] for field in change["fields"]),
            "old_value": "; ".join(before_parts),
            "new_value": "; ".join(after_parts),
        }

    def _value_text(self, field, value):
        if field == "norm":
            return self._norm_text(*value)
        if field in versions.LIST_FIELDS:
            return self._list_text(value)
        if value in (None, False, "", ()):
            return "—"
        text = str(value)
        return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"

    @api.model
    def _list_text(self, items, sign=""):
        if not items:
            return "—"
        return ", ".join(f"{sign}«{item}»" for item in items)

    @api.model
    def _norm_text(self, duration, unit):
        if not duration:
            return "—"
        return self.env["res.lang"]._linear_quantity(duration, unit)  # «3 рабочих дня»

    @api.model
    def _step_snapshot(self, process):
        snapshot = []
        for position, step in enumerate(process.step_ids.sorted(lambda s: (s.sequence, s.id)), 1):
            data = {
                "key": step.step_key,
                "name": step.name,
                "position": position,
                "results": tuple(step.result_ids.sorted(lambda r: (r.sequence, r.id)).mapped("name")),
                "responsible": step.responsible_job_id.name or "",
                "executors": tuple(sorted(step.executor_job_ids.mapped("name"))),
                "norm": (step.norm_duration, step.norm_unit),
                "inputs": step.inputs or "",
                "outputs": step.outputs or "",
                "notes": step.notes or "",
            }
            data["summary"] = f"{position}. {step.name} — " + "; ".join(data["results"])
            snapshot.append(data)
        return snapshot
