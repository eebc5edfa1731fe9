# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from . import linear_channel
from . import linear_channel_event
from . import ir_http
