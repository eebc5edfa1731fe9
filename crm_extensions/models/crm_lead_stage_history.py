# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Stage history of leads, written by the one stage-move hook (crm_lead_process.py)."""

from odoo import fields, models
from odoo.http import request
from odoo.tools import SQL

# Put in the context by the merge only: a Python object, so no JSON-RPC client can send it.
_MERGING = object()
MERGING_KEY = "linear_merging"


class StageSnapshot:
    """What a lead was before a write that may move it: its stage and won status."""

    __slots__ = ("stage_id", "status")

    def __init__(self, lead):
        self.stage_id = lead.stage_id.id
        self.status = lead.won_status


class CrmLead(models.Model):
    _inherit = "crm.lead"

    stage_history_ids = fields.One2many("linear.stage.history", "lead_id")

    def _merge_opportunity(self, user_id=False, team_id=False, auto_unlink=True, max_length=5):
        merging = self.with_context(**{MERGING_KEY: _MERGING})
        return (
            super(CrmLead, merging)
            ._merge_opportunity(
                user_id=user_id, team_id=team_id, auto_unlink=auto_unlink, max_length=max_length
            )
            .with_env(self.env)
        )

    def _merge_dependences(self, opportunities):
        """The merged leads' history goes to the kept lead, like their step timing."""
        result = super()._merge_dependences(opportunities)
        History = self.env["linear.stage.history"].sudo()
        moved = History.search([("lead_id", "in", opportunities.ids)])
        moved.filtered("is_open").write({"is_open": False, "left_date": fields.Datetime.now()})
        moved.write({"lead_id": self.id})
        return result

    # ------------------------------------------------------------------ called by the hook
    def _linear_history_snapshot(self, vals):
        """{lead id: StageSnapshot} of the leads this write may move or mark won/lost/restored."""
        if not {"stage_id", "active", "probability"} & set(vals):
            return {}
        return {lead.id: StageSnapshot(lead) for lead in self}

    def _linear_history_source(self, is_won, is_lost, is_restore):
        context = self.env.context
        if context.get(MERGING_KEY) is _MERGING:
            return "merge"
        if context.get("import_file"):
            return "import"
        if context.get("__action_done"):
            return "automation"
        if is_won:
            return "won"
        if is_lost:
            return "lost"
        if is_restore:
            return "restore"
        if not request:
            return "server"
        return "ui" if request.httprequest.path.startswith("/web/") else "rpc"

    def _linear_history_record(self, snapshots, now):
        """Write one history row per lead that changed stage or was marked lost or restored, and
        complete the entry each of them leaves. `snapshots` is None for new leads.

        The time spent in the stage left is measured from the lead's open entry row (same clock
        as the step timing), so history and timing agree to the second."""
        moves = []
        for lead in self:
            before = snapshots.get(lead.id) if snapshots is not None else None
            stage, status = lead.stage_id, lead.won_status
            moved = before is None or stage.id != before.stage_id
            was_status = before.status if before else "pending"
            is_lost = status == "lost" and was_status != "lost"
            is_restore = was_status == "lost" and status != "lost"
            is_won = status == "won" and (was_status != "won" or moved)
            if moved or is_lost or is_restore:
                moves.append((lead, before, moved, is_won, is_lost, is_restore))
        if not moves:
            return self.env["linear.stage.history"]
        History = self.env["linear.stage.history"].sudo()
        History.flush_model()
        cr = self.env.cr
        # hours in the stage each lead leaves (or is lost in), from its open entry
        closing = []
        for lead, before, moved, *_flags in moves:
            if before is None or not moved:
                continue
            old, new = self.env["crm.stage"].browse(before.stage_id), lead.stage_id
            closing.append((lead.id, bool(new) and (new.is_won or not old or new.sequence > old.sequence)))
        hours = {}
        if closing:
            cr.execute(
                SQL(
                    """
                    UPDATE linear_stage_history h
                       SET is_open = FALSE, left_date = %(now)s, moved_forward = v.forward,
                           hours_in_stage = GREATEST(EXTRACT(EPOCH FROM (%(now)s - h.date)) / 3600.0, 0)
                      FROM (VALUES %(values)s) AS v(lead_id, forward)
                     WHERE h.lead_id = v.lead_id AND h.is_open
                 RETURNING h.lead_id, h.hours_in_stage, h.stage_to_id, v.forward AND NOT h.is_first_entry
                    """,
                    now=now,
                    values=SQL(", ").join(SQL("(%s, %s)", *row) for row in closing),
                )
            )
            rows = cr.fetchall()
            hours.update((lead_id, value) for lead_id, value, _stage, _later in rows)
            # a later stay that moves forward: the stage's first entry says so too
            self._linear_history_mark_first(
                [(lead, stage) for lead, _h, stage, later in rows if later], "moved_forward"
            )
        lost = [lead.id for lead, before, moved, is_won, is_lost, _r in moves if is_lost and not moved]
        if lost:
            cr.execute(
                SQL(
                    """
                    UPDATE linear_stage_history h SET lost_in_stage = TRUE
                     WHERE h.lead_id IN %s AND h.is_open
                 RETURNING h.lead_id, GREATEST(EXTRACT(EPOCH FROM (%s - h.date)) / 3600.0, 0),
                           h.stage_to_id, NOT h.is_first_entry
                    """,
                    tuple(lost),
                    now,
                )
            )
            rows = cr.fetchall()
            hours.update((lead_id, value) for lead_id, value, _stage, _later in rows)
            self._linear_history_mark_first(
                [(lead, stage) for lead, _h, stage, later in rows if later], "lost_in_stage"
            )
        won = [lead.id for lead, before, moved, is_won, *_rest in moves if is_won]
        if won:
            cr.execute(
                SQL(
                    "UPDATE linear_stage_history SET won_later = TRUE WHERE lead_id IN %s AND is_entry",
                    tuple(won),
                )
            )
        History.invalidate_model(
            ["is_open", "left_date", "hours_in_stage", "moved_forward", "lost_in_stage", "won_later"]
        )
        entering = [lead.id for lead, before, moved, *_flags in moves if moved and lead.stage_id]
        entered = set()
        if entering:
            cr.execute(
                SQL(
                    """
                    SELECT lead_id, stage_to_id FROM linear_stage_history
                     WHERE lead_id IN %s AND is_first_entry
                    """,
                    tuple(entering),
                )
            )
            entered = set(cr.fetchall())
        vals_list = []
        for lead, before, moved, is_won, is_lost, is_restore in moves:
            if before is None:
                source = "import" if self.env.context.get("import_file") else "create"
            else:
                source = lead._linear_history_source(is_won, is_lost, is_restore)
            entry = moved and bool(lead.stage_id)
            vals_list.append(
                {
                    "lead_id": lead.id,
                    "stage_from_id": before.stage_id if before else False,
                    "stage_to_id": lead.stage_id.id,
                    "user_id": self.env.uid,
                    "date": now,
                    "duration_hours": 0.0 if is_restore and not moved else hours.get(lead.id, 0.0),
                    "team_id": lead.team_id.id,
                    "salesperson_id": lead.user_id.id,
                    "company_id": lead.company_id.id,
                    "is_won": is_won,
                    "is_lost": is_lost,
                    "is_restore": is_restore,
                    "source": source,
                    "is_entry": entry,
                    "is_open": entry,
                    "is_first_entry": entry and (lead.id, lead.stage_id.id) not in entered,
                    "won_later": is_won and entry,
                    "lost_in_stage": is_lost and entry,
                }
            )
        # sudo: history is written by the hook for any user who may move the lead; nobody writes
        # it by hand (read-only ACLs).
        return History.create(vals_list)

    def _linear_history_mark_first(self, pairs, column):
        """Set `column` on the first entries of these (lead id, stage id) pairs."""
        if not pairs:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE linear_stage_history h SET %s = TRUE
                  FROM (VALUES %s) AS v(lead_id, stage_id)
                 WHERE h.is_first_entry AND h.lead_id = v.lead_id AND h.stage_to_id = v.stage_id
                """,
                SQL.identifier(column),
                SQL(", ").join(SQL("(%s, %s)", lead, stage) for lead, stage in pairs),
            )
        )
