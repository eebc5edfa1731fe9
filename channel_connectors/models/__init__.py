# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from . import linear_channel
from . import linear_channel_event
from . import linear_interaction
from . import linear_interaction_ingest
from . import linear_interaction_outbound
from . import linear_interaction_demo
from . import linear_client_timeline
from . import linear_sales_analytics
from . import res_users
from . import res_partner
from . import crm_lead
from . import ir_http
