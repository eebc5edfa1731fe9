# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from . import base_import_import
from . import linear_reassign_wizard
from . import linear_reassign_wizard_line
