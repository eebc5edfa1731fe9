# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from . import sales_analytics_xlsx
from . import sales_rows_xlsx
