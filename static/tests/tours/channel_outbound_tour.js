// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import { registry } from "@web/core/registry";

// Message and Call from the card (tests/test_channel_outbound_tour.py sets up the channels: one
// Telegram channel at a fake provider on 127.0.0.1, one at a closed port).

function pickChannel(name) {
    return [
        {
            content: `Pick the channel ${name}`,
            trigger: ".modal .o_field_widget[name='channel_id'] input",
            run: `edit ${name}`,
        },
        {
            trigger: `.modal .o-autocomplete--dropdown-item a:contains('${name}')`,
            run: "click",
        },
        {
            content: "The recipient is the client's chat",
            trigger: ".modal .o_field_widget[name='recipient']:contains('777001')",
        },
    ];
}

const MESSAGE_BUTTON =
    ".o_form_view button[name='action_linear_open_composer']:contains('Message'):not(:contains('Send'))";

registry.category("web_tour.tours").add("linear_crm_card_message", {
    steps: () => [
        {
            content: "Message from the client card",
            trigger: MESSAGE_BUTTON,
            run: "click",
        },
        ...pickChannel("LC Telegram Down"),
        {
            trigger: ".modal .o_field_widget[name='text'] textarea",
            run: "edit Are you there?",
        },
        {
            content: "Send through the unreachable channel",
            trigger: ".modal .modal-footer button[name='action_send']",
            run: "click",
        },
        {
            content: "The user is told in plain words",
            trigger:
                ".modal .modal-body:contains('The message was not sent'):contains('Could not reach')",
        },
        {
            content: "Close the error",
            trigger: ".modal:has(.modal-body:contains('The message was not sent')) .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Back in the composer: cancel it",
            trigger:
                ".modal:not(:has(.modal-body:contains('The message was not sent'))) .modal-footer button[special='cancel']",
            run: "click",
        },
        {
            content: "Message again",
            trigger: `body:not(:has(.modal)) ${MESSAGE_BUTTON}`,
            run: "click",
        },
        ...pickChannel("LC Telegram"),
        {
            trigger: ".modal .o_field_widget[name='text'] textarea",
            run: "edit The invoice is in your mailbox",
        },
        {
            content: "Send",
            trigger: ".modal .modal-footer button[name='action_send']",
            run: "click",
        },
        {
            content: "The composer closes",
            trigger: "body:not(:has(.modal)) .o_form_view .o_notebook .nav-link[name='linear_client']",
            run: "click",
        },
        {
            content: "The card counts the message; open its calls and messages",
            trigger: ".o_form_view button[name='action_linear_open_interactions']:contains('1')",
            run: "click",
        },
        {
            content: "The sent message is listed",
            trigger: ".o_list_view .o_data_row:contains('LC Telegram'):contains('Sent')",
        },
    ],
});

registry.category("web_tour.tours").add("linear_crm_lead_call", {
    steps: () => [
        {
            content: "Call from the lead",
            trigger: ".o_form_view button.o_linear_call",
            run: "click",
        },
        {
            content: "The user is asked to pick up the phone",
            trigger: ".o_notification:contains('pick up your phone')",
        },
        {
            content: "The lead's calls and messages",
            trigger: ".o_form_view .oe_stat_button[name='action_linear_open_interactions']:contains('1')",
            run: "click",
        },
        {
            content: "The outgoing call is listed",
            trigger: ".o_list_view .o_data_row:contains('LC Zadarma'):contains('Ringing')",
        },
    ],
});
