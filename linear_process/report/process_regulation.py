# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.tools import format_date, formatLang

from ..lib import regulation as regulation_lib
from ..models.linear_process import HARD_MAX_DEPTH

PASSPORT_FIELDS = (
    "name",
    "code",
    "process_type",
    "level",
    "customer",
    "architect_id",
    "owner_id",
    "version",
    "state",
)
KPI_COLUMNS = ("name", "unit", "target", "direction", "period")
STEP_COLUMNS = (
    "number",
    "name",
    "result_ids",
    "responsible_job_id",
    "executor_job_ids",
    "norm_duration",
    "inputs",
    "outputs",
    "notes",
)


class ReportProcessRegulation(models.AbstractModel):
    """The regulation of a process ("регламент процесса"): what the PDF and the XLSX both print.

    `_regulation()` builds plain data once, in the reader's language (column titles are the field
    labels of the form, the rest goes through `env._`); the QWeb template and the XLSX writer only
    lay it out, so the two documents cannot drift apart.
    """

    _name = "report.linear_crm.report_process_regulation"
    _description = "Process Regulation"

    @api.model
    def _get_report_values(self, docids, data=None):
        processes = self._regulation_processes(docids)
        builder = self.with_context(lang=processes.env.lang)
        return {
            "doc_ids": processes.ids,
            "doc_model": "linear.process",
            "docs": processes,
            "lang": processes.env.lang,
            "regulations": {process.id: builder._regulation(process) for process in processes},
        }

    @api.model
    def _regulation_processes(self, docids):
        """The processes to print, in the reader's language; AccessError when one is not readable."""
        lang = self.env.user.lang or "en_US"
        processes = self.env["linear.process"].with_context(lang=lang).browse(docids)
        processes.check_access("read")
        return processes

    # ------------------------------------------------------------------ data of one regulation
    def _regulation(self, process):
        """Everything one regulation prints: labels, column titles, and one section per process
        (the process itself, then its decomposition depth-first)."""
        process = process.with_env(self.env)
        process_labels = self._field_labels("linear.process", (*PASSPORT_FIELDS, "parent_step_id"))
        step_labels = self._field_labels("linear.process.step", STEP_COLUMNS)
        kpi_labels = self._field_labels("linear.process.kpi", KPI_COLUMNS)
        outline = regulation_lib.outline([process], self._decomposition_of, HARD_MAX_DEPTH)
        paths = {}
        sections = []
        for node, depth, step in outline:
            path = f"{paths[step.process_id]}.{step.number}".lstrip(".") if step else ""
            paths[node] = path
            sections.append(self._section(node, depth, step, path, process_labels))
        today = fields.Date.context_today(self)
        return {
            "title": self._process_title(process),
            "printed": self.env._(
                "Printed on %(date)s by %(user)s",
                date=format_date(self.env, today),
                user=self.env.user.name,
            ),
            "labels": {
                "document": self.env._("Process Regulation"),
                "passport": self.env._("Passport"),
                "goals": self.env._("Goals"),
                "kpis": self.env._("KPIs"),
                "steps": self.env._("Steps"),
                "no_goals": self.env._("No goals are set."),
                "no_kpis": self.env._("No KPIs are set."),
                "no_steps": self.env._("No steps are described yet: the body of this process is empty."),
                "signature": self.env._("Signature"),
                "date": self.env._("Date"),
            },
            "kpi_columns": [("number", step_labels["number"])]
            + [(name, kpi_labels[name]) for name in KPI_COLUMNS],
            "step_columns": [(name, step_labels[name]) for name in STEP_COLUMNS],
            "signatures": [
                (self.env._("Prepared by"), process_labels["architect_id"], process.architect_id.name or ""),
                (self.env._("Approved by"), process_labels["owner_id"], process.owner_id.name or ""),
            ],
            "sections": sections,
        }

    def _decomposition_of(self, process):
        """(step, child process) for each step of `process` detailed by a process the reader may read."""
        for step in process.step_ids.sorted(lambda s: (s.sequence, s.id)):
            child = step.child_process_id
            if child and child.has_access("read"):
                yield step, child

    def _section(self, process, depth, parent_step, path, labels):
        passport = [(labels[name], self._passport_value(process, name)) for name in PASSPORT_FIELDS]
        passport.append((self.env._("Approval"), self._approval(process)))
        # A process printed on its own still says which step it details, when the reader may see it.
        detailed_step = parent_step or process.parent_step_id
        if detailed_step and detailed_step.has_access("read"):
            passport.append(
                (
                    labels["parent_step_id"],
                    f"{detailed_step.number}. {detailed_step.name} ({detailed_step.process_id.name})",
                )
            )
        subtitle = ""
        if parent_step:
            subtitle = self.env._(
                "Decomposition of step %(number)s «%(step)s» of «%(process)s»",
                number=parent_step.number,
                step=parent_step.name,
                process=parent_step.process_id.name,
            )
        title = self._process_title(process)
        return {
            "process": process,
            "depth": depth,
            "path": path,
            "title": title,
            "heading": f"{path}. {title}" if path else title,
            "subtitle": subtitle,
            "passport": passport,
            "goals": process.goal_ids.sorted(lambda g: (g.sequence, g.id)).mapped("name"),
            "kpis": [self._kpi_row(index, kpi) for index, kpi in enumerate(process.kpi_ids, 1)],
            "steps": [self._step_row(step) for step in process.step_ids.sorted(lambda s: (s.sequence, s.id))],
        }

    @staticmethod
    def _process_title(process):
        return f"{process.code} {process.name}" if process.code else process.name

    def _passport_value(self, process, name):
        value = process[name]
        field = process._fields[name]
        if field.type == "selection":
            return self._selection_label(process, name)
        if field.type == "many2one":
            return value.display_name or ""
        if name == "customer":
            return regulation_lib.customer_text(value, self._selection_label(process, "customer_kind"))
        return str(value) if value not in (False, None) else ""

    def _approval(self, process):
        if process.state != "approved":
            return self.env._("Not approved")
        # The reader may read this process; its own state history is no secret to them.
        state_field = self.env["ir.model.fields"]._get("linear.process", "state")
        tracking = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("field_id", "=", state_field.id),
                    ("mail_message_id.model", "=", "linear.process"),
                    ("mail_message_id.res_id", "=", process.id),
                ],
                order="id desc",
                limit=1,
            )
        )
        if not tracking:
            return self.env._("Approved")
        message = tracking.mail_message_id
        return self.env._(
            "Approved on %(date)s by %(user)s",
            date=format_date(self.env, message.date),
            user=message.author_id.name or "",
        )

    def _kpi_row(self, index, kpi):
        return {
            "number": index,
            "name": kpi.name,
            "unit": kpi.unit or "",
            "target": kpi.target,
            "target_text": self._number(kpi.target),
            "direction": self._selection_label(kpi, "direction"),
            "period": self._selection_label(kpi, "period"),
        }

    def _step_row(self, step):
        results = []
        for result in step.result_ids.sorted(lambda r: (r.sequence, r.id)):
            kind = self._selection_label(result, "result_type")
            requirement = self.env._("required") if result.required else self.env._("optional")
            results.append(
                {
                    "name": result.name,
                    "kind": kind,
                    "required": result.required,
                    "requirement": requirement,
                    "text": self.env._(
                        "%(result)s (%(kind)s, %(requirement)s)",
                        result=result.name,
                        kind=kind,
                        requirement=requirement,
                    ),
                }
            )
        child = (
            step.child_process_id
            if step.child_process_id.has_access("read")
            else step.child_process_id.browse()
        )
        norm = ""
        if step.norm_duration:
            # «1 рабочий день», «3 рабочих дня», «8 часов»: the words agree with the number.
            norm = self.env["res.lang"]._linear_quantity(step.norm_duration, step.norm_unit, digits=2)
        return {
            "number": step.number,
            "name": step.name,
            "decomposition": self.env._("Decomposition: %s", self._process_title(child)) if child else "",
            "results": results,
            "responsible": step.responsible_job_id.name or "",
            "executors": ", ".join(step.executor_job_ids.mapped("name")),
            "norm": norm,
            "inputs": step.inputs or "",
            "outputs": step.outputs or "",
            "notes": step.notes or "",
        }

    # ------------------------------------------------------------------ formatting helpers
    def _field_labels(self, model, names):
        """Field labels as the form shows them, in the reader's language."""
        described = self.env[model].fields_get(list(names), ["string"])
        return {name: described[name]["string"] for name in names}

    def _selection_label(self, record, name):
        value = record[name]
        if not value:
            return ""
        selection = record._fields[name]._description_selection(self.env)
        return dict(selection).get(value, value)

    def _number(self, value):
        """A float in the reader's format without needless decimals: 1000000.0 -> '1,000,000'."""
        decimal_point = self.env["res.lang"]._get_data(code=self.env.lang).decimal_point
        return regulation_lib.trim_zeros(formatLang(self.env, value, digits=2), decimal_point)
