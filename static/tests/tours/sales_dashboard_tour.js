// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import { registry } from "@web/core/registry";

// The team switched to, and a stage of its pipeline, from the demo data (linear_sales_demo.xml).
const TEAM = "Оптовые продажи";
// The demo team whose pipeline runs by a process (crm_process_demo.xml).
const PROCESS_TEAM = "Продажи по процессу";

// A native date input, typed the way the browser's picker fills it.
function setDate(value) {
    return function () {
        this.anchor.value = value;
        this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
    };
}

registry.category("web_tour.tours").add("linear_crm_sales_dashboard", {
    url: "/odoo/action-linear_crm.linear_sales_dashboard_action",
    steps: () => [
        {
            content: "The dashboard opens with its four blocks",
            trigger: ".o_lc_sales_dashboard .o_lc_block_funnel .o_lc_funnel_table",
        },
        {
            trigger: ".o_lc_sales_dashboard .o_lc_block_managers .o_lc_managers_table",
        },
        {
            trigger: ".o_lc_sales_dashboard .o_lc_block_channels .o_lc_channels_table",
        },
        {
            trigger: ".o_lc_sales_dashboard .o_lc_block_forecast .o_lc_forecast_table",
        },
        {
            content: "Take the whole year",
            trigger: ".o_lc_sales_dashboard select.o_lc_period",
            run: "select year",
        },
        {
            content: "Switch to the wholesale team",
            trigger: ".o_lc_sales_dashboard select.o_lc_team",
            run: `selectByLabel ${TEAM}`,
        },
        {
            content: "The funnel of its pipeline has leads, drawn as a chart",
            trigger: ".o_lc_block_funnel .o_lc_funnel_row:not([data-entered='0']) .o_lc_entered",
        },
        {
            trigger: ".o_lc_block_funnel .o_lc_chart canvas",
        },
        {
            content: "The managers of the team are listed",
            trigger: ".o_lc_block_managers .o_lc_manager_row",
        },
        {
            content: "Forecast months are named in the user's language, not ISO dates",
            trigger: ".o_lc_block_forecast .o_lc_forecast_row td:first-child",
            run() {
                if (/\d{4}-\d{2}-\d{2}/.test(this.anchor.textContent)) {
                    throw new Error(`Forecast month shown as an ISO date: ${this.anchor.textContent}`);
                }
            },
        },
        {
            content: "The discipline table lists the team's salespeople with their open leads",
            trigger: ".o_lc_block_discipline .o_lc_discipline_row a.o_lc_no_next",
        },
        {
            content: "The wholesale pipeline runs by no process: the process block says to choose a team",
            trigger: ".o_lc_block_process .o_lc_process_message",
        },
        {
            trigger: ".o_lc_block_process:not(:has(.o_lc_process_row))",
        },
        {
            content: "Switch to the team whose pipeline runs by a process",
            trigger: ".o_lc_sales_dashboard select.o_lc_team",
            run: `selectByLabel ${PROCESS_TEAM}`,
        },
        {
            content: "The process block lists the steps of its process",
            trigger: ".o_lc_block_process .o_lc_process_table .o_lc_process_row",
        },
        {
            content: "Back to the wholesale team",
            trigger: ".o_lc_sales_dashboard select.o_lc_team",
            run: `selectByLabel ${TEAM}`,
        },
        {
            trigger: ".o_lc_block_process .o_lc_process_message",
        },
        {
            content: "A custom period works too",
            trigger: ".o_lc_sales_dashboard select.o_lc_period",
            run: "select custom",
        },
        {
            trigger: ".o_lc_sales_dashboard input.o_lc_date_from",
            run: setDate("2001-01-01"),
        },
        {
            trigger: ".o_lc_sales_dashboard input.o_lc_date_to",
            run: setDate("2001-01-31"),
        },
        {
            content: "An empty period says so",
            trigger: ".o_lc_sales_dashboard .o_lc_no_data",
        },
        {
            content: "Back to this year",
            trigger: ".o_lc_sales_dashboard select.o_lc_period",
            run: "select year",
        },
        {
            content: "Drill into the leads of the first stage with leads",
            trigger: ".o_lc_block_funnel .o_lc_funnel_row:not([data-entered='0']) a.o_lc_entered",
            run: "click",
        },
        {
            content: "The leads open in a list",
            trigger: ".o_list_view .o_data_row",
        },
        {
            content: "Breadcrumb back to the dashboard",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item:first-child a",
            run: "click",
        },
        {
            trigger: ".o_lc_sales_dashboard .o_lc_funnel_table",
        },
        {
            content: "Drill into the open leads of a salesperson without a next activity",
            trigger: ".o_lc_block_discipline .o_lc_discipline_row:not([data-no-next='0']) a.o_lc_no_next",
            run: "click",
        },
        {
            content: "Those leads open in a list",
            trigger: ".o_list_view .o_data_row",
        },
        {
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item:first-child a",
            run: "click",
        },
        {
            trigger: ".o_lc_sales_dashboard .o_lc_discipline_table",
        },
    ],
});
