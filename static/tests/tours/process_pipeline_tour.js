import { registry } from "@web/core/registry";

const LEAD = "Заказ 40 стеллажей";

registry.category("web_tour.tours").add("linear_crm_process_pipeline", {
    url: "/odoo/action-crm.crm_lead_action_pipeline",
    steps: () => [
        {
            content: "The demo lead waits in the first step of the process",
            trigger: `.o_kanban_group:has(.o_column_title:contains('Обработка заявки')) .o_kanban_record:contains('${LEAD}')`,
            run: "drag_and_drop (.o_kanban_group:has(.o_column_title:contains('Получение оплаты')))",
        },
        {
            content: "It lands in the next step",
            trigger: `.o_kanban_group:has(.o_column_title:contains('Получение оплаты')) .o_kanban_record:contains('${LEAD}')`,
            run: "click",
        },
        {
            content: "The step's planned action is now an activity",
            trigger: ".o-mail-Activity:contains('Проверить поступление оплаты')",
        },
        {
            content: "Open the checklist of the step",
            trigger: ".o_notebook a:contains('Step Checklist')",
            run: "click",
        },
        {
            content: "Confirm the required result",
            trigger: ".o_linear_checklist tr:contains('Оплата от клиента получена') .o_linear_confirm",
            run: "click",
        },
        {
            content: "The result is confirmed",
            trigger: ".o_linear_checklist tr:contains('Оплата от клиента получена'):not(:has(.o_linear_confirm))",
        },
        {
            content: "Move on to the next step",
            trigger: ".o_statusbar_status button:contains('Комплектация заказа')",
            run: "click",
        },
        {
            content: "The next step has started",
            trigger: ".o-mail-Activity:contains('Собрать и упаковать заказ')",
        },
    ],
});
