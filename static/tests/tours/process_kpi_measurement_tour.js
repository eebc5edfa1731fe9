import { registry } from "@web/core/registry";

// An approved process: its KPI definitions are frozen (no add/delete, read-only form), but a
// measurement is still recorded through the KPI's row.
registry.category("web_tour.tours").add("linear_crm_approved_kpi_measurement", {
    steps: () => [
        {
            content: "Open the Goals and KPIs tab",
            trigger: ".o_notebook .nav-link[name='goals']",
            run: "click",
        },
        {
            content: "No new KPI can be added to an approved process",
            trigger:
                ".o_field_widget[name=kpi_ids] .o_data_row:contains('Индекс удовлетворенности клиента')",
        },
        {
            content: "…there is no Add a line under the KPIs",
            trigger: ".o_field_widget[name=kpi_ids]:not(:has(.o_field_x2many_list_row_add))",
        },
        {
            content: "Open the manual KPI",
            trigger:
                ".o_field_widget[name=kpi_ids] .o_data_row:contains('Индекс удовлетворенности клиента') td.o_data_cell:eq(1)",
            run: "click",
        },
        {
            content: "Its target is read-only",
            trigger: ".modal .o_field_widget[name=target]:not(:has(input))",
        },
        {
            content: "Add a measurement",
            trigger: ".modal .o_field_widget[name=measurement_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Its value",
            trigger: ".modal .o_field_widget[name=measurement_ids] .o_selected_row .o_field_widget[name=value] input",
            run: "edit 95",
        },
        {
            content: "Save the KPI dialog",
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "Save the process",
            trigger: ".o_form_view:not(:has(.modal)) .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved without an error",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
