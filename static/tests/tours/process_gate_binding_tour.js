import { registry } from "@web/core/registry";

// Language-neutral selectors (names, classes) except the demo's own Russian stage names.
registry.category("web_tour.tours").add("linear_crm_gate_move_anyway", {
    steps: () => [
        {
            content: "Ask to move the lead past its unconfirmed results (status bar)",
            trigger: ".o_statusbar_status button:contains('Получение оплаты')",
            run: "click",
        },
        {
            content: "The gate refuses and offers the override: Move Anyway…",
            trigger: ".modal .o_error_dialog .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit Клиент подписал договор на бумаге",
        },
        {
            content: "Move",
            trigger: ".modal-footer button[name='action_move']",
            run: "click",
        },
        {
            content: "The wizard is closed without a client error and the form shows the new step",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Получение оплаты')",
        },
    ],
});

registry.category("web_tour.tours").add("linear_crm_bind_process_apply", {
    steps: () => [
        {
            content: "Open the Sales Process tab of the team",
            trigger: ".o_notebook .nav-link[name='linear_process']",
            run: "click",
        },
        {
            content: "Bind Process…",
            trigger: "button[name='action_bind_process']",
            run: "click",
        },
        {
            content: "The preview lists the stages",
            trigger: ".modal .o_field_widget[name='line_ids'] .o_data_row",
        },
        {
            content: "Apply without changing anything",
            trigger: ".modal-footer button[name='action_apply']",
            run: "click",
        },
        {
            content: "The wizard is closed without a client error",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
