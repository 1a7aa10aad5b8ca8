/** @odoo-module */
import { registry } from "@web/core/registry";
import { pivotView } from "@web/views/pivot/pivot_view";
import { PivotModel } from "@web/views/pivot/pivot_model";

/**
 * KPI figures of different indicators never add up (trained staff + counselled entrants
 * means nothing): a pivot cell whose group spans several indicators shows no sum, only
 * the number of figures. Group by indicator (rows or columns) to read the sums.
 */
export class KpiFigurePivotModel extends PivotModel {
    _getCellValue(groupId, measure, originIndexes, config) {
        if (measure !== "__count" && !this._isOneIndicator(groupId)) {
            return undefined;
        }
        return super._getCellValue(...arguments);
    }

    _isOneIndicator([rowValues, colValues]) {
        const { fullRowGroupBys, fullColGroupBys } = this.metaData;
        const byIndicator = (groupBys, values) =>
            groupBys.slice(0, values.length).some((groupBy) => groupBy.split(":")[0] === "kpi_id");
        return byIndicator(fullRowGroupBys, rowValues) || byIndicator(fullColGroupBys, colValues);
    }
}

registry.category("views").add("social_scheme_kpi_pivot", { ...pivotView, Model: KpiFigurePivotModel });
