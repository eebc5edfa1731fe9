# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Stage history of leads, written by the one stage-move hook (crm_lead_process.py)."""

from odoo import fields, models
from odoo.http import request
from odoo.tools import SQL

# Put in the context by the merge only: a Python object, so no JSON-RPC client can send it.
_MERGING = object()
MERGING_KEY = "linear_merging"


class StageSnapshot:
    """What a lead was before a write that may move it: stage, won status, stage entry time."""

    __slots__ = ("entered", "stage_id", "status")

    def __init__(self, lead):
        self.stage_id = lead.stage_id.id
        self.status = lead.won_status
        self.entered = lead.date_last_stage_update


class CrmLead(models.Model):
    _inherit = "crm.lead"

    stage_history_ids = fields.One2many("linear.stage.history", "lead_id", string="Stage History")

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
        complete the entry each of them leaves. `snapshots` is None for new leads."""
        History = self.env["linear.stage.history"]
        vals_list, closing, lost, won = [], [], [], []
        for lead in self:
            before = snapshots.get(lead.id) if snapshots is not None else None
            stage = lead.stage_id
            status = lead.won_status
            if before is None:
                moved, was_status, entered = True, "pending", now
            else:
                moved, was_status, entered = stage.id != before.stage_id, before.status, before.entered
            is_lost = status == "lost" and was_status != "lost"
            is_restore = was_status == "lost" and status != "lost"
            is_won = status == "won" and (was_status != "won" or moved)
            if not (moved or is_lost or is_restore):
                continue
            hours = (now - entered).total_seconds() / 3600.0 if before and entered and not is_restore else 0.0
            if before is not None and moved:
                old = self.env["crm.stage"].browse(before.stage_id)
                forward = bool(stage) and (stage.is_won or (old and stage.sequence > old.sequence))
                closing.append((lead.id, hours, forward))
            if is_lost:
                lost.append(lead.id)
            if is_won:
                won.append(lead.id)
            source = "create" if before is None else lead._linear_history_source(is_won, is_lost, is_restore)
            if before is None and self.env.context.get("import_file"):
                source = "import"
            vals_list.append(
                {
                    "lead_id": lead.id,
                    "stage_from_id": before.stage_id if before else False,
                    "stage_to_id": stage.id,
                    "user_id": self.env.uid,
                    "date": now,
                    "duration_hours": hours if moved or is_lost else 0.0,
                    "team_id": lead.team_id.id,
                    "salesperson_id": lead.user_id.id,
                    "company_id": lead.company_id.id,
                    "is_won": is_won,
                    "is_lost": is_lost,
                    "is_restore": is_restore,
                    "source": source,
                    "is_entry": moved and bool(stage),
                    "is_open": moved and bool(stage),
                    "won_later": is_won and moved,
                    "lost_in_stage": is_lost and moved,
                }
            )
        if not vals_list:
            return History
        History.flush_model()
        cr = self.env.cr
        if closing:
            cr.execute(
                SQL(
                    """
                    UPDATE linear_stage_history h
                       SET is_open = FALSE, left_date = %(now)s, hours_in_stage = v.hours,
                           moved_forward = v.forward
                      FROM (VALUES %(values)s) AS v(lead_id, hours, forward)
                     WHERE h.lead_id = v.lead_id AND h.is_open
                    """,
                    now=now,
                    values=SQL(", ").join(SQL("(%s, %s::float, %s)", *row) for row in closing),
                )
            )
        if lost:
            cr.execute(
                SQL(
                    "UPDATE linear_stage_history SET lost_in_stage = TRUE WHERE lead_id IN %s AND is_open",
                    tuple(lost),
                )
            )
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
        # sudo: history is written by the hook for any user who may move the lead; nobody writes
        # it by hand (read-only ACLs).
        return History.sudo().create(vals_list)
