# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# The three wings import one way only: channel_connectors -> crm_extensions -> linear_process,
# so they load in the opposite order.
from . import linear_process
from . import crm_extensions
from . import channel_connectors
