// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// The channel administrator regenerates a webhook URL and retries failed events
// (tests/test_channel_admin_tour.py prepares the channel, its old key and two failed events).

function openChannelsMenu(xmlid) {
    return [
        {
            content: "Open CRM › Channels",
            trigger: ".o_main_navbar [data-menu-xmlid='linear_crm.menu_crm_channels_root']",
            run: "click",
        },
        {
            trigger: `.dropdown-item[data-menu-xmlid='${xmlid}']`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("linear_crm_channel_admin", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the CRM app",
            trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']",
            run: "click",
        },
        ...openChannelsMenu("linear_crm.menu_crm_channels"),
        {
            content: "Open the channel",
            trigger: ".o_list_view .o_data_row td[name='name']:contains('LC Admin Zadarma')",
            run: "click",
        },
        {
            content: "The webhook URL is shown with the current key",
            trigger:
                ".o_form_view .o_field_widget[name='webhook_url']:contains('/linear_crm/webhook/lc-tour-old-key')",
        },
        {
            content: "Regenerate the key",
            trigger: ".o_form_view .o_form_statusbar button[name='action_regenerate_key']",
            run: "click",
        },
        {
            content: "Confirm: the old URL stops working",
            trigger: ".modal:contains('webhook URL will stop working') .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "A new webhook URL is shown",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_field_widget[name='webhook_url']:contains('/linear_crm/webhook/'):not(:contains('lc-tour-old-key'))",
        },
        ...openChannelsMenu("linear_crm.menu_crm_channel_events_failed"),
        {
            content: "Both failed events are listed; open the first one",
            trigger:
                ".o_list_view:has(.o_data_row:contains('lc-tour-ev-2')) .o_data_row td[name='event_id']:contains('lc-tour-ev-1')",
            run: "click",
        },
        {
            content: "Retry it from its form",
            trigger: ".o_form_view .o_form_statusbar button[name='action_retry']",
            run: "click",
        },
        {
            content: "It is queued again: New, its error cleared",
            trigger:
                ".o_form_view:not(:has(.o_field_widget[name='error'])) .o_statusbar_status .o_arrow_button_current:contains('New')",
        },
        {
            content: "Back to the failed events",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item:first-child a",
            run: "click",
        },
        {
            content: "Only the other one is left failed: select it",
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('lc-tour-ev-1'))) .o_data_row:contains('lc-tour-ev-2') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Retry from the list",
            trigger: ".o_control_panel button[name='action_retry']",
            run: "click",
        },
        {
            content: "No failed event is left",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('lc-tour-ev-2')))",
        },
    ],
});
