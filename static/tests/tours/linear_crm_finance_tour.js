import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// An accountant opens a client from Processes › Bookkeeping, sees its deals' finance on the
// Finance tab (set up by tests/test_finance_tour.py) and exports the deals to 1C.
registry.category("web_tour.tours").add("linear_crm_finance", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Processes app",
            trigger: ".o_app[data-menu-xmlid='linear_crm.menu_processes_root']",
            run: "click",
        },
        {
            content: "Open the Bookkeeping menu",
            trigger: ".o_main_navbar [data-menu-xmlid='linear_crm.menu_bookkeeping']",
            run: "click",
        },
        {
            content: "Bookkeeping › Clients",
            trigger: ".dropdown-item[data-menu-xmlid='linear_crm.menu_bookkeeping_clients']",
            run: "click",
        },
        {
            content: "The overdue client is listed with its solvency",
            trigger: ".o_list_view .o_data_row:contains('LT Client'):has(.o_field_badge:contains('Bad'))",
        },
        {
            content: "Open the client",
            trigger: ".o_list_view .o_data_row:contains('LT Client') td[name='complete_name']",
            run: "click",
        },
        {
            content: "Open the Finance tab of the client card",
            trigger: ".o_form_view .o_notebook a[name='linear_finance']",
            run: "click",
        },
        {
            content: "The client's overdue amount",
            trigger: ".o_form_view .o_field_widget[name='linear_amount_overdue']:contains('600')",
        },
        {
            content: "Its deal with what is invoiced, paid and outstanding",
            trigger:
                ".o_field_widget[name='opportunity_ids'] .o_data_row:contains('LT Deal'):contains('1,000.00'):contains('400.00'):contains('600.00')",
        },
        {
            content: "The accountant cannot edit the pipeline: no New button on the deals",
            trigger: ".o_field_widget[name='opportunity_ids']:not(:has(.o_field_x2many_list_row_add))",
        },
        {
            content: "Open the Bookkeeping menu for the deals",
            trigger: ".o_main_navbar [data-menu-xmlid='linear_crm.menu_bookkeeping']",
            run: "click",
        },
        {
            content: "Bookkeeping › Deals",
            trigger: ".dropdown-item[data-menu-xmlid='linear_crm.menu_bookkeeping_deals']",
            run: "click",
        },
        {
            content: "Look the deal up",
            trigger: ".o_list_view .o_searchview_input",
            run: "edit LT Deal",
        },
        {
            content: "Search the opportunities by name",
            trigger: ".o_searchview_autocomplete .o-dropdown-item:contains('Opportunity'):contains('LT Deal')",
            run: "click",
        },
        {
            content: "Open the deal from the finance list",
            trigger:
                ".o_list_view:has(.o_data_row:only-child) .o_data_row:contains('LT Deal'):contains('Partially Paid') td[name='name']",
            run: "click",
        },
        {
            content: "The deal's Finance tab",
            trigger: ".o_form_view .o_notebook a[name='linear_finance']",
            run: "click",
        },
        {
            content: "An accountant may invoice the deal but not win or lose it",
            trigger:
                ".o_form_view .o_form_statusbar:has(button[name='action_linear_create_invoice']):not(:has(button[name='action_set_won_rainbowman']))",
        },
        {
            content: "The deal's invoice with its amount due",
            trigger: ".o_field_widget[name='linear_invoice_ids'] .o_data_row:contains('600.00')",
        },
        {
            content: "Invoice the deal",
            trigger: ".o_form_view .o_form_statusbar button[name='action_linear_create_invoice']",
            run: "click",
        },
        {
            content: "A draft customer invoice for the client",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value(LT Client)",
        },
        {
            content: "Its Other Info tab",
            trigger: ".o_form_view .o_notebook a[name='other_info']",
            run: "click",
        },
        {
            content: "The invoice is linked to the deal",
            trigger: ".o_form_view .o_field_widget[name='linear_lead_id']:has(input:value(LT Deal))",
        },
        {
            content: "Leave it unsaved",
            trigger: ".o_form_view .o_form_button_cancel",
            run: "click",
        },
        {
            content: "Back on the deal",
            trigger: ".o_form_view .o_form_statusbar button[name='action_linear_create_invoice']",
        },
        {
            content: "Open the Bookkeeping menu again",
            trigger: ".o_main_navbar [data-menu-xmlid='linear_crm.menu_bookkeeping']",
            run: "click",
        },
        {
            content: "Bookkeeping › Export to 1C",
            trigger: ".dropdown-item[data-menu-xmlid='linear_crm.menu_bookkeeping_export_1c']",
            run: "click",
        },
        {
            content: "Run the export",
            trigger: ".modal .modal-footer button[name='action_export']",
            run: "click",
        },
        {
            content: "The exchange log of the export opens with its file to download",
            trigger: ".o_form_view .o_field_widget:contains('orders-'):contains('.xml')",
        },
    ],
});
