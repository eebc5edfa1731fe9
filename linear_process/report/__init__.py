# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from . import process_regulation
from . import process_regulation_xlsx
