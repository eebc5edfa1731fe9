# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
# Odoo's own runner imports these; pytest-odoo (./dev test) collects every test_*.py by itself.
from . import test_foundation_access
from . import test_foundation_ui
from . import test_process_access
from . import test_process_board
from . import test_process_body
from . import test_process_decomposition
from . import test_process_kpi
from . import test_process_methodology
from . import test_process_regulation
from . import test_process_versions
from . import test_crm_client_card
from . import test_pipeline_automation
from . import test_process_lifecycle
from . import test_pipeline_gate_security
from . import test_crm_lookup_dedupe
from . import test_crm_import
from . import test_pipeline_ui
from . import test_readme_tour
from . import test_crm_visibility
from . import test_crm_ownership
from . import test_crm_timeline_access
from . import test_crm_assignment
from . import test_crm_presets
from . import test_crm_presets_isolation
from . import test_multi_company
