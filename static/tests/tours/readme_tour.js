// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
/**
 * The README's demo tour, clicked as a new user would: every button it names, in its order.
 *
 * Any client error fails the tour: an error handler put first in the registry turns every error
 * the web client would show as a dialog (RPC errors, "Oops" TypeErrors) into console.error, which
 * HttpCase reports as a failure. The one expected error, the gate's refusal, is announced first.
 * Selectors use field/button names, menu xml ids and demo data; the few labels that depend on
 * the language come from the test in the cookie `linear_crm_readme_tour`.
 */
import { download } from "@web/core/network/download";
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const PROCESS = "Выполнение заказа клиента";
const CHILD = "Проверка заявки клиента";
const FIRST_STEP = "Обработка заявки";
const NEW_STEP = "Анализ отзывов клиента";
const TEAM = "Продажи по процессу";
const LEAD = "Поставка офисной мебели";
const PAYMENT_STAGE = "Получение оплаты";
const CLIENT_INN = "7827004526";
const REASON = "Клиент прислал платёжку, деньги в пути";

const watch = { expectRedirect: false, downloads: [] };

function labels() {
    const raw = document.cookie
        .split("; ")
        .find((c) => c.startsWith("linear_crm_readme_tour="));
    return raw ? JSON.parse(decodeURIComponent(raw.split("=").slice(1).join("="))) : {};
}

/** Fail the tour on any error the web client handles (it would otherwise only show a dialog). */
function installErrorWatch() {
    const handlers = registry.category("error_handlers");
    if (handlers.contains("linear_crm_readme_tour")) {
        return;
    }
    handlers.add(
        "linear_crm_readme_tour",
        (env, error, originalError) => {
            const name = originalError?.exceptionName;
            if (watch.expectRedirect && name === "odoo.exceptions.RedirectWarning") {
                watch.expectRedirect = false;
                return false; // the gate's refusal: let the dialog show
            }
            const message = originalError?.data?.message || originalError?.message || String(error);
            console.error(`linear_crm readme tour: client error: ${name || ""} ${message}`);
            return false;
        },
        { sequence: 0 }
    );
}

/** Record each report download and whether the server answered it with a file. */
function installDownloadWatch() {
    if (download._linearWatched) {
        return;
    }
    const original = download._download;
    download._download = async (options) => {
        const [url, type] = JSON.parse(options.data?.data || '["", ""]');
        const entry = { url, type, status: "pending" };
        watch.downloads.push(entry);
        try {
            const result = await original(options);
            // the server answered with a named file of the report's kind, not an error page
            const extension = { "qweb-pdf": ".pdf", xlsx: ".xlsx" }[type] || "";
            if (!String(result || "").endsWith(extension)) {
                throw new Error(`unexpected file name ${result}`);
            }
            entry.status = "ok";
            document.body.dataset.lcDownloaded = [document.body.dataset.lcDownloaded, type]
                .filter(Boolean)
                .join(" ");
            return result;
        } catch (e) {
            entry.status = "failed";
            console.error(`linear_crm readme tour: download of ${url} failed: ${e.message || e}`);
            throw e;
        }
    };
    download._linearWatched = true;
}

const sticker = (name, number) =>
    number ? `.o_lc_step[data-number='${number}'][data-name='${name}']` : `.o_lc_step[data-name='${name}']`;
const column = (stage) => `.o_kanban_group:has(.o_column_title:contains('${stage}'))`;
const menu = (xmlid) => `.o_main_navbar [data-menu-xmlid='${xmlid}']`;
const noErrorDialog = {
    content: "No error dialog is open",
    trigger: "body:not(:has(.o_error_dialog))",
};
const openApp = (xmlid, content) => [
    stepUtils.showAppsMenuItem(),
    {
        content,
        trigger: `.o_app[data-menu-xmlid='${xmlid}']`,
        run: "click",
    },
];
const printReport = (kind, type) => [
    {
        content: "Open the Actions (cog) menu",
        trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
        run: "click",
    },
    {
        content: "Open its Print submenu",
        trigger: ".o-dropdown--menu button:has(.fa-print)",
        run: "click",
    },
    {
        content: `Print the regulation as ${kind}`,
        trigger: `.o-dropdown--menu .o_menu_item:contains('${kind}')`,
        run: "click",
    },
    {
        content: `The ${kind} file came back from the server`,
        trigger: `body[data-lc-downloaded~='${type}']`,
        timeout: 60000,
    },
    noErrorDialog,
];

registry.category("web_tour.tours").add("linear_crm_readme", {
    url: "/odoo",
    steps: () => [
        {
            content: "Watch client errors and downloads for the whole tour",
            trigger: "body",
            run() {
                installErrorWatch();
                installDownloadWatch();
            },
        },
        // ----------------------------------------------------------------- Processes
        stepUtils.showAppsMenuItem(),
        {
            content: "The Processes app, named in the user's language",
            trigger: `.o_app[data-menu-xmlid='linear_crm.menu_processes_root']:contains('${labels().processes_app || ""}')`,
            run: "click",
        },
        {
            content: "Open «Выполнение заказа клиента» from the register",
            trigger: `.o_kanban_record:contains('${PROCESS}')`,
            run: "click",
        },
        {
            content: "Open its Board",
            trigger: ".o_form_view .o_form_statusbar button[name='action_open_board']",
            run: "click",
        },
        {
            content: "The header sticker is the passport",
            trigger: `.o_lc_passport .o_lc_passport_name:contains('${PROCESS}')`,
        },
        {
            content: "Drill into «Обработка заявки»",
            trigger: `${sticker(FIRST_STEP, 1)} .o_lc_drill`,
            run: "click",
        },
        {
            content: "The board shows the procedure that details the step",
            trigger: `.o_lc_passport .o_lc_passport_name:contains('${CHILD}')`,
        },
        {
            content: "Back through the trail",
            trigger: `.o_lc_trail .o_lc_crumb a:contains('${PROCESS}')`,
            run: "click",
        },
        {
            content: "Back on the process",
            trigger: `.o_lc_passport .o_lc_passport_name:contains('${PROCESS}')`,
        },
        {
            content: "Back to the process form",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        ...printReport("PDF", "qweb-pdf"),
        ...printReport("XLSX", "xlsx"),
        {
            content: "New Version",
            trigger: ".o_form_view .o_form_statusbar button[name='action_new_version']",
            run: "click",
        },
        {
            content: "The new version is a draft",
            trigger: ".o_form_view .o_field_widget[name='state'] .o_arrow_button_current[data-value='draft']",
        },
        {
            content: "Open the Board of the new version",
            trigger: ".o_form_view .o_form_statusbar button[name='action_open_board']",
            run: "click",
        },
        {
            content: "The draft version can be edited on the board",
            trigger: `.o_lc_passport:contains('${PROCESS}') .o_lc_state.text-bg-info`,
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
            trigger: sticker(NEW_STEP, 5),
        },
        {
            content: "Drag it before the fourth step",
            trigger: sticker(NEW_STEP, 5),
            run: `drag_and_drop ${sticker("Доставка заказа", 4)}`,
        },
        {
            content: "It is the fourth step now",
            trigger: sticker(NEW_STEP, 4),
        },
        {
            trigger: sticker("Доставка заказа", 5),
        },
        {
            content: "Click a sticker to edit its step",
            trigger: sticker(PAYMENT_STAGE, 2),
            run: "click",
        },
        {
            content: "Change its norm",
            trigger: ".modal .o_form_view .o_field_widget[name='norm_duration'] input",
            run: "edit 2",
        },
        {
            content: "Save the step",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The dialog closed",
            trigger: "body:not(:has(.modal))",
        },
        noErrorDialog,
        {
            content: "Back to the form of the new version",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "Compare Versions",
            trigger: ".o_form_view .o_form_statusbar button[name='action_compare_versions']",
            run: "click",
        },
        {
            content: "The comparison lists the added step",
            trigger: `.modal .o_field_widget[name='line_ids'] .o_data_row:contains('${NEW_STEP}')`,
        },
        {
            content: "and the step whose norm changed",
            trigger: `.modal .o_field_widget[name='line_ids'] .o_data_row:contains('${PAYMENT_STAGE}')`,
        },
        {
            content: "Close the comparison",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "Approve the new version",
            trigger: ".o_form_view .o_form_statusbar button[name='action_approve']",
            run: "click",
        },
        {
            content: "It is approved",
            trigger: ".o_form_view .o_field_widget[name='state'] .o_arrow_button_current[data-value='approved']",
        },
        noErrorDialog,
        // ----------------------------------------------------------------- CRM: team binding
        ...openApp("crm.crm_menu_root", "Open the CRM app"),
        {
            content: "CRM › Configuration",
            trigger: menu("crm.crm_menu_config"),
            run: "click",
        },
        {
            content: "Sales Teams",
            trigger: `.dropdown-item[data-menu-xmlid='crm.crm_team_config']`,
            run: "click",
        },
        {
            content: "Open «Продажи по процессу»",
            trigger: `.o_data_row:contains('${TEAM}') .o_data_cell[name='name']`,
            run: "click",
        },
        {
            content: "Tab Sales Process",
            trigger: ".o_notebook a[name='linear_process']",
            run: "click",
        },
        {
            content: "Bind Process…",
            trigger: ".o_form_view button[name='action_bind_process']",
            run: "click",
        },
        {
            content: "The wizard lists the steps",
            trigger: `.modal .o_field_widget[name='line_ids'] .o_data_row:contains('${FIRST_STEP}')`,
        },
        {
            content: "Apply without changing anything",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The wizard closed",
            trigger: "body:not(:has(.modal))",
        },
        noErrorDialog,
        // ----------------------------------------------------------------- CRM: pipeline and gate
        {
            content: "CRM › Sales",
            trigger: menu("crm.crm_menu_sales"),
            run: "click",
        },
        {
            content: "My Pipeline",
            trigger: `.dropdown-item[data-menu-xmlid='crm.menu_crm_opportunities']`,
            run: "click",
        },
        {
            content: "The demo lead waits in «Обработка заявки»; its results are not confirmed",
            trigger: `${column(FIRST_STEP)} .o_kanban_record:contains('${LEAD}')`,
            run() {
                watch.expectRedirect = true;
            },
        },
        {
            content: "Drag it to «Получение оплаты»: the gate refuses",
            trigger: `${column(FIRST_STEP)} .o_kanban_record:contains('${LEAD}')`,
            run: `drag_and_drop (${column(PAYMENT_STAGE)})`,
        },
        {
            content: "The refusal names the missing results and offers Move Anyway…",
            trigger: ".modal .o_error_dialog .modal-footer .btn-primary, .modal:has(.o_error_dialog) .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Give a reason",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: `edit ${REASON}`,
        },
        {
            content: "Move",
            trigger: ".modal button[name='action_move']",
            run: "click",
        },
        {
            content: "The lead is in «Получение оплаты» now",
            trigger: `${column(PAYMENT_STAGE)} .o_kanban_record:contains('${LEAD}')`,
            run: "click",
        },
        noErrorDialog,
        {
            content: "Tab Step Checklist",
            trigger: ".o_notebook a[name='linear_checklist']",
            run: "click",
        },
        {
            content: "Confirm a result",
            trigger: ".o_linear_checklist .o_data_row .o_linear_confirm",
            run: "click",
        },
        {
            content: "The result is confirmed",
            trigger: ".o_linear_checklist .o_data_row:not(:has(.o_linear_confirm))",
        },
        noErrorDialog,
        // ----------------------------------------------------------------- Project: Start Process
        ...openApp("project.menu_main_pm", "Open the Project app"),
        {
            content: "Projects as a list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Open the first project's form",
            trigger: ".o_list_view .o_data_row:first .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "Action menu",
            trigger: ".o_form_view .o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Start Process",
            trigger: `.o-dropdown--menu .o_menu_item:contains('${labels().start_process || "Start Process"}')`,
            run: "click",
        },
        {
            content: "Choose the approved process",
            trigger: ".modal .o_field_widget[name='process_id'] input",
            run: `edit ${PROCESS}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item:contains('${PROCESS}')`,
            run: "click",
        },
        {
            content: "Start",
            trigger: ".modal button[name='action_start']",
            run: "click",
        },
        {
            content: "The run is open with its lines",
            trigger: `.o_form_view .o_field_widget[name='process_id']:contains('${PROCESS}')`,
        },
        noErrorDialog,
        // ----------------------------------------------------------------- CRM: automation presets
        ...openApp("crm.crm_menu_root", "Back to CRM"),
        {
            content: "CRM › Configuration",
            trigger: menu("crm.crm_menu_config"),
            run: "click",
        },
        {
            content: "Automation Presets",
            trigger: `.dropdown-item[data-menu-xmlid='linear_crm.linear_crm_preset_menu']`,
            run: "click",
        },
        {
            content: "Open the first preset",
            trigger: ".o_list_view .o_data_row:first .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "Switch it on",
            trigger: ".o_form_view .o_field_widget[name='enabled'] input:not(:checked)",
            run: "click",
        },
        {
            content: "Run Now",
            trigger: ".o_form_view .o_form_statusbar button[name='action_run_now']",
            run: "click",
        },
        {
            content: "The run reports its result",
            trigger: ".o_notification",
        },
        noErrorDialog,
        // ----------------------------------------------------------------- Contacts: client card
        ...openApp("contacts.menu_contacts", "Open the Contacts app"),
        {
            content: "Find the Russian client by its INN",
            trigger: ".o_control_panel .o_searchview_input",
            run: `edit ${CLIENT_INN}`,
        },
        {
            trigger: ".o_control_panel .o_searchview_input",
            run: "press Enter",
        },
        {
            content: "The search applies",
            trigger: `.o_searchview_facet:contains('${CLIENT_INN}')`,
        },
        {
            content: "Only the client and its addresses are listed",
            trigger: ".o_list_view:not(:has(.o_data_row:nth-child(4))) .o_data_row",
        },
        {
            content: "Open the client",
            trigger: ".o_list_view .o_data_row:first .o_data_cell[name='complete_name']",
            run: "click",
        },
        {
            content: "Tab Requisites",
            trigger: ".o_notebook a[name='linear_requisites']",
            run: "click",
        },
        {
            content: "The requisites show the INN and the KPP",
            trigger: ".o_notebook .o_field_widget[name='kpp']",
        },
        {
            content: "Timeline",
            trigger: ".o_form_view button[name='action_linear_open_timeline']",
            run: "click",
        },
        {
            content: "The timeline lists what happened with the client",
            trigger: ".o_list_view .o_data_row",
        },
        noErrorDialog,
    ],
});
