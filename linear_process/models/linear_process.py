# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import regulation as regulation_lib

PROCESS_TYPES = [
    ("main", "Main"),
    ("supporting", "Supporting"),
    ("management", "Management"),
    ("development", "Development"),
]
LEVELS = [
    ("process", "Process"),
    ("subprocess", "Sub-process"),
    ("procedure", "Procedure"),
    ("action", "Action"),
]
LEVEL_ORDER = [code for code, _label in LEVELS]
LEVEL_RANK = {code: rank for rank, code in enumerate(LEVEL_ORDER)}
STATES = [("draft", "Draft"), ("approved", "Approved"), ("archived", "Archived")]
# The methodology advises 3-4 levels; deeper is only warned about. This hard cap protects the
# recursive computations from absurd trees.
HARD_MAX_DEPTH = 8

# The life-cycle switch: a private Python object in the context. JSON-RPC sends only plain data,
# so no client can set it (OCA queue_job's EDIT_SENTINEL); only the architect's actions below do.
_LIFECYCLE = object()
LIFECYCLE_KEY = "linear_process_lifecycle"
# Written only by the life-cycle actions.
LIFECYCLE_FIELDS = frozenset({"state", "version", "previous_version_id"})
# The body of an approved or archived process: versions are the way to change it.
BODY_FIELDS = frozenset(
    {
        "name",
        "code",
        "process_type",
        "customer",
        "customer_kind",
        "goal_ids",
        "step_ids",
        "parent_step_id",
        "level",
        "company_id",
    }
)


def lifecycle_context():
    """Context that lets the architect's actions (and the engine moving versions) change state and
    frozen bodies; to be built only by server code."""
    return {LIFECYCLE_KEY: _LIFECYCLE}


def in_lifecycle(env):
    return env.context.get(LIFECYCLE_KEY) is _LIFECYCLE


class LinearProcess(models.Model):
    """A business process described by the linear methodology: a passport and a linear body."""

    _name = "linear.process"
    _description = "Business Process"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "complete_name, version desc, id"
    _rec_names_search = ["name", "code", "complete_name"]
    _check_company_auto = True

    # Passport ("шапка процесса")
    name = fields.Char(
        required=True,
        tracking=True,
        help="Starts with a noun, e.g. 'Fulfilment of customer orders' / «Выполнение заказа клиента».",
    )
    complete_name = fields.Char(
        compute="_compute_complete_name",
        store=True,
        recursive=True,
        help="The name with the processes it decomposes, e.g. 'Order fulfilment / Request handling'.",
    )
    code = fields.Char(help="Short code used in regulations and references, e.g. 'BP-01'.")
    process_type = fields.Selection(
        PROCESS_TYPES,
        string="Type",
        required=True,
        default="main",
        tracking=True,
        help="Main processes create value for external customers; supporting ones provide resources; "
        "management processes plan and control; development processes create or improve resources.",
    )
    customer = fields.Char(
        string="Customer of the Process",
        help="Who receives the value of the process: an external client or an internal department.",
    )
    customer_kind = fields.Selection(
        [("external", "External"), ("internal", "Internal")],
        default="external",
    )
    goal_ids = fields.One2many(
        "linear.process.goal", "process_id", string="Goals", copy=True, help="Each goal starts with a verb."
    )
    architect_id = fields.Many2one(
        "res.users",
        tracking=True,
        index=True,
        check_company=True,
        default=lambda self: self.env.user,
        help="Responsible for describing and optimising the process; usually leads the project group.",
    )
    owner_id = fields.Many2one(
        "res.users",
        tracking=True,
        index=True,
        check_company=True,
        help="Responsible for running the process (process manager).",
    )
    kpi_ids = fields.One2many("linear.process.kpi", "process_id", string="KPIs", copy=True)
    description = fields.Html(help="Purpose, scope and anything the passport does not say.")

    # Body ("тело процесса")
    step_ids = fields.One2many("linear.process.step", "process_id", string="Steps", copy=True)
    step_count = fields.Integer(compute="_compute_step_count")

    # Decomposition: this process may detail one step of a higher-level process.
    parent_step_id = fields.Many2one(
        "linear.process.step",
        string="Decomposes Step",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        check_company=True,
        help="The step of a higher-level process that this process details.",
    )
    parent_process_id = fields.Many2one(
        "linear.process",
        string="Parent Process",
        related="parent_step_id.process_id",
        store=True,
        index="btree_not_null",
    )
    child_process_ids = fields.One2many("linear.process", "parent_process_id", string="Decomposition")
    depth = fields.Integer(
        compute="_compute_depth",
        store=True,
        recursive=True,
        help="1 for a top-level process, 2 for a sub-process, 3 for a procedure, 4 for an action.",
    )
    level = fields.Selection(
        LEVELS,
        compute="_compute_level",
        store=True,
        readonly=False,
        recursive=True,
        help="Process, sub-process, procedure or action; by default one level below the process it "
        "details. A level is always deeper than its parent's.",
    )

    # Life cycle and versions
    state = fields.Selection(STATES, default="draft", required=True, tracking=True, copy=False)
    version = fields.Integer(default=1, copy=False, readonly=True)
    previous_version_id = fields.Many2one("linear.process", copy=False, readonly=True, index="btree_not_null")
    next_version_ids = fields.One2many("linear.process", "previous_version_id", string="Next Versions")

    finding_ids = fields.One2many("linear.process.finding", "process_id", string="Methodology Findings")
    finding_count = fields.Integer(compute="_compute_finding_count", string="Warnings")

    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _code_company_version_uniq = models.UniqueIndex(
        "(code, company_id, version) WHERE code IS NOT NULL",
        "A process with this code and version already exists in this company.",
    )

    @api.depends("name", "parent_process_id.complete_name")
    def _compute_complete_name(self):
        for process in self:
            parent = process.parent_process_id
            process.complete_name = f"{parent.complete_name} / {process.name}" if parent else process.name

    @api.depends("parent_process_id.depth")
    def _compute_depth(self):
        for process in self:
            process.depth = (process.parent_process_id.depth or 1) + 1 if process.parent_process_id else 1

    @api.depends("parent_process_id.level")
    def _compute_level(self):
        for process in self:
            parent_rank = LEVEL_RANK.get(process.parent_process_id.level, -1)
            current_rank = LEVEL_RANK.get(process.level, -1)
            if not process.level or current_rank <= parent_rank:
                process.level = LEVEL_ORDER[min(parent_rank + 1, len(LEVEL_ORDER) - 1)]
            else:
                process.level = process.level

    @api.depends_context("linear_process_show_version")
    def _compute_display_name(self):
        # Where versions stand side by side (Compare Versions), the name alone says nothing.
        result = super()._compute_display_name()
        if self.env.context.get("linear_process_show_version"):
            for process in self:
                process.display_name = self.env._(
                    "%(name)s (version %(version)s)", name=process.display_name, version=process.version
                )
        return result

    @api.depends("step_ids")
    def _compute_step_count(self):
        for process in self:
            process.step_count = len(process.step_ids)

    @api.depends("finding_ids")
    def _compute_finding_count(self):
        for process in self:
            process.finding_count = len(process.finding_ids)

    @api.constrains("parent_step_id", "level")
    def _check_decomposition(self):
        for process in self:
            if process._has_cycle("parent_process_id"):
                raise ValidationError(
                    self.env._(
                        "Process «%(name)s» cannot detail a step of itself or of its own sub-processes: "
                        "the decomposition would form a cycle.",
                        name=process.name,
                    )
                )
            parent = process.parent_process_id
            if parent and process.level != "action" and LEVEL_RANK[process.level] <= LEVEL_RANK[parent.level]:
                raise ValidationError(
                    self.env._(
                        "Process «%(name)s» details a step of «%(parent)s», so it must be on a deeper level "
                        "than «%(level)s».",
                        name=process.name,
                        parent=parent.name,
                        level=dict(LEVELS)[parent.level],
                    )
                )
            if process.depth > HARD_MAX_DEPTH:
                raise ValidationError(
                    self.env._(
                        "Process «%(name)s» would be %(depth)s levels deep; decomposition stops at %(max)s.",
                        name=process.name,
                        depth=process.depth,
                        max=HARD_MAX_DEPTH,
                    )
                )

    # ------------------------------------------------------------------ CRUD hooks
    @api.model_create_multi
    def create(self, vals_list):
        # Data files run as superuser and may load approved processes; any other caller starts
        # a draft of version 1.
        if not (self.env.su or in_lifecycle(self.env)) and any(
            vals.get("state", "draft") != "draft"
            or vals.get("version", 1) != 1
            or vals.get("previous_version_id")
            for vals in vals_list
        ):
            raise AccessError(
                self.env._(
                    "A process is created as a draft of version 1; only its architect's actions change that."
                )
            )
        processes = super().create(vals_list)
        processes._refresh_findings()
        return processes

    def write(self, vals):
        if not in_lifecycle(self.env):
            if LIFECYCLE_FIELDS & set(vals):
                raise AccessError(
                    self.env._(
                        "The status and version of a process change only through its architect's actions "
                        "(Approve, Retire, Reset to Draft, New Version)."
                    )
                )
            if BODY_FIELDS & set(vals):
                self.check_access("write")  # "not yours" before "frozen"
                self._check_body_editable()
        result = super().write(vals)
        if {"name", "goal_ids", "step_ids", "parent_step_id"} & set(vals):
            self._refresh_findings()
        return result

    def _creation_message(self):
        # stored in the chatter: in the company's language when created without one (demo, cron)
        lang = self.company_id._linear_text_lang()
        return super(LinearProcess, self.with_context(lang=lang))._creation_message()

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        if not (default or {}).get("name"):
            for process, vals in zip(self, vals_list, strict=True):
                vals["name"] = self.env._("%s (copy)", process.name)
        return vals_list

    # ------------------------------------------------------------------ life cycle
    def action_approve(self):
        self._check_architect_action()
        for process in self:
            if not process.step_ids:
                raise UserError(
                    self.env._("Process «%(name)s» has no steps: describe its body first.", name=process.name)
                )
        lifecycle = self.with_context(**lifecycle_context())
        lifecycle.write({"state": "approved"})
        # Approving a new version retires the one it replaces; its decomposition and whatever it
        # drives (pipelines, running documents) move along.
        for process in lifecycle:
            previous = process.previous_version_id
            if previous and previous.state == "approved":
                process._take_over_decomposition(previous)
                process._take_over_usage(previous)
                previous.state = "archived"
                process.message_post(
                    body=self.env._(
                        "Version %(version)s approved; version %(previous)s is archived.",
                        version=process.version,
                        previous=previous.version,
                    )
                )
        return True

    def action_archive_process(self):
        self._check_architect_action()
        self._check_unused(self.env._("archived"))
        self.with_context(**lifecycle_context()).write({"state": "archived"})
        return True

    def action_reset_to_draft(self):
        self._check_architect_action()
        self._check_unused(self.env._("reopened as a draft"))
        self.with_context(**lifecycle_context()).write({"state": "draft"})
        return True

    def _check_architect_action(self):
        if not self.env.user.has_group("linear_crm.group_process_architect"):
            raise UserError(self.env._("Only process architects can approve, archive or reopen processes."))

    def _check_body_editable(self):
        """An approved or archived process is frozen for everyone, architects included: a new
        version changes it. Data files (superuser) and the life-cycle actions are exempt."""
        if in_lifecycle(self.env) or self.env.su:
            return
        frozen = self.filtered(lambda p: p.state != "draft")
        if frozen:
            raise UserError(
                self.env._(
                    "Process «%(name)s» is %(state)s: its body cannot change. Create a new version "
                    "(New Version), change it there and approve it.",
                    name=frozen[0].name,
                    state=dict(self._fields["state"]._description_selection(self.env))[frozen[0].state],
                )
            )

    def _usage_messages(self):
        """Why these processes cannot leave the approved state: documents run on them. Other
        wings add theirs (pipelines bound to them)."""
        # sudo: the question is whether anything runs on the process at all, whoever may see it.
        runs = (
            self.env["linear.process.run"]
            .sudo()
            .search_count([("process_id", "in", self.ids), ("state", "=", "running")])
        )
        messages = []
        if runs:
            messages.append(self.env._("%s process run(s) are still running on it.", runs))
        inside = (
            self.env["linear.step.timing"]
            .sudo()
            .search_count([("process_id", "in", self.ids), ("left_at", "=", False)])
        )
        if inside:
            messages.append(self.env._("%s document(s) are in its steps now.", inside))
        return messages

    def _check_unused(self, what):
        for process in self:
            messages = process._usage_messages()
            if messages:
                raise UserError(
                    self.env._(
                        "Process «%(name)s» cannot be %(what)s: %(reasons)s Approve a new version instead.",
                        name=process.name,
                        what=what,
                        reasons=" ".join(messages),
                    )
                )

    def _take_over_usage(self, previous):
        """Move what runs on `previous` to this new version; extended by the wings that drive
        documents (the CRM moves its bound pipelines). Runs keep their version."""

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        for process in self:
            if process.state != "draft":
                raise UserError(
                    self.env._(
                        "Process «%s» is approved or archived: it is history and cannot be deleted.",
                        process.name,
                    )
                )
        self.step_ids._check_no_history()

    def action_new_version(self):
        """Copy an approved process into a draft: passport, steps, results and KPIs."""
        self.ensure_one()
        if self.state != "approved":
            raise UserError(self.env._("Only an approved process can be the base of a new version."))
        if self.next_version_ids:
            raise UserError(
                self.env._(
                    "Version %(version)s of «%(name)s» already exists: continue there.",
                    version=self.next_version_ids[0].version,
                    name=self.name,
                )
            )
        draft = self.with_context(**lifecycle_context()).copy(
            {
                "name": self.name,
                "version": self.version + 1,
                "previous_version_id": self.id,
                "parent_step_id": self.parent_step_id.id,
            }
        )
        draft = draft.with_env(self.env)
        # Measurements are the history of the same indicator, not of one version: the new version's
        # KPIs (copied in the same order) carry them on, so its current value is the same.
        for kpi, new_kpi in zip(self.kpi_ids, draft.kpi_ids, strict=True):
            kpi.measurement_ids.copy({"kpi_id": new_kpi.id})
        draft.kpi_ids._name_steps_by_key(self.step_ids)
        env = self.with_context(lang=self.company_id._linear_text_lang()).env
        draft.message_post(body=env._("New version %(version)s of this process.", version=draft.version))
        return draft._get_form_action()

    def _take_over_decomposition(self, previous):
        """Point the sub-processes of the previous version's steps to the matching new steps."""
        new_steps = {step.step_key: step for step in self.step_ids}
        for old_step in previous.step_ids:
            target = new_steps.get(old_step.step_key)
            if target and old_step.child_process_ids:
                # sudo: the sub-processes follow their parent's approval whoever designs them;
                # the lifecycle context lets approved children change their parent step.
                old_step.child_process_ids.sudo().with_context(**lifecycle_context()).write(
                    {"parent_step_id": target.id}
                )

    def _get_form_action(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "linear.process",
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------------ views
    def action_open_board(self):
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "linear_crm.process_board",
            "name": self.name,
            "params": {"process_id": self.id},
            "context": {"active_id": self.id},
        }

    def action_open_steps_table(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("linear_crm.linear_process_step_action_table")
        action["domain"] = [("process_id", "=", self.id)]
        action["context"] = {"default_process_id": self.id}
        action["name"] = self.env._("Steps of %s", self.name)
        return action

    def action_compare_versions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Compare Versions"),
            "res_model": "linear.process.compare",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_process_old_id": (self.previous_version_id or self).id,
                "default_process_new_id": self.id,
            },
        }

    # ------------------------------------------------------------------ methodology
    def _refresh_findings(self):
        """Recompute the stored methodology findings of these processes (warnings, never blocking)."""
        self.env["linear.process.finding"]._refresh_for(self)

    # ------------------------------------------------------------------ Board
    def get_board_data(self):
        """Everything the process board (OWL client action) shows, as one JSON-able dict.

        One call per render: passport, goals, KPIs, the ordered steps with their results, people,
        norm, decomposition and methodology findings, the trail of parent processes and whether
        the user may edit. Related records are read in batches through the ORM's prefetching.
        """
        self.ensure_one()
        self.check_access("read")
        steps = self.step_ids.sorted(lambda s: (s.sequence, s.id))
        timing = self._board_timing()
        Lang = self.env["res.lang"]
        unit_labels = self._board_labels(steps, "norm_unit")
        result_labels = self._board_labels(steps.result_ids, "result_type")
        return {
            "id": self.id,
            "name": self.name,
            "code": self.code or "",
            "process_type": self.process_type,
            "process_type_label": self._board_labels(self, "process_type").get(self.process_type, ""),
            "level": self.level,
            "level_label": self._board_labels(self, "level").get(self.level, ""),
            "state": self.state,
            "state_label": self._board_labels(self, "state").get(self.state, ""),
            "version": self.version,
            "customer": self.customer or "",
            "customer_kind_label": self._board_labels(self, "customer_kind").get(self.customer_kind, ""),
            # The customer and its kind said once: «Внешний клиент (покупатель)», not «… (Внешний)».
            "customer_text": regulation_lib.customer_text(
                self.customer, self._board_labels(self, "customer_kind").get(self.customer_kind, "")
            ),
            "architect": self._board_ref(self.architect_id),
            "owner": self._board_ref(self.owner_id),
            "goals": [{"id": goal.id, "name": goal.name} for goal in self._board_goals()],
            "kpis": self._board_kpis(),
            "findings": self._board_findings(self.finding_ids.filtered(lambda f: not f.step_id)),
            "steps": [
                {
                    "id": step.id,
                    "number": number,
                    "name": step.name,
                    "results": [
                        {
                            "id": result.id,
                            "name": result.name,
                            "result_type": result.result_type,
                            "result_type_label": result_labels.get(result.result_type, ""),
                            "required": result.required,
                        }
                        for result in step.result_ids.sorted(lambda r: (r.sequence, r.id))
                    ],
                    "responsible": self._board_ref(step.responsible_job_id),
                    "executors": [self._board_ref(job) for job in step.executor_job_ids],
                    "norm_duration": step.norm_duration,
                    "norm_unit": step.norm_unit,
                    "norm_unit_label": unit_labels.get(step.norm_unit, ""),
                    # «1 рабочий день», «3 рабочих дня»: the number in the reader's format, agreed words.
                    "norm_text": (
                        Lang._linear_quantity(step.norm_duration, step.norm_unit, digits=2)
                        if step.norm_duration
                        else ""
                    ),
                    "notes": step.notes or "",
                    "child_process": self._board_ref(step.child_process_id),
                    "findings": self._board_findings(step.finding_ids),
                    # Live overlay: how long documents really stay in the step, against its norm.
                    "timing": timing.get(step.id, {}),
                }
                for number, step in enumerate(steps, 1)
            ],
            "ancestors": self._board_ancestors(),
            # Approved and archived bodies are frozen: the board shows them read-only.
            "can_write": self.state == "draft" and self.has_access("write"),
        }

    def _board_timing(self):
        """Per step: how long documents really stay in it, in working time against its norm, and
        a status for the sticker colour (see linear.step.timing._board_overlay)."""
        return self.env["linear.step.timing"]._board_overlay(self)

    def _board_goals(self):
        return self.goal_ids.sorted(lambda g: (g.sequence, g.id))

    @api.model
    def _board_labels(self, records, field_name):
        return dict(records._fields[field_name]._description_selection(self.env))

    @api.model
    def _board_ref(self, record):
        return {"id": record.id, "name": record.display_name} if record else False

    @api.model
    def _board_findings(self, findings):
        return [
            {"id": finding.id, "rule": finding.rule, "subject": finding.subject, "message": finding.message}
            for finding in findings
        ]

    def _board_kpis(self):
        status_labels = self._board_labels(self.kpi_ids, "status")
        kpis = []
        for kpi in self.kpi_ids.sorted(lambda k: (k.sequence, k.id)):
            # One KPI the user may not compute (model not readable, broken domain) must not hide
            # the board: compute each on its own and show it without a value.
            try:
                single = kpi.with_prefetch()
                value, status = single.current_value, single.status
            except UserError:
                value, status = 0.0, "no_data"
            kpis.append(
                {
                    "id": kpi.id,
                    "name": kpi.name,
                    "unit": kpi.unit or "",
                    "target": kpi.target,
                    "direction": kpi.direction,
                    "value": value if status != "no_data" else None,
                    "status": status,
                    "status_label": status_labels.get(status, ""),
                }
            )
        return kpis

    def _board_ancestors(self):
        """The processes this one details, outermost first, that the user may read."""
        chain = []
        parent = self.sudo().parent_process_id
        while parent and parent.id not in chain and len(chain) < HARD_MAX_DEPTH:
            chain.append(parent.id)
            parent = parent.parent_process_id
        readable = self.browse(chain[::-1])._filtered_access("read")
        return [{"id": process.id, "name": process.name} for process in readable]
