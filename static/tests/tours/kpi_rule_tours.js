/** @odoo-module **/
// The planner opens a scheme's rule violations from its Indicators tab (Vietnamese UI).

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("social_scheme_planner_rule_violations", {
    steps: () => [
        { content: "the Indicators tab", trigger: ".o_notebook .nav-link:contains('Chỉ tiêu')", run: "click" },
        { content: "its rule violations", trigger: ".o_kpi_rule_violations_button", run: "click" },
        { content: "grouped by period then unit", trigger: ".o_group_name:contains('01/01/2023 – 10/11/2023')" },
        { content: "open the period", trigger: ".o_group_name:contains('01/01/2023 – 10/11/2023')", run: "click" },
        { content: "open the unit", trigger: ".o_group_name:contains('Ninh Thuận')", run: "click" },
        {
            content: "the warning: completed 123 against new intake 185",
            trigger: ".o_data_row:has(td[name=rule_id]:contains('Hoàn thành ≥ tiếp nhận')):has(td[name=left_value]:contains('123')):has(td[name=right_value]:contains('185')):has(td[name=importance]:contains('Cảnh báo'))",
        },
    ],
});
