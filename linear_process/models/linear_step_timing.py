# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ..lib import numerals, planning

# Used when a calendar does not say how long its day is (resource/models/utils.py uses 8 too).
DEFAULT_HOURS_PER_DAY = 8.0


class LinearStepTiming(models.Model):
    """How long a record really stayed in a process step: the fact behind the step's norm.

    One row per entry into a step; reports, KPIs and the board overlay read this table.
    """

    _name = "linear.step.timing"
    _description = "Step Timing"
    _order = "entered_at desc, id desc"
    _rec_name = "step_id"

    res_model = fields.Char(string="Document Model", required=True, index=True)
    res_id = fields.Many2oneReference(string="Document", model_field="res_model", required=True, index=True)
    # History outlives nothing: a step with timings cannot be deleted (see the step's ondelete).
    step_id = fields.Many2one("linear.process.step", required=True, index=True, ondelete="restrict")
    process_id = fields.Many2one(related="step_id.process_id", store=True, index=True)
    company_id = fields.Many2one(related="step_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", string="Responsible", index="btree_not_null")
    entered_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    left_at = fields.Datetime(index="btree_not_null")
    norm_deadline = fields.Datetime(
        help="When the step should have been left, per its norm and the working calendar."
    )
    duration_hours = fields.Float(
        string="Wall-clock Duration (h)",
        compute="_compute_duration",
        store=True,
        aggregator="avg",
        help="Calendar hours between entry and exit, nights, weekends and holidays included.",
    )
    norm_hours = fields.Float(
        string="Wall-clock Time to Deadline (h)",
        compute="_compute_duration",
        store=True,
        aggregator="avg",
        help="Calendar hours from entry to the norm deadline given to the planned actions.",
    )
    # Working time on the company calendar: what the norm of a step is about.
    work_hours = fields.Float(
        string="Working Hours",
        compute="_compute_work_time",
        store=True,
        aggregator="avg",
        help="Working hours of the company calendar between entry and exit (holidays excluded).",
    )
    work_days = fields.Float(
        string="Working Days",
        compute="_compute_work_time",
        store=True,
        aggregator="avg",
        help="The same working time in working days of the company calendar.",
    )
    # The step's norm as it was when the document entered the step (a snapshot: computed once).
    norm_duration = fields.Float(
        string="Norm", compute="_compute_norm", store=True, precompute=True, aggregator=False
    )
    norm_unit = fields.Selection(
        [("hours", "Hours"), ("working_days", "Working Days")],
        compute="_compute_norm",
        store=True,
        precompute=True,
    )
    norm_work_hours = fields.Float(
        string="Norm (working hours)", compute="_compute_norm", store=True, precompute=True, aggregator="avg"
    )
    norm_work_days = fields.Float(
        string="Norm (working days)", compute="_compute_norm", store=True, precompute=True, aggregator="avg"
    )
    over_norm = fields.Boolean(
        compute="_compute_over_norm",
        store=True,
        help="Spent more working time in the step than its norm.",
    )

    # A document is in one step at a time: at most one open row per document, even when two
    # users move it at once (the second insert fails instead of opening a parallel timing).
    _record_open_uniq = models.UniqueIndex(
        "(res_model, res_id) WHERE left_at IS NULL", "This document is already timed in a step."
    )

    @api.depends("entered_at", "left_at", "norm_deadline")
    def _compute_duration(self):
        for timing in self:
            timing.norm_hours = (
                (timing.norm_deadline - timing.entered_at).total_seconds() / 3600.0
                if timing.norm_deadline
                else 0.0
            )
            timing.duration_hours = (
                (timing.left_at - timing.entered_at).total_seconds() / 3600.0 if timing.left_at else 0.0
            )

    def _calendar(self):
        """The working calendar the norms are planned on (the company's), or an empty one."""
        # sudo: working hours and public holidays of the company are not secret, and the engine
        # writes timings on behalf of users who may not read the calendar's leaves.
        return (self.company_id or self.step_id.company_id or self.env.company).resource_calendar_id.sudo()

    @api.depends("entered_at", "left_at")
    def _compute_work_time(self):
        for timing in self:
            if not timing.left_at or timing.left_at <= timing.entered_at:
                timing.work_hours = timing.work_days = 0.0
                continue
            calendar = timing._calendar()
            if calendar:
                work = calendar.get_work_duration_data(timing.entered_at, timing.left_at, compute_leaves=True)
                timing.work_hours, timing.work_days = work["hours"], work["days"]
            else:
                # Without a calendar a working day is a plain day, as when the norm is planned.
                hours = (timing.left_at - timing.entered_at).total_seconds() / 3600.0
                timing.work_hours, timing.work_days = hours, hours / 24.0

    @api.depends("step_id")
    def _compute_norm(self):
        for timing in self:
            # sudo: the row records the norm it was held to, whoever moved the document.
            step = timing.step_id.sudo()
            calendar = timing._calendar()
            hours_per_day = (calendar.hours_per_day or DEFAULT_HOURS_PER_DAY) if calendar else 24.0
            timing.norm_duration = step.norm_duration
            timing.norm_unit = step.norm_unit
            timing.norm_work_hours, timing.norm_work_days = planning.norm_in_working_time(
                step.norm_duration, step.norm_unit, hours_per_day
            )

    @api.depends("left_at", "work_hours", "work_days", "norm_duration", "norm_unit")
    def _compute_over_norm(self):
        for timing in self:
            timing.over_norm = bool(timing.left_at) and planning.over_norm(
                timing.work_hours, timing.work_days, timing.norm_duration, timing.norm_unit
            )

    @api.model
    def _figures_for_process(self, process):
        """Per step: count, average and median working time in the unit of the step's norm
        (working days or hours), share over the norm; plus the bottleneck step, if any.

        One read over the finished entries; the board overlay and reports use it.
        """
        steps = process.step_ids
        # sudo: the figures are aggregates over every salesperson's passages, shown on the board.
        rows = self.sudo().search_fetch(
            [("step_id", "in", steps.ids), ("left_at", "!=", False)],
            ["step_id", "work_hours", "work_days"],
        )
        by_step = rows.grouped("step_id")
        figures = {}
        for step in steps:
            step_rows = by_step.get(step, rows.browse())
            unit = step.norm_unit or planning.WORKING_DAYS
            durations = step_rows.mapped("work_days" if unit == planning.WORKING_DAYS else "work_hours")
            figures[step.id] = dict(
                planning.step_figures(durations, step.norm_duration, step_rows.mapped("work_hours")),
                norm=step.norm_duration,
                unit=unit,
            )
        return {"steps": figures, "bottleneck_step_id": planning.bottleneck(figures)}

    @api.model
    def _board_overlay(self, process):
        """Per step with passages: a line on the working time really spent («Медиана 1,5 рабочего
        дня, норма 1 рабочий день · 40 % сверх нормы · 5 документов») and a status for the sticker
        colour (ok, over, bottleneck), with the figures themselves."""
        figures = self._figures_for_process(process)
        Lang = self.env["res.lang"]
        overlay = {}
        for step_id, fig in figures["steps"].items():
            if not fig["count"]:
                continue
            median = fig["median"]
            if fig["unit"] == planning.WORKING_DAYS and not numerals.rounded(median) and fig["median_hours"]:
                # Under a tenth of a day «0 рабочих дней» says nothing: give the working hours.
                median_text = Lang._linear_quantity(fig["median_hours"], numerals.HOURS)
            else:
                median_text = Lang._linear_quantity(median, fig["unit"])
            count_text = Lang._linear_quantity(fig["count"], numerals.DOCUMENTS, digits=0)
            if fig["norm"]:
                label = self.env._(
                    "Median %(median)s, norm %(norm)s · %(over)s%% over norm · %(count)s",
                    median=median_text,
                    norm=Lang._linear_quantity(fig["norm"], fig["unit"]),
                    over=Lang._linear_number(fig["overdue_share"] * 100, digits=0),
                    count=count_text,
                )
            else:
                label = self.env._("Median %(median)s · %(count)s", median=median_text, count=count_text)
            status = "over" if planning.is_over_norm(fig) else "ok"
            if step_id == figures["bottleneck_step_id"]:
                status = "bottleneck"
                label = self.env._("Bottleneck: %s", label)
            overlay[step_id] = {"label": label, "status": status, **fig}
        return overlay
