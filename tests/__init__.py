from . import test_activities
from . import test_budget_ledger
from . import test_kpi
from . import test_performance
from . import test_procurement
from . import test_reports
from . import test_scheme_workflow
from . import test_security
