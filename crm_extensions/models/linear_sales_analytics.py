# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The one analytics API of the sales reports: dashboard, XLSX exports and digests call it.

Every method takes one ``filters`` dict ({"date_from", "date_to", "team_id", "user_id",
"source_id"}) and returns JSON-able dicts whose figure rows carry a ``lead_domain`` for the
drill-down. Every query is limited to the leads the calling user may read, through crm.lead's
own ``_search`` (its record rules), so one call is right for a salesperson, a team leader and a
manager; the few reads done as superuser are joined to that same subquery.
"""

import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ...linear_process.lib import planning
from ..lib import funnel

FILTER_KEYS = ("date_from", "date_to", "team_id", "user_id", "source_id")
DEFAULT_DAYS = 30


def _dt(value):
    return fields.Datetime.to_string(value)


class LinearSalesAnalytics(models.AbstractModel):
    _name = "linear.sales.analytics"
    _description = "Sales Analytics"

    # ------------------------------------------------------------------ filters and scope
    @api.model
    def _linear_filters(self, filters):
        """Checked filters: dates (date_from <= date_to), ids as int or False; the period as naive
        UTC datetimes [start, end)."""
        # The figures are about leads: whoever may not read leads gets none (an AccessError),
        # even where a query below spares itself crm.lead's _search.
        self.env["crm.lead"].check_access("read")
        filters = dict(filters or {})
        unknown = set(filters) - set(FILTER_KEYS)
        if unknown:
            raise UserError(self.env._("Unknown report filters: %s", ", ".join(sorted(map(str, unknown)))))
        try:
            date_to = fields.Date.to_date(filters.get("date_to")) or fields.Date.context_today(self)
            date_from = fields.Date.to_date(filters.get("date_from")) or date_to - datetime.timedelta(
                days=DEFAULT_DAYS
            )
        except (TypeError, ValueError) as error:
            raise UserError(self.env._("Report dates are written as YYYY-MM-DD.")) from error
        if date_from > date_to:
            raise UserError(self.env._("The report period starts after it ends."))
        result = {"date_from": date_from, "date_to": date_to}
        for key in ("team_id", "user_id", "source_id"):
            value = filters.get(key) or False
            if value is not False and (isinstance(value, bool) or not isinstance(value, int)):
                raise UserError(self.env._("The report filter %s takes a record id.", key))
            result[key] = value
        result["start"] = datetime.datetime.combine(date_from, datetime.time.min)
        result["end"] = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min)
        return result

    @api.model
    def _linear_lead_domain(self, flt, extra=(), team_field="team_id", user_field="user_id"):
        """crm.lead domain of the filters (archived leads included: lost leads are archived)."""
        domain = [("active", "in", [True, False])]
        if flt["team_id"]:
            domain.append((team_field, "=", flt["team_id"]))
        if flt["user_id"]:
            domain.append((user_field, "=", flt["user_id"]))
        if flt["source_id"]:
            domain.append(("source_id", "=", flt["source_id"]))
        return domain + list(extra)

    @api.model
    def _linear_visible_leads(self, domain):
        """SQL subquery of the ids of the leads the calling user may read among `domain`."""
        Lead = self.env["crm.lead"].with_context(active_test=False)
        return Lead._search(domain).subselect()

    @api.model
    def _linear_query(self, query):
        self.env.flush_all()
        return self.env.execute_query_dict(query)

    # ------------------------------------------------------------------ funnel
    @api.model
    def _linear_pipeline_stages(self, team):
        """The stages of the team's pipeline in order, as its kanban shows them; without a team
        the stages shared by all pipelines (not those of a process-bound team)."""
        Stage = self.env["crm.stage"]
        if team:
            Lead = self.env["crm.lead"].with_context(default_team_id=team.id)
            return Lead._read_group_stage_ids(Stage, []).sorted(lambda s: (s.sequence, s.id))
        return Stage.search([("linear_team_id", "=", False), ("team_ids", "=", False)], order="sequence, id")

    @api.model
    def _linear_history_scope(self, lead_domain):
        """SQL condition on the history alias ``h``: the rows of the leads the user may read.

        A user whom the lead rules restrict by company only (managers) is filtered on the
        history's own company column, which spares the funnel a join with every lead (the bench
        measured it at twice the rest of the query); anyone else, or a filter on the lead's
        source, goes through crm.lead's ``_search``."""
        rules = self.env["ir.rule"]._compute_domain("crm.lead", "read")
        only_company = all(cond.field_expr == "company_id" for cond in rules.iter_conditions())
        if only_company and lead_domain == [("active", "in", [True, False])]:
            companies = tuple(self.env.companies.ids)
            return SQL("(h.company_id IS NULL OR h.company_id IN %s)", companies)
        return SQL("h.lead_id IN %s", self._linear_visible_leads(lead_domain))

    @api.model
    def funnel(self, filters):
        """Per stage of the pipeline, in order: leads whose first entry into the stage falls in the
        period, those that moved forward from it, were lost in it, were won later; conversions,
        average and median hours of their first stay. Totals: the leads entering the funnel's top
        stage, won later among them, lost in any stage."""
        flt = self._linear_filters(filters)
        team = self.env["crm.team"].browse(flt["team_id"]).exists()
        stages = self._linear_pipeline_stages(team)
        period = [
            ("is_first_entry", "=", True),
            ("date", ">=", _dt(flt["start"])),
            ("date", "<", _dt(flt["end"])),
        ]
        where = [SQL("h.is_first_entry"), SQL("h.date >= %s AND h.date < %s", flt["start"], flt["end"])]
        if flt["team_id"]:
            period.append(("team_id", "=", flt["team_id"]))
            where.append(SQL("h.team_id = %s", flt["team_id"]))
        if flt["user_id"]:
            period.append(("salesperson_id", "=", flt["user_id"]))
            where.append(SQL("h.salesperson_id = %s", flt["user_id"]))
        lead_domain = [("active", "in", [True, False])]
        if flt["source_id"]:
            lead_domain.append(("source_id", "=", flt["source_id"]))
        where.append(self._linear_history_scope(lead_domain))
        # One pass, hours bucketed to the hundredth (what is shown): the median comes from the
        # buckets' counts, the average from their exact sums.
        rows = self._linear_query(
            SQL(
                """
                SELECT h.stage_to_id AS stage_id,
                       CASE WHEN h.left_date IS NOT NULL THEN ROUND(h.hours_in_stage::numeric, 2) END
                           AS bucket,
                       COUNT(*) AS entered,
                       COUNT(*) FILTER (WHERE h.moved_forward) AS forward,
                       COUNT(*) FILTER (WHERE h.lost_in_stage) AS lost,
                       COUNT(*) FILTER (WHERE h.won_later) AS won_later,
                       COUNT(*) FILTER (WHERE h.left_date IS NOT NULL) AS left_count,
                       SUM(h.hours_in_stage) FILTER (WHERE h.left_date IS NOT NULL) AS hours
                  FROM linear_stage_history h
                 WHERE %s
              GROUP BY 1, 2
                """,
                SQL(" AND ").join(where),
            )
        )
        by_stage = {}
        for row in rows:
            figures = by_stage.setdefault(
                row["stage_id"],
                {"entered": 0, "forward": 0, "lost": 0, "won_later": 0, "hours": 0.0, "counts": {}},
            )
            for key in ("entered", "forward", "lost", "won_later"):
                figures[key] += row[key]
            if row["left_count"]:
                figures["hours"] += row["hours"] or 0.0
                figures["counts"][float(row["bucket"])] = row["left_count"]
        result_stages = []
        for stage in stages:
            figures = by_stage.pop(
                stage.id, {"entered": 0, "forward": 0, "lost": 0, "won_later": 0, "counts": {}}
            )
            left = sum(figures["counts"].values())
            result_stages.append(
                {
                    "stage_id": stage.id,
                    "name": stage.name,
                    "sequence": stage.sequence,
                    "is_won": stage.is_won,
                    "entered": figures["entered"],
                    "forward": figures["forward"],
                    "lost": figures["lost"],
                    "won_later": figures["won_later"],
                    "avg_hours": round(figures["hours"] / left, 2) if left else None,
                    "median_hours": funnel.rounded(funnel.median_of_counts(figures["counts"])),
                    "lead_domain": [
                        *lead_domain,
                        ("stage_history_ids", "any", [*period, ("stage_to_id", "=", stage.id)]),
                    ],
                }
            )
        result_stages = funnel.funnel_rows(result_stages)
        outside = sum(figures["entered"] for stage_id, figures in by_stage.items() if stage_id)
        totals = funnel.funnel_totals(result_stages, sum(stage["lost"] for stage in result_stages))
        totals["lead_domain"] = [*lead_domain, ("stage_history_ids", "any", period)]
        message = False
        if not stages:
            message = self.env._("This pipeline has no stages.")
        elif not any(stage["entered"] for stage in result_stages):
            message = self.env._("No lead entered a stage in this period.")
        elif outside:
            message = self.env._(
                "%s stage entries are in stages of other pipelines and are not shown.", outside
            )
        return {"stages": result_stages, "totals": totals, "message": message}

    # ------------------------------------------------------------------ managers
    @api.model
    def _linear_interaction_counts(self, user_ids, date_from, date_to):
        """{user id: {"calls_in", "calls_out", "calls_missed", "messages", "first_outbound":
        {lead id: datetime}}} of calls and messages; channel_connectors overrides this (it owns
        the interactions). Without it every user has none."""
        return {}

    @api.model
    def managers(self, filters):
        flt = self._linear_filters(filters)
        start, end = flt["start"], flt["end"]
        domain = self._linear_lead_domain(flt)
        visible = self._linear_visible_leads(domain)
        new_rows = self._linear_query(
            SQL(
                """
                SELECT l.id, l.user_id, l.create_date,
                       GREATEST(l.create_date, COALESCE(l.date_open, l.create_date)) AS start,
                       (SELECT MIN(m.date) FROM mail_message m
                         WHERE m.model = 'crm.lead' AND m.res_id = l.id
                           AND m.mail_activity_type_id IS NOT NULL
                           AND m.date >= GREATEST(l.create_date, COALESCE(l.date_open, l.create_date))
                       ) AS first_done
                  FROM crm_lead l
                 WHERE l.id IN %s AND l.create_date >= %s AND l.create_date < %s
                """,
                visible,
                start,
                end,
            )
        )
        closed = self._linear_query(
            SQL(
                """
                SELECT l.user_id,
                       COUNT(*) FILTER (WHERE l.won_status = 'won') AS won_count,
                       COUNT(*) FILTER (WHERE l.won_status = 'lost') AS lost_count,
                       COALESCE(SUM(l.expected_revenue) FILTER (WHERE l.won_status = 'won'), 0) AS revenue,
                       AVG(EXTRACT(EPOCH FROM (l.date_closed - l.create_date)) / 86400.0)
                           FILTER (WHERE l.won_status = 'won') AS cycle_days
                  FROM crm_lead l
                 WHERE l.id IN %s AND l.date_closed >= %s AND l.date_closed < %s
              GROUP BY l.user_id
                """,
                visible,
                start,
                end,
            )
        )
        done = self._linear_query(
            SQL(
                """
                SELECT l.user_id, COUNT(*) AS done
                  FROM mail_message m JOIN crm_lead l ON l.id = m.res_id
                 WHERE m.model = 'crm.lead' AND m.mail_activity_type_id IS NOT NULL
                   AND m.date >= %s AND m.date < %s AND l.id IN %s
              GROUP BY l.user_id
                """,
                start,
                end,
                visible,
            )
        )
        today = fields.Date.context_today(self)
        overdue = self._linear_query(
            SQL(
                """
                SELECT a.user_id, COUNT(*) AS overdue
                  FROM mail_activity a
                 WHERE a.res_model = 'crm.lead' AND a.date_deadline < %s AND a.res_id IN %s
                   AND a.active
              GROUP BY a.user_id
                """,
                min(today, flt["date_to"] + datetime.timedelta(days=1)),
                visible,
            )
        )
        objections = self._linear_query(
            SQL(
                """
                SELECT l.user_id, o.type_id, COUNT(*) AS count
                  FROM crm_lead_objection o JOIN crm_lead l ON l.id = o.lead_id
                 WHERE l.id IN %s AND o.date >= %s AND o.date < %s
              GROUP BY l.user_id, o.type_id
                """,
                visible,
                start,
                end,
            )
        )
        user_ids = (
            {row["user_id"] for row in new_rows}
            | {row["user_id"] for row in closed}
            | {row["user_id"] for row in done}
            | {row["user_id"] for row in overdue}
            | {row["user_id"] for row in objections}
        )
        user_ids.discard(None)
        if flt["user_id"]:
            user_ids &= {flt["user_id"]}
        interactions = self._linear_interaction_counts(sorted(user_ids), start, end) or {}
        types = self.env["crm.lead.objection.type"].sudo().browse({row["type_id"] for row in objections})
        type_names = {kind.id: kind.name for kind in types}  # sudo: names of objection types only
        closed_by = {row["user_id"]: row for row in closed}
        done_by = {row["user_id"]: row["done"] for row in done}
        overdue_by = {row["user_id"]: row["overdue"] for row in overdue}
        users = self.env["res.users"].sudo().browse(sorted(user_ids))  # sudo: names of salespeople
        rows = []
        for user in users.sorted(lambda u: (u.name or "", u.id)):
            counts = interactions.get(user.id, {})
            first_outbound = counts.get("first_outbound") or {}
            waits = []
            new_count = 0
            for row in new_rows:
                if row["user_id"] != user.id:
                    continue
                new_count += 1
                answers = [
                    t for t in (row["first_done"], first_outbound.get(row["id"])) if t and t >= row["start"]
                ]
                if answers:
                    waits.append((min(answers) - row["start"]).total_seconds() / 3600.0)
            won = closed_by.get(user.id, {})
            won_count = won.get("won_count", 0)
            revenue = float(won.get("revenue") or 0.0)
            rows.append(
                {
                    "user_id": user.id,
                    "name": user.name,
                    "new_leads": new_count,
                    "first_response_median_hours": funnel.rounded(funnel.median(waits)),
                    "calls_in": counts.get("calls_in", 0),
                    "calls_out": counts.get("calls_out", 0),
                    "calls_missed": counts.get("calls_missed", 0),
                    "messages": counts.get("messages", 0),
                    "activities_done": done_by.get(user.id, 0),
                    "activities_overdue": overdue_by.get(user.id, 0),
                    "won_count": won_count,
                    "win_rate": funnel.win_rate(won_count, won.get("lost_count", 0)),
                    "revenue_won": revenue,
                    "average_deal": round(revenue / won_count, 2) if won_count else None,
                    "average_cycle_days": funnel.rounded(
                        None if won.get("cycle_days") is None else float(won["cycle_days"])
                    ),
                    "objections": {
                        type_names.get(row["type_id"], ""): row["count"]
                        for row in objections
                        if row["user_id"] == user.id
                    },
                    "lead_domain": [*domain, ("user_id", "=", user.id)],
                }
            )
        return {"rows": rows, "message": False if rows else self.env._("No data for this period.")}

    @api.model
    def discipline(self, filters, idle_days=7):
        """Open leads per salesperson without a next activity, with overdue actions, untouched
        (no change and no message) for `idle_days` days."""
        flt = self._linear_filters(filters)
        if not isinstance(idle_days, int) or isinstance(idle_days, bool) or idle_days < 1:
            raise UserError(self.env._("Idle days must be a positive whole number."))
        today = fields.Date.context_today(self)
        today_text = fields.Date.to_string(today)
        cutoff = fields.Datetime.now() - datetime.timedelta(days=idle_days)
        domain = self._linear_lead_domain(flt, [("active", "=", True), ("won_status", "=", "pending")])
        visible = self._linear_visible_leads(domain)
        rows = self._linear_query(
            SQL(
                """
                SELECT l.user_id,
                       COUNT(*) FILTER (WHERE NOT EXISTS (
                           SELECT 1 FROM mail_activity a
                            WHERE a.res_model = 'crm.lead' AND a.res_id = l.id AND a.active)) AS no_next,
                       COUNT(*) FILTER (WHERE EXISTS (
                           SELECT 1 FROM mail_activity a
                            WHERE a.res_model = 'crm.lead' AND a.res_id = l.id AND a.active
                              AND a.date_deadline < %(today)s)) AS overdue,
                       COUNT(*) FILTER (WHERE l.write_date < %(cutoff)s AND NOT EXISTS (
                           SELECT 1 FROM mail_message m
                            WHERE m.model = 'crm.lead' AND m.res_id = l.id AND m.date >= %(cutoff)s
                              AND m.message_type != 'user_notification')
                       ) AS untouched
                  FROM crm_lead l
                 WHERE l.id IN %(visible)s
              GROUP BY l.user_id
                """,
                today=today,
                cutoff=cutoff,
                visible=visible,
            )
        )
        users = self.env["res.users"].sudo().browse([r["user_id"] for r in rows if r["user_id"]])
        names = {user.id: user.name for user in users}  # sudo: names of salespeople only
        result = []
        for row in sorted(rows, key=lambda r: (names.get(r["user_id"], ""), r["user_id"] or 0)):
            base = [*domain, ("user_id", "=", row["user_id"] or False)]
            result.append(
                {
                    "user_id": row["user_id"] or False,
                    "name": names.get(row["user_id"], self.env._("Unassigned")),
                    "no_next_activity": row["no_next"],
                    "overdue_actions": row["overdue"],
                    "untouched": row["untouched"],
                    # done activities are archived, not deleted: only active ones are planned actions
                    "no_next_activity_domain": [*base, ("activity_ids", "not any", [("active", "=", True)])],
                    "overdue_actions_domain": [
                        *base,
                        ("activity_ids", "any", [("active", "=", True), ("date_deadline", "<", today_text)]),
                    ],
                    "untouched_domain": [
                        *base,
                        ("write_date", "<", _dt(cutoff)),
                        ("message_ids", "not any", [("date", ">=", _dt(cutoff))]),
                    ],
                    "lead_domain": base,
                }
            )
        return {"rows": result, "message": False if result else self.env._("No open leads.")}

    # ------------------------------------------------------------------ channels
    @api.model
    def channels(self, filters):
        flt = self._linear_filters(filters)
        domain = self._linear_lead_domain(
            flt, [("create_date", ">=", _dt(flt["start"])), ("create_date", "<", _dt(flt["end"]))]
        )
        visible = self._linear_visible_leads(domain)
        rows = self._linear_query(
            SQL(
                """
                SELECT l.source_id, l.medium_id, l.campaign_id, COUNT(*) AS leads,
                       COUNT(*) FILTER (WHERE l.won_status = 'won') AS won,
                       COALESCE(SUM(l.expected_revenue) FILTER (WHERE l.won_status = 'won'), 0) AS revenue
                  FROM crm_lead l
                 WHERE l.id IN %s
              GROUP BY l.source_id, l.medium_id, l.campaign_id
                """,
                visible,
            )
        )
        company = self.env.company
        costs = self._linear_costs(flt) if self._linear_sees_costs() else None
        names = self._linear_utm_names(rows)
        result = []
        keys = {(r["source_id"], r["medium_id"], r["campaign_id"]) for r in rows}
        if costs:
            keys |= set(costs)
        by_key = {(r["source_id"], r["medium_id"], r["campaign_id"]): r for r in rows}
        models_ = ("utm.source", "utm.medium", "utm.campaign")
        for key in sorted(
            keys, key=lambda k: [(names.get((m, i), ""), i or 0) for m, i in zip(models_, k, strict=True)]
        ):
            row = by_key.get(key, {"leads": 0, "won": 0, "revenue": 0.0})
            source_id, medium_id, campaign_id = key
            revenue = float(row["revenue"] or 0.0)
            cost = None if costs is None or key not in costs else round(costs[key], 2)
            result.append(
                {
                    "source_id": source_id or False,
                    "source": names.get(("utm.source", source_id), ""),
                    "medium_id": medium_id or False,
                    "medium": names.get(("utm.medium", medium_id), ""),
                    "campaign_id": campaign_id or False,
                    "campaign": names.get(("utm.campaign", campaign_id), ""),
                    "leads": row["leads"],
                    "won": row["won"],
                    "revenue": revenue,
                    "cost": cost,
                    "currency": company.currency_id.name,
                    **funnel.channel_figures(row["leads"], row["won"], revenue, cost),
                    "lead_domain": [
                        *domain,
                        ("source_id", "=", source_id or False),
                        ("medium_id", "=", medium_id or False),
                        ("campaign_id", "=", campaign_id or False),
                    ],
                }
            )
        return {
            "rows": result,
            "currency": company.currency_id.name,
            "message": False if result else self.env._("No data for this period."),
        }

    @api.model
    def _linear_sees_costs(self):
        """Marketing costs are company figures: only users who see every lead get them."""
        return self.env.user.has_group("sales_team.group_sale_salesman_all_leads")

    @api.model
    def _linear_costs(self, flt):
        """{(source id, medium id, campaign id): amount in the company's currency} of the cost
        rows whose month lies in the period, converted at each month's first day rate."""
        months = funnel.months_between(flt["date_from"], flt["date_to"])
        company = self.env.company
        rows = self.env["linear.marketing.cost"].search(
            [("month", ">=", months[0]), ("month", "<=", months[-1]), ("company_id", "=", company.id)]
        )
        costs = {}
        for row in rows:
            amount = row.currency_id._convert(row.amount, company.currency_id, company, row.month)
            key = (row.source_id.id or None, row.medium_id.id or None, row.campaign_id.id or None)
            costs[key] = costs.get(key, 0.0) + amount
        return costs

    @api.model
    def _linear_utm_names(self, rows):
        names = {}
        for model, column in (
            ("utm.source", "source_id"),
            ("utm.medium", "medium_id"),
            ("utm.campaign", "campaign_id"),
        ):
            ids = {row[column] for row in rows if row[column]}
            for record in self.env[model].sudo().browse(ids):  # sudo: channel names only
                names[(model, record.id)] = record.name
        return names

    # ------------------------------------------------------------------ forecast
    @api.model
    def forecast(self, filters):
        """Open opportunities by expected closing month, team and salesperson: expected and
        weighted (expected × probability) revenue, against the targets of those months."""
        flt = self._linear_filters(filters)
        domain = self._linear_lead_domain(
            flt,
            [
                ("active", "=", True),
                ("won_status", "=", "pending"),
                ("date_deadline", ">=", fields.Date.to_string(flt["date_from"])),
                ("date_deadline", "<=", fields.Date.to_string(flt["date_to"])),
            ],
        )
        visible = self._linear_visible_leads(domain)
        rows = self._linear_query(
            SQL(
                """
                SELECT DATE_TRUNC('month', l.date_deadline)::date AS month, l.team_id, l.user_id,
                       COALESCE(SUM(l.expected_revenue), 0) AS expected,
                       COALESCE(SUM(l.expected_revenue * l.probability / 100.0), 0) AS weighted,
                       COUNT(*) AS leads
                  FROM crm_lead l
                 WHERE l.id IN %s
              GROUP BY 1, 2, 3
                """,
                visible,
            )
        )
        months = funnel.months_between(flt["date_from"], flt["date_to"])
        target_domain = [("month", ">=", months[0]), ("month", "<=", months[-1])]
        if flt["team_id"]:
            target_domain.append(("team_id", "=", flt["team_id"]))
        if flt["user_id"]:
            target_domain.append(("user_id", "=", flt["user_id"]))
        targets = {}
        for target in self.env["linear.sales.target"].search(target_domain):
            key = (fields.Date.to_string(target.month), target.team_id.id or None, target.user_id.id or None)
            targets[key] = targets.get(key, 0.0) + target.amount
        by_key = {(fields.Date.to_string(r["month"]), r["team_id"], r["user_id"]): r for r in rows}
        teams = self.env["crm.team"].sudo().browse({k[1] for k in by_key | targets if k[1]})
        users = self.env["res.users"].sudo().browse({k[2] for k in by_key | targets if k[2]})
        team_names = {team.id: team.name for team in teams}  # sudo: names only
        user_names = {user.id: user.name for user in users}
        result = []
        for key in sorted(
            set(by_key) | set(targets),
            key=lambda k: (k[0], team_names.get(k[1], ""), user_names.get(k[2], "")),
        ):
            month, team_id, user_id = key
            row = by_key.get(key, {})
            month_date = fields.Date.to_date(month)
            next_month = (month_date + datetime.timedelta(days=32)).replace(day=1)
            result.append(
                {
                    "month": month,
                    "team_id": team_id or False,
                    "team": team_names.get(team_id, ""),
                    "user_id": user_id or False,
                    "user": user_names.get(user_id, ""),
                    "leads": row.get("leads", 0),
                    "expected": round(float(row.get("expected") or 0.0), 2),
                    "weighted": round(float(row.get("weighted") or 0.0), 2),
                    "target": round(targets[key], 2) if key in targets else False,
                    "lead_domain": [
                        *domain,
                        ("date_deadline", ">=", month),
                        ("date_deadline", "<", fields.Date.to_string(next_month)),
                        ("team_id", "=", team_id or False),
                        ("user_id", "=", user_id or False),
                    ],
                }
            )
        return {"rows": result, "message": False if result else self.env._("No data for this period.")}

    # ------------------------------------------------------------------ process panel
    @api.model
    def process(self, filters):
        """Per step of the team's bound process: working hours spent (average, median) against
        the norm, the share over the norm and the bottleneck, for passages that left the step in
        the period."""
        flt = self._linear_filters(filters)
        team = self.env["crm.team"].browse(flt["team_id"]).exists()
        if not team or not team.linear_process_id:
            return {
                "process_id": False,
                "steps": [],
                "message": self.env._("Choose a team whose pipeline runs a process."),
            }
        process = team.linear_process_id.sudo()  # sudo: the process configuration, not its data
        domain = self._linear_lead_domain(flt)
        visible = self._linear_visible_leads(domain)
        self.env.flush_all()
        # sudo: timings have no ACL for salespeople; only those of the leads they may read (the
        # subquery above) are aggregated.
        Timing = self.env["linear.step.timing"].sudo()
        timing_ids = [
            row["id"]
            for row in self._linear_query(
                SQL(
                    """
                    SELECT t.id FROM linear_step_timing t
                     WHERE t.res_model = 'crm.lead' AND t.res_id IN %s AND t.step_id IN %s
                       AND t.left_at IS NOT NULL AND t.left_at >= %s AND t.left_at < %s
                    """,
                    visible,
                    tuple(process.step_ids.ids) or (0,),
                    flt["start"],
                    flt["end"],
                )
            )
        ]
        by_step = Timing.browse(timing_ids).grouped("step_id")
        calendar = (team.company_id or self.env.company).resource_calendar_id.sudo()
        hours_per_day = (calendar.hours_per_day or 8.0) if calendar else 24.0
        figures, steps = {}, []
        for step in process.step_ids.sorted(lambda s: (s.sequence, s.id)):
            rows = by_step.get(step, Timing)
            unit = step.norm_unit or planning.WORKING_DAYS
            durations = rows.mapped("work_days" if unit == planning.WORKING_DAYS else "work_hours")
            figures[step.id] = dict(
                planning.step_figures(durations, step.norm_duration, rows.mapped("work_hours")),
                norm=step.norm_duration,
                unit=unit,
            )
            norm_hours, _days = planning.norm_in_working_time(step.norm_duration, unit, hours_per_day)
            hours = rows.mapped("work_hours")
            steps.append(
                {
                    "step_id": step.id,
                    "name": step.name,
                    "sequence": step.sequence,
                    "count": len(rows),
                    "avg_hours": funnel.rounded(funnel.average(hours)),
                    "median_hours": funnel.rounded(funnel.median(hours)),
                    "norm_hours": round(norm_hours, 2) if step.norm_duration else False,
                    "overdue_share": round(figures[step.id]["overdue_share"], 4),
                    "lead_domain": [*domain, ("id", "in", rows.mapped("res_id"))],
                }
            )
        bottleneck = planning.bottleneck(figures)
        for step in steps:
            step["bottleneck"] = step["step_id"] == bottleneck
        message = (
            False
            if any(step["count"] for step in steps)
            else self.env._("No step was finished in this period.")
        )
        return {"process_id": process.id, "steps": steps, "message": message}
