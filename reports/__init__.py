from . import xlsx_report
from . import budget_execution_xlsx
from . import kpi_xlsx
from . import procurement_register_xlsx
from . import disbursement_register_xlsx
from . import scheme_summary
from . import settlement_xlsx
from . import disclosure
