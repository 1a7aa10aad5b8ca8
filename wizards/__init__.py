from . import kpi_measurement_reject
