# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from ..lib import assignment as engine

# Messages that count as "talking with the client": sent or logged by a person, not the system.
TALK_MESSAGE_TYPES = ("comment", "email", "email_outgoing")


class LinearLeadAssignment(models.AbstractModel):
    """Loads the facts the assignment rules need, once per batch, and asks the pure engine.

    A request is a dict: ``partner_id`` (the client, may be False), ``team_id`` (may be False:
    the default team then), optionally ``client_manager_id`` (overrides the partner's own
    responsible), ``company_id`` (the lead's company: by default the team's, else the client's,
    else the current company; only users allowed in it are chosen) and ``follow`` (the index of
    an earlier request whose chosen user becomes this client's manager: a client and its leads
    move together when reassigning). Everything is
    read as superuser: assignment is a company decision, not limited by what the creating user
    may see. A constant number of queries is run per batch, whatever its size.
    """

    _name = "linear.lead.assignment"
    _description = "Lead Assignment Rules"

    # ------------------------------------------------------------------ planning
    @api.model
    def _plan(self, requests, excluded_user_ids=(), now=None):
        """Return one :class:`engine.Decision` per request, in order."""
        if not requests:
            return []
        now = now or fields.Datetime.now()
        excluded = set(excluded_user_ids)
        env = self.sudo().with_context(active_test=False).env
        partners = env["res.partner"].browse({r["partner_id"] for r in requests if r.get("partner_id")})
        commercial_by_partner = {p.id: p.commercial_partner_id.id for p in partners}
        manager_by_partner = {p.id: (p.user_id or p.commercial_partner_id.user_id).id for p in partners}
        talkers = self._last_talkers(set(commercial_by_partner.values()))

        default_team = env["crm.team"]
        if any(not r.get("team_id") for r in requests):
            default_team = self.env["crm.team"]._get_default_team_id()
        team_ids = {r.get("team_id") or default_team.id for r in requests} - {False, None}
        all_teams = env["crm.team"].browse(team_ids)
        teams = all_teams.filtered("active")
        members_by_team = self._team_members(teams, now)

        user_ids = {m.user_id for members in members_by_team.values() for m in members}
        user_ids |= {uid for uid in manager_by_partner.values() if uid}
        user_ids |= {uid for r in requests if (uid := r.get("client_manager_id"))}
        user_ids |= {uid for ranked in talkers.values() for uid in ranked}
        hours_user_ids = {
            m.user_id for team in teams if team.assignment_working_hours for m in members_by_team[team.id]
        }
        availability = self._availability(user_ids, hours_user_ids, now)
        for uid in excluded:
            availability[uid] = engine.Availability(active=False)

        # a lead is only ever given to someone allowed in its company (never another company's user)
        companies_by_user = {
            user.id: set(user.company_ids.ids) for user in env["res.users"].browse(list(availability))
        }
        company_by_team = {team.id: team.company_id.id for team in all_teams}
        company_by_partner = {p.id: p.company_id.id for p in partners}
        allowed_by_company = {}

        def allowed_in(company_id):
            if company_id not in allowed_by_company:
                allowed_by_company[company_id] = {
                    uid for uid, company_ids in companies_by_user.items() if company_id in company_ids
                }
            return allowed_by_company[company_id]

        rotations = {
            team.id: engine.build_rotation(
                team.id, members_by_team[team.id], availability, team.assignment_working_hours
            )
            for team in teams
        }
        decisions = []
        for request in requests:
            partner_id = request.get("partner_id")
            manager_id = request.get("client_manager_id") or manager_by_partner.get(partner_id)
            if request.get("follow") is not None and decisions[request["follow"]].user_id:
                manager_id = decisions[request["follow"]].user_id
            ranked = talkers.get(commercial_by_partner.get(partner_id), ())
            team_id = request.get("team_id") or default_team.id
            rotation = rotations.get(team_id)
            company_id = (
                request.get("company_id")
                or company_by_team.get(team_id)
                or company_by_partner.get(partner_id)
                or self.env.company.id
            )
            decision = engine.decide(
                manager_id, ranked, availability, rotation, excluded, allowed=allowed_in(company_id)
            )
            if decision.rule in (engine.RULE_CLIENT_MANAGER, engine.RULE_LAST_CONTACT) and rotation:
                rotation.count(decision.user_id)
            elif decision.missing == engine.NO_TEAM and team_id:
                decision.team_id, decision.missing = team_id, None  # an archived team: say which one
            decisions.append(decision)
        return decisions

    @api.model
    def _last_talkers(self, commercial_ids):
        """Internal users who dealt with each client, most recent first.

        Counts a lead of the client with a salesperson, and messages or done activities authored
        by an internal user on the client, its contacts or their leads.
        """
        if not commercial_ids:
            return {}
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["crm.lead"].flush_model(["partner_id", "user_id", "date_open"])
        self.env["mail.message"].flush_model(["model", "res_id", "author_id", "date", "message_type"])
        rows = self.env.execute_query(
            SQL(
                """
            WITH fam AS (
                SELECT id, commercial_partner_id AS cid
                  FROM res_partner WHERE commercial_partner_id = ANY(%(cids)s)
            ), leads AS (
                SELECT l.id, l.user_id, GREATEST(l.create_date, l.date_open) AS at, fam.cid
                  FROM crm_lead l JOIN fam ON fam.id = l.partner_id
            ), talk AS (
                SELECT fam.cid, m.author_id, m.date
                  FROM mail_message m JOIN fam ON m.model = 'res.partner' AND m.res_id = fam.id
                 WHERE m.message_type IN %(types)s OR m.mail_activity_type_id IS NOT NULL
                UNION ALL
                SELECT leads.cid, m.author_id, m.date
                  FROM mail_message m JOIN leads ON m.model = 'crm.lead' AND m.res_id = leads.id
                 WHERE m.message_type IN %(types)s OR m.mail_activity_type_id IS NOT NULL
            )
            SELECT talk.cid, u.id, MAX(talk.date)
              FROM talk JOIN res_users u ON u.partner_id = talk.author_id AND NOT u.share
             GROUP BY talk.cid, u.id
            UNION ALL
            SELECT cid, user_id, MAX(at) FROM leads WHERE user_id IS NOT NULL GROUP BY cid, user_id
            """,
                cids=list(commercial_ids),
                types=TALK_MESSAGE_TYPES,
            )
        )
        latest = defaultdict(dict)
        for cid, uid, at in rows:
            if at and (uid not in latest[cid] or latest[cid][uid] < at):
                latest[cid][uid] = at
        return {
            cid: [
                uid for uid, _at in sorted(dates.items(), key=lambda item: (item[1], item[0]), reverse=True)
            ]
            for cid, dates in latest.items()
        }

    @api.model
    def _team_members(self, teams, now):
        """Rotation members of each team with their weights and loads (a few grouped queries)."""
        members_by_team = {team.id: [] for team in teams}
        memberships = teams.crm_team_member_ids.filtered(lambda m: m.active)
        if not memberships:
            return members_by_team
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        user_ids = memberships.user_id.ids
        closed = defaultdict(lambda: {"won": 0, "lost": 0})
        recent = defaultdict(int)
        teams_by_window = defaultdict(list)
        for team in teams:
            teams_by_window[team.assignment_winrate_days or 90].append(team.id)
        for days, window_team_ids in teams_by_window.items():
            since = now - timedelta(days=days)
            for team, user, status, count in Lead._read_group(
                [
                    ("team_id", "in", window_team_ids),
                    ("user_id", "in", user_ids),
                    ("date_closed", ">=", since),
                    ("won_status", "in", ("won", "lost")),
                ],
                ["team_id", "user_id", "won_status"],
                ["__count"],
            ):
                closed[team.id, user.id][status] += count
            for team, user, count in Lead._read_group(
                [("team_id", "in", window_team_ids), ("user_id", "in", user_ids), ("date_open", ">=", since)],
                ["team_id", "user_id"],
                ["__count"],
            ):
                recent[team.id, user.id] = count
        open_leads = dict(
            self.env["crm.lead"]
            .sudo()
            ._read_group(
                [("user_id", "in", user_ids), ("won_status", "=", "pending")],
                ["user_id"],
                ["__count"],
            )
        )
        open_by_user = {user.id: count for user, count in open_leads.items()}
        for membership in memberships:
            team, uid = membership.crm_team_id, membership.user_id.id
            stats = closed[team.id, uid]
            members_by_team[team.id].append(
                engine.Member(
                    user_id=uid,
                    weight=engine.member_weight(stats["won"], stats["lost"], team.assignment_floor_weight),
                    win_rate=engine.win_rate(stats["won"], stats["lost"]),
                    recent=recent[team.id, uid],
                    open_leads=open_by_user.get(uid, 0),
                    capacity=membership.open_lead_capacity,
                    paused=membership.assignment_optout,
                )
            )
        return members_by_team

    @api.model
    def _availability(self, user_ids, hours_user_ids, now):
        """Active, marked unavailable, on leave now, within working hours now; per user."""
        users = self.env["res.users"].sudo().with_context(active_test=False).browse(user_ids).exists()
        employees = (
            self.env["hr.employee"].sudo().search([("user_id", "in", users.ids)])
            if users
            else self.env["hr.employee"]
        )
        employee_by_user = {}
        for employee in employees:
            # several companies: prefer the employee of the user's main company
            current = employee_by_user.get(employee.user_id.id)
            if not current or employee.company_id == employee.user_id.company_id:
                employee_by_user[employee.user_id.id] = employee
        on_leave_resources = set()
        resources = self.env["resource.resource"].union(*(e.resource_id for e in employee_by_user.values()))
        if resources:
            leaves = (
                self.env["resource.calendar.leaves"]
                .sudo()
                ._read_group(
                    [("resource_id", "in", resources.ids), ("date_from", "<=", now), ("date_to", ">", now)],
                    ["resource_id"],
                )
            )
            on_leave_resources = {resource.id for (resource,) in leaves}
        working = self._working_now(users.filtered(lambda u: u.id in hours_user_ids), employee_by_user, now)
        result = {}
        for user in users:
            employee = employee_by_user.get(user.id)
            result[user.id] = engine.Availability(
                active=user.active and not user.share,
                unavailable=user.assignment_unavailable,
                on_leave=bool(employee and employee.resource_id.id in on_leave_resources),
                in_working_hours=working.get(user.id, True),
            )
        return result

    @api.model
    def _working_now(self, users, employee_by_user, now):
        """Whether each user is within working hours at `now`: one calendar call per schedule."""
        start = pytz.utc.localize(now)
        end = start + timedelta(minutes=1)
        groups = defaultdict(lambda: self.env["res.users"])
        for user in users:
            employee = employee_by_user.get(user.id)
            if employee:
                calendar = employee.resource_calendar_id
                if not calendar:
                    continue  # flexible hours: always working
                groups[calendar, employee.resource_id.tz or user.tz or "UTC", True] |= user
            else:
                calendar = user.company_id.resource_calendar_id
                if calendar:
                    groups[calendar, user.tz or calendar.tz or "UTC", False] |= user
        working = {}
        for (calendar, tz, with_employee), group_users in groups.items():
            if with_employee:
                resources = self.env["resource.resource"].union(
                    *(employee_by_user[u.id].resource_id for u in group_users)
                )
                intervals = calendar.sudo()._work_intervals_batch(start, end, resources=resources)
                for user in group_users:
                    working[user.id] = bool(list(intervals[employee_by_user[user.id].resource_id.id]))
            else:
                intervals = calendar.sudo()._work_intervals_batch(start, end, tz=pytz.timezone(tz))
                for user in group_users:
                    working[user.id] = bool(list(intervals[False]))
        return working

    # ------------------------------------------------------------------ reasons
    @api.model
    def _reason(self, decision, lang=None):
        """Human text of a decision, in `lang` (the assigned user's language by default)."""
        env = self.with_context(lang=lang).env if lang else self.env
        team = env["crm.team"].sudo().browse(decision.team_id) if decision.team_id else None
        if decision.rule == engine.RULE_CLIENT_MANAGER:
            return env._("Client's responsible manager")
        if decision.rule == engine.RULE_LAST_CONTACT:
            return env._("Last manager who talked with the client")
        if decision.rule == engine.RULE_ROTATION:
            if decision.win_rate is None:
                return env._("Weighted rotation in team %(team)s (new member, floor weight)", team=team.name)
            return env._(
                "Weighted rotation in team %(team)s (win rate %(rate)s%%)",
                team=team.name,
                rate=round(decision.win_rate * 100),
            )
        if decision.missing == engine.NO_TEAM:
            return env._("Not assigned: the client has no available manager and there is no sales team")
        if decision.missing == engine.NO_MEMBERS:
            return env._("Not assigned: team %(team)s has no members", team=team.name)
        if team is not None and not team.active:
            return env._("Not assigned: team %(team)s is archived", team=team.name)
        labels = {
            engine.SKIP_INACTIVE: env._("inactive"),
            engine.SKIP_PAUSED: env._("assignment paused"),
            engine.SKIP_UNAVAILABLE: env._("marked unavailable"),
            engine.SKIP_ON_LEAVE: env._("on leave"),
            engine.SKIP_OFF_HOURS: env._("outside working hours"),
            engine.SKIP_OVER_CAPACITY: env._("at open leads capacity"),
            engine.SKIP_OTHER_COMPANY: env._("not allowed in the lead's company"),
        }
        details = ", ".join(
            f"{count} {labels[reason]}"
            for reason, count in sorted(
                decision.skipped.items(), key=lambda item: engine.SKIP_REASONS.index(item[0])
            )
        )
        return env._(
            "Not assigned: no eligible member in team %(team)s (%(details)s)", team=team.name, details=details
        )

    @api.model
    def _reasons(self, decisions):
        """Reason texts for many decisions, each rendered once per distinct outcome and language."""
        langs = {
            user.id: user.lang
            for user in self.env["res.users"].sudo().browse({d.user_id for d in decisions if d.user_id})
        }
        default_lang = self.env.lang or self.env.company.partner_id.lang
        cache = {}
        texts = []
        for decision in decisions:
            lang = langs.get(decision.user_id) or default_lang
            key = (
                decision.rule,
                decision.team_id,
                decision.win_rate,
                decision.missing,
                tuple(sorted(decision.skipped.items())),
                lang,
            )
            if key not in cache:
                cache[key] = self._reason(decision, lang)
            texts.append(cache[key])
        return texts
