# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# Odoo's own runner imports these; pytest-odoo (./dev test) collects every test_*.py by itself.
from . import test_foundation_access, test_foundation_ui
from . import test_crm_client_card
from . import test_crm_lookup_dedupe
from . import test_crm_import
from . import test_crm_visibility
from . import test_crm_assignment
from . import test_crm_presets
