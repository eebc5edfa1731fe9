// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// The accountant imports a 1C payment by hand: Processes › Bookkeeping › Import from 1C, upload,
// Import; the exchange log shows the report and the file (tests/test_exchange_import_tour.py
// prepares the client with this INN and its open invoice of 1000).
const PAYMENT_XML = `<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация ВерсияСхемы="2.05" ДатаФормирования="2026-11-21T09:00:00"><Документ><Ид>lc-tour-pp-1</Ид><Номер>ПП-T1</Номер><Дата>2026-11-21</Дата><ХозОперация>Выплата безналичных денег</ХозОперация><Роль>Продавец</Роль><Валюта>руб</Валюта><Курс>1</Курс><Сумма>1000.00</Сумма><Контрагенты><Контрагент><Наименование>LC Tour 1C client</Наименование><ИНН>7707083893</ИНН><Роль>Плательщик</Роль></Контрагент></Контрагенты></Документ></КоммерческаяИнформация>`;

// What a user's pick in the browser's file dialog does to the hidden file input.
function uploadFile(name, content) {
    return function () {
        const input = this.anchor.closest(".o_field_binary").querySelector("input[type='file']");
        const transfer = new DataTransfer();
        transfer.items.add(new File([content], name, { type: "text/xml" }));
        input.files = transfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
    };
}

registry.category("web_tour.tours").add("linear_crm_exchange_import", {
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
            content: "Bookkeeping › Import from 1C",
            trigger: ".dropdown-item[data-menu-xmlid='linear_crm.menu_bookkeeping_import_1c']",
            run: "click",
        },
        {
            content: "Upload the file 1C saved",
            trigger: ".modal .o_field_widget[name='file'] .o_select_file_button",
            run: uploadFile("from1c.xml", PAYMENT_XML),
        },
        {
            content: "The file is taken",
            trigger: ".modal .o_field_widget[name='file'] input.o_input:value(from1c.xml)",
        },
        {
            content: "Import",
            trigger: ".modal .modal-footer button[name='action_import']",
            run: "click",
        },
        {
            content: "The exchange log of the import: one document applied",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_field_widget[name='direction']:contains('Import'):not(:contains('Export'))",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='count_done']:contains('1')",
        },
        {
            content: "The report names the payment",
            trigger: ".o_form_view .o_field_widget[name='result']:contains('ПП-T1')",
        },
        {
            content: "The uploaded file can be downloaded",
            trigger: ".o_form_view .o_field_widget[name='file'] a.o_form_uri:contains('from1c.xml')",
        },
    ],
});
