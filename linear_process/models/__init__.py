# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from . import (
    linear_process,
    linear_process_finding,
    linear_process_goal,
    linear_process_kpi,
    linear_process_kpi_measurement,
    linear_process_step,
    linear_process_step_result,
)
