# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from . import linear_duplicate_mixin
from . import linear_import_mixin
from . import linear_client_type
from . import res_partner
from . import res_bank
from . import res_partner_bank
from . import crm_lead
from . import crm_lead_objection_type
from . import crm_lead_objection
from . import linear_client_lookup
from . import linear_client_timeline
from . import res_partner_visibility
from . import crm_lead_visibility
