import { registry } from "@web/core/registry";

// A ringing call (sent by the test before the page loads) pops up for its responsible user; the
// notification names the client and the open deal, and its button opens the client card, whose
// Calls & Messages button lists the call.
registry.category("web_tour.tours").add("linear_crm_screen_pop", {
    steps: () => [
        {
            content: "The screen pop names the caller and the open deal",
            trigger: ".o_linear_screen_pop:contains('LC Tour Caller'):contains('LC Tour deal')",
        },
        {
            content: "Open the client card from the notification",
            trigger: ".o_linear_screen_pop .o_notification_buttons button:first-child",
            run: "click",
        },
        {
            content: "The client card is open and the notification is gone",
            trigger:
                "body:not(:has(.o_linear_screen_pop)):has(.o_form_view) .o_breadcrumb:contains('LC Tour Caller')",
        },
        {
            content: "Open the Client tab",
            trigger: ".o_form_view .o_notebook .nav-link[name='linear_client']",
            run: "click",
        },
        {
            content: "The card lists the client's calls and messages",
            trigger: ".o_form_view button[name='action_linear_open_interactions']",
            run: "click",
        },
        {
            content: "The ringing call is there",
            trigger: ".o_list_view .o_data_row td.o_data_cell[name='phone']:contains('8 916 700 80 90')",
            run: "click",
        },
        {
            content: "Its form shows the call with its status",
            trigger: ".o_form_view .o_field_widget[name='status'] .o_arrow_button_current",
        },
    ],
});
