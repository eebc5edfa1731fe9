# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).


def migrate(cr, version):
    """A document is timed in one step at a time (new unique index on open timing rows): close
    the older of several open rows at the entry of the newer one, so the index can be built."""
    cr.execute(
        """
        UPDATE linear_step_timing t
           SET left_at = (
                SELECT MIN(o.entered_at)
                  FROM linear_step_timing o
                 WHERE o.res_model = t.res_model AND o.res_id = t.res_id AND o.left_at IS NULL
                   AND (o.entered_at, o.id) > (t.entered_at, t.id)
               )
         WHERE t.left_at IS NULL
           AND EXISTS (
                SELECT 1
                  FROM linear_step_timing o
                 WHERE o.res_model = t.res_model AND o.res_id = t.res_id AND o.left_at IS NULL
                   AND (o.entered_at, o.id) > (t.entered_at, t.id)
               )
        """
    )
