# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import ast
from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..lib import kpi as kpi_lib

NUMERIC_TYPES = ("integer", "float", "monetary")
DATE_TYPES = ("date", "datetime")


class LinearProcessKpi(models.Model):
    """A process indicator, measured by hand or computed from live data over a period.

    Computed KPIs are declarative (model, domain, aggregate): no free SQL or Python is stored.
    They are evaluated with the reading user's rights, so nobody sees figures they may not read.
    """

    _name = "linear.process.kpi"
    # The definition is part of the approved passport (printed in the regulation): frozen with the
    # body. Measurements are facts, not the definition: they may still be added.
    _inherit = ["linear.process.part"]
    _body_free_fields = frozenset({"measurement_ids"})
    _description = "Process KPI"
    _order = "process_id, sequence, id"

    process_id = fields.Many2one("linear.process", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="process_id.company_id", store=True, index=True)
    process_state = fields.Selection(related="process_id.state", string="Process Status")
    sequence = fields.Integer(default=10)
    name = fields.Char(
        string="KPI", required=True, help="e.g. 'Sales revenue', 'Customer satisfaction index'."
    )
    unit = fields.Char(help="e.g. %, RUB, hours, pcs.")
    target = fields.Float(help="The value the process aims at over one period.")
    direction = fields.Selection(
        [("higher", "Higher is better"), ("lower", "Lower is better")],
        default="higher",
        required=True,
    )
    period = fields.Selection(
        [
            ("day", "Day"),
            ("week", "Week"),
            ("month", "Month"),
            ("quarter", "Quarter"),
            ("year", "Year"),
        ],
        default="month",
        required=True,
        help="The current value covers the current period of this length.",
    )
    source = fields.Selection(
        [("manual", "Manual measurements"), ("computed", "Computed from data")],
        default="manual",
        required=True,
    )
    measurement_ids = fields.One2many(
        "linear.process.kpi.measurement", "kpi_id", string="Measurements", copy=False
    )
    model_id = fields.Many2one(
        "ir.model",
        ondelete="cascade",
        domain=[("transient", "=", False), ("abstract", "=", False)],
        help="The records the KPI is computed from, e.g. Lead/Opportunity.",
    )
    model_name = fields.Char(related="model_id.model", string="Model Name")
    domain = fields.Char(default="[]", help="Which records count, e.g. won leads only.")
    aggregate = fields.Selection(
        [
            ("count", "Count of records"),
            ("sum", "Sum of a field"),
            ("avg", "Average of a field"),
            ("avg_duration", "Average duration between two dates"),
        ],
        default="count",
    )
    value_field_id = fields.Many2one(
        "ir.model.fields",
        string="Field",
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('integer', 'float', 'monetary')),"
        " ('store', '=', True)]",
        help="The number summed or averaged.",
    )
    date_field_id = fields.Many2one(
        "ir.model.fields",
        string="Period Date",
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('date', 'datetime')), ('store', '=', True)]",
        help="The date that places a record in the period, e.g. Closed Date.",
    )
    duration_start_field_id = fields.Many2one(
        "ir.model.fields",
        string="Duration From",
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('date', 'datetime')), ('store', '=', True)]",
    )
    duration_end_field_id = fields.Many2one(
        "ir.model.fields",
        string="Duration To",
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('date', 'datetime')), ('store', '=', True)]",
        help="The average duration is given in hours.",
    )
    current_value = fields.Float(compute="_compute_current", help="The value over the current period.")
    status = fields.Selection(
        [("on_track", "On track"), ("off_track", "Off track"), ("no_data", "No data")],
        compute="_compute_current",
    )
    period_start = fields.Date(compute="_compute_current")
    period_end = fields.Date(compute="_compute_current")

    @api.constrains("source", "model_id", "domain", "aggregate", "value_field_id", "date_field_id")
    def _check_computed_definition(self):
        for kpi in self.filtered(lambda k: k.source == "computed"):
            if not kpi.model_id:
                raise ValidationError(self.env._("KPI «%s»: choose the model it is computed from.", kpi.name))
            kpi._parsed_domain()
            if kpi.aggregate in ("sum", "avg") and not kpi.value_field_id:
                raise ValidationError(self.env._("KPI «%s»: choose the field to sum or average.", kpi.name))
            if kpi.aggregate == "avg_duration" and not (
                kpi.duration_start_field_id and kpi.duration_end_field_id
            ):
                raise ValidationError(self.env._("KPI «%s»: choose both dates of the duration.", kpi.name))
            for field in (
                kpi.value_field_id
                | kpi.date_field_id
                | kpi.duration_start_field_id
                | kpi.duration_end_field_id
            ):
                if field.model_id != kpi.model_id:
                    raise ValidationError(
                        self.env._(
                            "KPI «%(kpi)s»: field %(field)s does not belong to %(model)s.",
                            kpi=kpi.name,
                            field=field.field_description,
                            model=kpi.model_id.name,
                        )
                    )

    def _name_steps_by_key(self, steps):
        """Make the domains that name some of `steps` by id name them by step_key: a new version
        has new step ids but keeps the keys, so its KPIs go on reading the same steps."""
        key_of = {step.id: step.step_key for step in steps}
        for kpi in self.filtered(lambda k: k.source == "computed" and k.domain):
            # sudo: ir.model is for admins; only the model's name is read here.
            field = self.env[kpi.sudo().model_id.model]._fields.get("step_id")
            if not field or field.type != "many2one" or field.comodel_name != "linear.process.step":
                continue
            domain = kpi_lib.steps_by_key(ast.literal_eval(kpi.domain), key_of)
            if domain is not None:
                kpi.domain = repr(domain)

    def _parsed_domain(self):
        """The KPI domain as a Domain, or a ValidationError that says what is wrong with it."""
        self.ensure_one()
        try:
            domain = Domain(ast.literal_eval(self.domain or "[]"))
            self.env[self.model_id.model].sudo()._search(domain)  # validates field names and operators
        except (ValueError, SyntaxError, TypeError, KeyError, AssertionError) as error:
            raise ValidationError(
                self.env._("KPI «%(kpi)s»: the domain does not parse: %(error)s", kpi=self.name, error=error)
            ) from error
        return domain

    @api.depends_context("uid", "company")
    @api.depends(
        "source",
        "period",
        "target",
        "direction",
        "measurement_ids.value",
        "measurement_ids.date",
        "model_id",
        "domain",
        "aggregate",
        "value_field_id",
        "date_field_id",
        "duration_start_field_id",
        "duration_end_field_id",
    )
    def _compute_current(self):
        today = fields.Date.context_today(self)
        for kpi in self:
            start, end = kpi_lib.period_bounds(today, kpi.period or "month")
            kpi.period_start, kpi.period_end = start, end
            value = kpi._value_between(start, end)
            kpi.current_value = value or 0.0
            kpi.status = kpi_lib.status(value, kpi.target, kpi.direction)

    def _value_between(self, start, end):
        """The KPI value over [start, end] (dates, inclusive) or None when there is nothing to measure."""
        self.ensure_one()
        if self.source == "manual":
            in_period = self.measurement_ids.filtered(lambda m: start <= m.date <= end)
            return in_period.sorted(lambda m: (m.date, m.id))[-1].value if in_period else None
        if not self.model_id:
            return None
        return self._computed_value(start, end)

    def _computed_value(self, start, end):
        # sudo: the definition lives in ir.model / ir.model.fields, which only admins may read;
        # only names are taken from it, and the target model's rights are checked right below.
        definition = self.sudo()
        Model = self.env[definition.model_id.model]
        if not Model.has_access("read"):
            raise AccessError(
                self.env._(
                    "KPI «%(kpi)s» reads %(model)s, which you are not allowed to read.",
                    kpi=self.name,
                    model=definition.model_id.name,
                )
            )
        domain = definition._parsed_domain()
        if definition.date_field_id:
            date_field = definition.date_field_id.name
            if definition.date_field_id.ttype == "datetime":
                low, high = datetime.combine(start, time.min), datetime.combine(end, time.max)
            else:
                low, high = start, end
            domain &= Domain(date_field, ">=", low) & Domain(date_field, "<=", high)
        if self.aggregate == "count":
            return float(Model.search_count(domain))
        if self.aggregate in ("sum", "avg"):
            [(value, count)] = Model._read_group(
                domain, [], [f"{definition.value_field_id.name}:{self.aggregate}", "__count"]
            )
            # _read_group gives False, not None, over no records: nothing measured is "No data",
            # not a 0 that would be "On track" for a lower-is-better KPI.
            return float(value or 0.0) if count else None
        if self.aggregate == "avg_duration":
            query = Model._search(domain)
            start_sql = Model._field_to_sql(Model._table, definition.duration_start_field_id.name, query)
            end_sql = Model._field_to_sql(Model._table, definition.duration_end_field_id.name, query)
            seconds = SQL("EXTRACT(EPOCH FROM (%s::timestamp - %s::timestamp))", end_sql, start_sql)
            [(value,)] = self.env.execute_query(query.select(SQL("AVG(%s) / 3600.0", seconds)))
            return float(value) if value is not None else None
        raise UserError(self.env._("Unknown aggregate %s.", self.aggregate))
