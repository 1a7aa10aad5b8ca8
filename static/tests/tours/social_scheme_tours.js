/** @odoo-module **/
// Each role's daily path in the Vietnamese UI. Triggers use field names, the checks at
// the end of each tour read the Vietnamese labels the user sees.

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

function edit(field, value, tag = "input") {
    return { content: `${field} = ${value}`, trigger: `.o_field_widget[name=${field}] ${tag}`, run: `edit ${value}` };
}

function many2one(field, value) {
    return [
        { content: `${field}: type ${value}`, trigger: `.o_field_widget[name=${field}] input`, run: `edit ${value}` },
        {
            content: `${field}: pick ${value}`,
            trigger: `.o_field_widget[name=${field}] .o-autocomplete--dropdown-item a:contains("${value}")`,
            run: "click",
        },
    ];
}

function statusIs(label) {
    return {
        content: `status is ${label}`,
        trigger: `.o_statusbar_status button.o_arrow_button_current:contains("${label}")`,
    };
}

function click(selector, content) {
    return { content: content || `click ${selector}`, trigger: selector, run: "click" };
}

function lineRow(index, name, category, amount) {
    const row = `.o_field_widget[name=budget_line_ids] .o_data_row:nth-child(${index}).o_selected_row`;
    return [
        click(".o_field_widget[name=budget_line_ids] .o_field_x2many_list_row_add a", "add a budget line"),
        { content: `line ${name}`, trigger: `${row} .o_field_widget[name=name] input`, run: `edit ${name}` },
        {
            content: `category ${category}`,
            trigger: `${row} .o_field_widget[name=category] select`,
            run: `select "${category}"`,
        },
        { content: `planned ${amount}`, trigger: `${row} .o_field_widget[name=amount_planned] input`, run: `edit ${amount}` },
        click(`${row} .o_field_widget[name=name] input`, "leave the amount"),
    ];
}

// 1. The planner enters the Lâm Đồng decision and submits it.
tours.add("social_scheme_planner_scheme", {
    steps: () => [
        edit("name", "Mô hình cung cấp dịch vụ công tác xã hội tại cơ sở"),
        edit("code", "TOUR-LD-2022"),
        edit("decision_number", "2204/QĐ-UBND"),
        edit("decision_date", "24/10/2022"),
        ...many2one("approving_authority_id", "UBND tỉnh Tour"),
        ...many2one("lead_agency_id", "Sở Tour"),
        ...many2one("implementing_unit_id", "Cơ sở Tour"),
        edit("date_start", "01/01/2022"),
        edit("date_end", "31/12/2022"),
        edit("amount_total", "11500000000"),
        ...lineRow(1, "Sửa chữa, nâng cấp cơ sở vật chất", "repair", "8150000000"),
        ...lineRow(2, "Mua sắm trang thiết bị", "equipment", "3350000000"),
        click(".o_form_button_save", "save the scheme"),
        { content: "saved", trigger: ".o_form_saved" },
        {
            content: "the lines add up to the total",
            trigger: ".o_field_widget[name=amount_planned]:contains('11.500.000.000')",
        },
        click(".o_statusbar_buttons button[name=action_submit]", "submit"),
        statusIs("Đã trình"),
    ],
});

// 1b. The manager records the approval; the project appears.
tours.add("social_scheme_manager_approval", {
    steps: () => [
        click(".o_statusbar_buttons button[name=action_approve]", "record the approval"),
        statusIs("Đã phê duyệt"),
        { content: "the project's activities button", trigger: "button[name=action_view_project]" },
    ],
});

// 2. The facility officer reports a quarter's figures for two indicators and submits them.
function reportFigure(kpi, fields) {
    return [
        click(".o_list_button_add, .o-kanban-button-new", "new figure"),
        ...many2one("kpi_id", kpi),
        edit("date_from", "01/01/2022"),
        edit("date_to", "31/03/2022"),
        ...fields,
        click(".o_form_button_save", "save"),
        { content: "saved", trigger: ".o_form_saved" },
        click(".o_statusbar_buttons button[name=action_submit]", "submit the figure"),
        statusIs("Đã trình"),
        click(".o_breadcrumb .breadcrumb-item a", "back to the list"),
    ];
}

tours.add("social_scheme_officer_figures", {
    steps: () => [
        ...reportFigure("Người được tư vấn", [edit("numerator", "95"), edit("denominator", "110")]),
        ...reportFigure("Số lượt tiếp nhận", [edit("value", "60")]),
        { content: "two figures submitted", trigger: ".o_data_row:nth-child(2) .o_field_widget[name=state]:contains('Đã trình')" },
    ],
});

// 2b. The planner validates one figure and returns the other with a reason.
tours.add("social_scheme_planner_validates", {
    steps: () => [
        click(".o_data_row .o_data_cell[name=kpi_id]:contains('Người được tư vấn')", "open the counselling figure"),
        click(".o_statusbar_buttons button[name=action_validate]", "validate"),
        statusIs("Đã xác nhận"),
        click(".o_breadcrumb .breadcrumb-item a", "back to the list"),
        click(".o_data_row .o_data_cell[name=kpi_id]:contains('Số lượt tiếp nhận')", "open the admissions figure"),
        click(".o_statusbar_buttons button[name=action_reject]", "return it"),
        { content: "reason", trigger: ".modal .o_field_widget[name=reason] textarea", run: "edit Thiếu danh sách học viên quý 1" },
        click(".modal button[name=action_confirm]", "return the figure"),
        statusIs("Bị trả lại"),
        {
            content: "the reason is shown",
            trigger: ".alert-danger:contains('Thiếu danh sách học viên quý 1')",
        },
    ],
});

// 2c. The planner sees the indicator's new actual and status.
tours.add("social_scheme_planner_kpi_result", {
    steps: () => [
        { content: "actual 86,4%", trigger: ".o_field_widget[name=actual_display]:contains('86,4%')" },
        { content: "status achieved", trigger: ".o_field_widget[name=status]:contains('Đạt')" },
    ],
});

// 2d. The planner opens the scheme's KPI dashboard: the quarter's rate and its % of target.
tours.add("social_scheme_planner_kpi_dashboard", {
    steps: () => [
        click(".o_kpi_dashboard_button", "open the KPI dashboard from the scheme"),
        { content: "quarters of 2022", trigger: ".o_kpi_dashboard_table th[data-period='Quý 1/2022']" },
        {
            content: "Q1 rate 95/110 = 86,4%",
            trigger: ".o_kpi_dashboard_table tr[data-kpi=T1] td.o_kpi_figure.text-bg-success:contains('86,4%'):contains('95/110')",
        },
        {
            content: "86,4% of the 85% target = 101,6%",
            trigger: ".o_kpi_dashboard_table tr[data-kpi=T1] td.o_kpi_percent:contains('101,6%')",
        },
        { content: "the returned count has no figure", trigger: ".o_kpi_dashboard_table tr[data-kpi=T2] td.o_kpi_figure:contains('–')" },
        click(".o_field_widget[name=interval] input[data-value=year]", "by year"),
        {
            content: "the year column",
            trigger: ".o_kpi_dashboard_table th[data-period='2022'] ~ th.o_kpi_to_date",
        },
        click(".o_form_button_cancel", "nothing to keep: discard the filters"),
    ],
});

// 2e. The figures pivot never adds different indicators: the total row is empty, each indicator's row is not.
tours.add("social_scheme_planner_kpi_analysis", {
    steps: () => [
        { content: "an indicator's row has its sums", trigger: ".o_pivot tbody tr:nth-child(2) td.o_pivot_cell_value:not(.o_empty)" },
        {
            content: "the total over indicators shows no sum",
            trigger: ".o_pivot tbody tr:first-child:not(:has(td.o_pivot_cell_value:not(.o_empty)))",
        },
    ],
});

// 2f. The officer downloads the period's template, uploads it filled and sees the figures submitted.
tours.add("social_scheme_officer_imports", {
    steps: () => [
        click(".o_statusbar_buttons button[name=action_import_figures]", "import the period's figures"),
        click(".modal button[name=action_download_template]", "download the template"),
        {
            content: "upload the filled template",
            trigger: ".modal .o_field_widget[name=file_data] input[type=file]:not(:visible)",
            run: async function () {
                const response = await fetch("/web/content/social_scheme.tour_import_file?download=true");
                const file = new File([await response.blob()], "so_lieu_quy_1.xlsx", {
                    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        click(".modal button[name=action_import]", "the file is there: import"),
        { content: "the figures are submitted", trigger: ".modal .o_field_widget[name=result_html]:contains('2')" },
        click(".modal .modal-footer button.btn-secondary:not([name])", "close"),
        click(".o_form_view .oe_stat_button:has(.o_field_widget[name=missing_count])", "the period's reports"),
        {
            content: "both submitted",
            trigger: ".o_list_view:has(.o_data_row:nth-child(2)):not(:has(.o_data_row .text-bg-danger)) .o_data_row .text-bg-info",
        },
    ],
});

// 2g. The planner opens "not reported": one unit of the quarter is missing.
tours.add("social_scheme_planner_not_reported", {
    steps: () => [
        click(".o_group_header:contains('Quý 1/2022')", "open the quarter"),
        { content: "the other centre has not reported", trigger: ".o_group_header:contains('Trung tâm Tour B')" },
        {
            content: "the unit that imported is not listed",
            trigger: ".o_list_view:not(:has(.o_group_header:contains('Cơ sở Tour')))",
        },
    ],
});

// 3. The officer plans an equipment package, sees the suggested method and submits it.
tours.add("social_scheme_officer_package", {
    steps: () => [
        edit("name", "Thiết bị phòng tư vấn tâm lý"),
        ...many2one("scheme_id", "TOUR-PKG"),
        ...many2one("budget_line_id", "Thiết bị"),
        edit("date_planned", "10/11/2022"),
        edit("amount_estimate", "1000000000"),
        click(".o_field_widget[name=name] input", "leave the estimate: the suggestion follows"),
        {
            content: "the rules suggest competitive quotation",
            trigger: ".o_field_widget[name=suggested_method]:contains('Chào hàng cạnh tranh')",
        },
        click(".o_form_button_save", "save"),
        { content: "saved", trigger: ".o_form_saved" },
        click(".o_statusbar_buttons button[name=action_submit]", "submit"),
        statusIs("Đã trình"),
    ],
});

// 3b. The unit head approves: the estimate is reserved.
tours.add("social_scheme_unit_head_approves", {
    steps: () => [
        click(".o_statusbar_buttons button[name=action_approve]", "approve"),
        statusIs("Đã phê duyệt"),
        { content: "the estimate is committed", trigger: ".o_field_widget[name=amount_commitment]:contains('1.000.000.000')" },
    ],
});

// 3c. The officer runs the selection and records the contract.
tours.add("social_scheme_officer_contract", {
    steps: () => [
        click(".o_statusbar_buttons button[name=action_start_selection]", "start vendor selection"),
        statusIs("Đang lựa chọn nhà thầu"),
        ...many2one("vendor_id", "Nhà thầu Tour"),
        edit("contract_number", "21/2022/HĐMB"),
        edit("contract_date", "25/11/2022"),
        edit("amount_contract", "980000000"),
        click(".o_form_button_save", "save"),
        { content: "saved", trigger: ".o_form_saved" },
        click(".o_statusbar_buttons button[name=action_contract]", "record the contract"),
        statusIs("Đã ký hợp đồng"),
        { content: "the contract is committed", trigger: ".o_field_widget[name=amount_commitment]:contains('980.000.000')" },
    ],
});

// 4. The reviewer exports the budget execution and cannot edit a scheme.
tours.add("social_scheme_reviewer_export", {
    steps: () => [
        { content: "budget execution is the default report", trigger: ".modal .o_field_widget[name=report] input[data-value=budget_execution]:checked" },
        click(".modal button[name=action_export]", "export XLSX"),
        { content: "the dialog stays open after the download", trigger: ".modal button[name=action_export]" },
    ],
});

tours.add("social_scheme_reviewer_readonly", {
    steps: () => [
        { content: "the scheme form is read-only", trigger: ".o_form_readonly .o_field_widget[name=name]" },
        {
            content: "no workflow button for a reviewer",
            trigger: ".o_form_view:not(:has(button[name=action_submit])):not(:has(button[name=action_approve]))",
        },
        { content: "no save button", trigger: ".o_form_view:not(:has(.o_form_button_save))" },
    ],
});

// 5. The planner drafts the half-year implementation report and writes a narrative section.
tours.add("social_scheme_planner_progress_report", {
    steps: () => [
        ...many2one("scheme_id", "TOUR-RPT"),
        {
            content: "period: the first half-year",
            trigger: ".o_field_widget[name=period_kind] select",
            run: 'select "half_year"',
        },
        edit("year", "2022"),
        click(".o_field_widget[name=signer_title] input", "leave the year: the dates follow"),
        { content: "ends on 30/06/2022", trigger: ".o_field_widget[name=date_to]:contains('30/06/2022')" },
        click(".o_form_button_save", "draft the report: the figures are taken now"),
        { content: "saved", trigger: ".o_form_saved" },
        {
            content: "the starter text gives the result",
            trigger: ".o_field_widget[name=narrative_situation] textarea",
            run: () => {
                const text = document.querySelector(".o_field_widget[name=narrative_situation] textarea").value;
                if (!text.includes("120/250, đạt 48,0% kế hoạch")) {
                    throw new Error(`no starter text from the figures: ${text}`);
                }
            },
        },
        edit("narrative_difficulties", "Nhà thầu chậm bàn giao mặt bằng khu nhà ở.", "textarea"),
        click(".o_form_button_save", "save the narrative"),
        { content: "saved", trigger: ".o_form_saved" },
        click(".o_notebook .nav-link[name=kpis]", "the frozen indicators"),
        { content: "48,0% of target", trigger: ".o_field_widget[name=kpi_line_ids] .o_data_cell[name=rate]:contains('48,0')" },
        { content: "still a draft", trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Dự thảo')" },
    ],
});

// 5b. The manager signs it off and sends it, then downloads the Word file.
tours.add("social_scheme_manager_sends_report", {
    steps: () => [
        click(".o_statusbar_buttons button[name=action_send]", "sign off and send"),
        click(".modal-footer .btn-primary", "confirm"),
        statusIs("Đã gửi"),
        { content: "read-only once sent", trigger: ".o_field_widget[name=narrative_difficulties]:not(:has(textarea))" },
        click(".o_statusbar_buttons button[name=action_export_docx]", "download the Word file"),
        { content: "still on the report", trigger: ".o_field_widget[name=sent_by_id]" },
    ],
});
