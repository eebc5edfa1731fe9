# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from . import linear_process_binding
from . import linear_process_binding_line
from . import linear_reassign_wizard
from . import linear_reassign_wizard_line
from . import linear_stage_override
from . import linear_exchange_export
from . import linear_exchange_import
from . import base_import_import
