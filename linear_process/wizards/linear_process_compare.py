# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ..lib import versions


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
        for wizard in self:
            changes = versions.diff_steps(
                wizard._step_snapshot(wizard.process_old_id), wizard._step_snapshot(wizard.process_new_id)
            )
            wizard.line_ids = [
                fields.Command.create(
                    {
                        "change": change["change"],
                        "name": change["name"],
                        "changed_fields": ", ".join(change["fields"]),
                        "old_value": change["old"] and change["old"]["summary"],
                        "new_value": change["new"] and change["new"]["summary"],
                    }
                )
                for change in changes
            ]
            counts = {kind: sum(1 for c in changes if c["change"] == kind) for kind in labels}
            wizard.summary = ", ".join(f"{labels[kind]}: {count}" for kind, count in counts.items())

    @api.model
    def _step_snapshot(self, process):
        snapshot = []
        for position, step in enumerate(process.step_ids.sorted(lambda s: (s.sequence, s.id)), 1):
            data = {
                "key": step.step_key,
                "name": step.name,
                "position": position,
                "results": tuple(step.result_ids.mapped("name")),
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
