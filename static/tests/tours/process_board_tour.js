// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import { registry } from "@web/core/registry";

const ORDER = "Выполнение заказа клиента";
const CHILD = "Проверка заявки клиента";
const NEW_STEP = "Анализ отзывов клиента";
const BAD_STEP = "Клиент";

const step = (name, number) =>
    number ? `.o_lc_step[data-number='${number}'][data-name='${name}']` : `.o_lc_step[data-name='${name}']`;

registry.category("web_tour.tours").add("linear_crm_process_board", {
    url: "/odoo/action-linear_crm.linear_process_action",
    steps: () => [
        {
            content: "Open the demo process from the register",
            trigger: `.o_kanban_record:contains('${ORDER}')`,
            run: "click",
        },
        {
            content: "Open its board",
            trigger: ".o_form_view button[name='action_open_board']",
            run: "click",
        },
        {
            content: "The header sticker is the process passport",
            trigger: `.o_lc_passport .o_lc_passport_name:contains('${ORDER}')`,
        },
        {
            content: "The body shows the four steps of the seed, left to right",
            trigger: `${step("Обработка заявки", 1)} .o_lc_result`,
        },
        {
            trigger: step("Доставка заказа", 4),
        },
        {
            content: "Type a new step on the 'add step' sticker",
            trigger: ".o_lc_add_step .o_lc_new_step_input",
            run: `edit ${NEW_STEP}`,
        },
        {
            content: "Enter adds it after the last step",
            trigger: ".o_lc_add_step .o_lc_new_step_input",
            run: "press Enter",
        },
        {
            content: "The new step is the fifth sticker",
            trigger: step(NEW_STEP, 5),
        },
        {
            content: "Drag it before the second step",
            trigger: step(NEW_STEP, 5),
            run: `drag_and_drop ${step("Получение оплаты", 2)}`,
        },
        {
            content: "It is the second step now",
            trigger: step(NEW_STEP, 2),
        },
        {
            content: "The step it was dropped before moved one place to the right",
            trigger: step("Получение оплаты", 3),
        },
        {
            content: "Drill into the decomposition of «Обработка заявки»",
            trigger: `${step("Обработка заявки", 1)} .o_lc_drill`,
            run: "click",
        },
        {
            content: "The board shows the child procedure",
            trigger: `.o_lc_passport .o_lc_passport_name:contains('${CHILD}')`,
        },
        {
            trigger: step("Проверить наличие товара", 3),
        },
        {
            content: "Go back through the trail",
            trigger: `.o_lc_trail .o_lc_crumb a:contains('${ORDER}')`,
            run: "click",
        },
        {
            content: "Back on the process, the new order is kept",
            trigger: `.o_lc_passport .o_lc_passport_name:contains('${ORDER}')`,
        },
        {
            trigger: step(NEW_STEP, 2),
        },
        {
            content: "Add a badly named step",
            trigger: ".o_lc_add_step .o_lc_new_step_input",
            run: `edit ${BAD_STEP}`,
        },
        {
            trigger: ".o_lc_add_step .o_lc_new_step_input",
            run: "press Enter",
        },
        {
            content: "Its sticker warns that a step name starts with a verbal noun",
            trigger: `${step(BAD_STEP, 6)} .o_lc_warning[data-rule='step_name_verbal_noun']`,
        },
        {
            content: "The well named step has no such warning",
            trigger: `${step(NEW_STEP, 2)}:not(:has(.o_lc_warning[data-rule='step_name_verbal_noun']))`,
        },
    ],
});
