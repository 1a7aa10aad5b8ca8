from . import kpi_measurement_reject
from . import report_wizard
from . import reset_approval
from . import period_reopen
from . import kpi_import
