# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from . import hr_job
from . import linear_process_part
from . import linear_process
from . import linear_process_driven_mixin
from . import linear_process_finding
from . import linear_process_goal
from . import linear_process_kpi
from . import linear_process_kpi_measurement
from . import linear_process_run
from . import linear_process_run_line
from . import linear_process_step
from . import linear_process_step_action
from . import linear_process_step_result
from . import linear_step_timing
from . import mail_activity
from . import project_task
from . import res_lang
