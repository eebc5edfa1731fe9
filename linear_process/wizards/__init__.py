# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from . import linear_process_compare, linear_process_compare_line
