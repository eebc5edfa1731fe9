# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from . import linear_process_compare
from . import linear_process_compare_line
from . import linear_process_run_start
