# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.tools import SQL, LazyTranslate

_lt = LazyTranslate(__name__)


class LinearDuplicateMixin(models.AbstractModel):
    """Flag possible duplicates by exact matching keys (normalised phone, e-mail, INN).

    Inheriting models declare a stored ``duplicate_of_id`` Many2one to themselves, list their keys
    in :meth:`_linear_duplicate_keys` and say which other records may match in
    :meth:`_linear_duplicate_scope`. Flagging is set-based: one UPDATE per batch whatever its size,
    each key matched through its own index, so an import of thousands of rows stays fast.
    """

    _name = "linear.duplicate.mixin"
    _linear_merge_wizard = None  # Odoo's own merge wizard for the model
    _linear_merge_title = _lt("Merge")
    _description = "Possible duplicates (Linear CRM)"

    duplicate_count = fields.Integer(
        string="Possible Duplicates",
        compute="_compute_duplicate_count",
        help="Other records with the same normalised phone, e-mail or INN.",
    )

    # ------------------------------------------------------------------ hooks for the models
    def _linear_duplicate_keys(self):
        """Stored columns compared for equality; a key is ignored when empty."""
        return []

    def _linear_duplicate_depends(self):
        """Other stored fields the scope reads; flushed before the query."""
        return ["active"]

    def _linear_duplicate_key_condition(self, key, new_alias):
        """Extra condition for ``key`` on the new record, e.g. skip the VAT placeholder "/"."""
        return SQL("TRUE")

    def _linear_duplicate_scope(self, other_alias, new_alias):
        """Which existing records (``other_alias``) may be duplicates of ``new_alias``."""
        return SQL("%s.active", SQL.identifier(other_alias))

    # ------------------------------------------------------------------ matching
    def _linear_matches_sql(self, ids, only_older):
        """SELECT (id, other) pairs: ``other`` matches record ``id`` (one of ``ids``) on some key."""
        table = SQL.identifier(self._table)
        parts = []
        for key in self._linear_duplicate_keys():
            column = SQL.identifier(key)
            condition = SQL(
                "n.%s IS NOT NULL AND n.%s <> '' AND %s AND %s",
                column,
                column,
                self._linear_duplicate_key_condition(key, "n"),
                self._linear_duplicate_scope("o", "n"),
            )
            if only_older:
                # new batch: an older record, or one of the batch created before it
                condition = SQL("%s AND (o.id < n.id OR NOT o.id = ANY(%s))", condition, ids)
            parts.append(
                SQL(
                    "SELECT n.id, o.id AS other FROM %s n JOIN %s o ON o.%s = n.%s AND o.id <> n.id"
                    " WHERE n.id = ANY(%s) AND %s",
                    table,
                    table,
                    column,
                    column,
                    ids,
                    condition,
                )
            )
        return SQL(" UNION ").join(parts)

    def _linear_clean_duplicate_vals(self, vals):
        """Never a duplicate of itself: Odoo's partner merge copies the merged records' fields."""
        if vals.get("duplicate_of_id") and vals["duplicate_of_id"] in self.ids:
            vals = dict(vals, duplicate_of_id=False)
        return vals

    def _linear_flag_duplicates(self, only_older=True):
        """Set ``duplicate_of_id`` of these records to their oldest match (or clear it): one query.

        ``only_older``: on creation a record is a duplicate of what existed before it (or of an
        earlier record of the same batch); after a key changed, of any other record.
        """
        records = self.filtered("id")
        if not records or not self._linear_duplicate_keys():
            return records.browse()
        self.flush_model(
            [*self._linear_duplicate_keys(), *self._linear_duplicate_depends(), "duplicate_of_id"]
        )
        ids = records.ids
        table = SQL.identifier(self._table)
        rows = self.env.execute_query(
            SQL(
                """
                WITH matches AS (%(matches)s),
                     best AS (
                        SELECT m.id, MIN(m.other) AS other
                          FROM matches m
                          JOIN %(table)s o ON o.id = m.other
                         WHERE o.duplicate_of_id IS DISTINCT FROM m.id
                      GROUP BY m.id
                     )
                UPDATE %(table)s t
                   SET duplicate_of_id = best.other
                  FROM (SELECT unnest(%(ids)s::int[]) AS id) batch
             LEFT JOIN best ON best.id = batch.id
                 WHERE t.id = batch.id AND t.duplicate_of_id IS DISTINCT FROM best.other
             RETURNING t.id, t.duplicate_of_id
                """,
                matches=self._linear_matches_sql(ids, only_older=only_older),
                table=table,
                ids=ids,
            )
        )
        records.invalidate_recordset(["duplicate_of_id"])
        return self.browse(row[0] for row in rows if row[1])

    def _linear_duplicate_map(self):
        """{id: set of matching ids} for these records, both directions (for counts and merges)."""
        records = self.filtered("id")
        if not records or not self._linear_duplicate_keys():
            return {}
        self.flush_model([*self._linear_duplicate_keys(), *self._linear_duplicate_depends()])
        result = {record.id: set() for record in records}
        for record_id, other in self.env.execute_query(
            self._linear_matches_sql(records.ids, only_older=False)
        ):
            result[record_id].add(other)
        return result

    @api.depends_context("uid")
    def _compute_duplicate_count(self):
        matches = self._linear_duplicate_map()
        for record in self:
            record.duplicate_count = len(matches.get(record.id, ()))

    # ------------------------------------------------------------------ visibility
    # The original may be another salesperson's lead or client. Odoo shows a many2one's name as
    # superuser (read, web_read, read_group), which would reveal it: the flag reads as empty to
    # whoever may not open the original (its count stays, it says no more than "there are some").
    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load)
        if self.env.su or "duplicate_of_id" not in fnames or not result:
            return result

        def target(vals):
            value = vals.get("duplicate_of_id")
            return value[0] if isinstance(value, tuple) else value

        originals = self.browse({target(vals) for vals in result if type(target(vals)) is int})
        hidden = set((originals - originals._filtered_access("read")).ids)
        for vals in result:
            if target(vals) in hidden:
                vals["duplicate_of_id"] = False
        return result

    def _read_group_groupby(self, alias, groupby_spec, query):
        sql = super()._read_group_groupby(alias, groupby_spec, query)
        if self.env.su or groupby_spec != "duplicate_of_id":
            return sql
        readable = self.with_context(active_test=False)._search([])
        if not readable.where_clause:
            return sql
        # originals the user may not open fall into the "none" group
        return SQL("CASE WHEN %s IN %s THEN %s END", sql, readable.subselect(), sql)

    # ------------------------------------------------------------------ actions
    def _linear_duplicate_group(self):
        """This record and its possible duplicates the user may open, this record first."""
        self.ensure_one()
        others = self._linear_duplicate_map().get(self.id, set())
        if self.duplicate_of_id:
            others.add(self.duplicate_of_id.id)
        return self | self.browse(sorted(others))._filtered_access("read")

    def action_linear_merge_duplicates(self):
        """Odoo's own merge wizard of the model, with this record and its possible duplicates."""
        self.ensure_one()
        group = self._linear_duplicate_group()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(self._linear_merge_title),  # pylint: disable=translation-not-lazy
            "res_model": self._linear_merge_wizard,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"active_model": self._name, "active_ids": group.ids, "active_id": self.id},
        }

    def action_linear_not_duplicate(self):
        """The user checked: not a duplicate. The flag comes back only if a key changes again."""
        self.write({"duplicate_of_id": False})
        return True

    def action_linear_view_duplicates(self):
        self.ensure_one()
        group = self._linear_duplicate_group()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Possible duplicates of %(name)s", name=self.display_name),
            "res_model": self._name,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", group.ids)],
            "context": {"active_test": False},
        }
