# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""linear.channel.event.kind became a selection in 19.0.1.2.0: a value outside it (none is known,
the adapters only split into these) would show as a raw code; it becomes "other"."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "UPDATE linear_channel_event SET kind = 'other'"
        " WHERE kind IS NOT NULL AND kind NOT IN ('message', 'call', 'status', 'form', 'other')"
    )
