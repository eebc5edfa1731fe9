import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("linear_crm_processes_menu", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Processes app",
            trigger: ".o_app[data-menu-xmlid='linear_crm.menu_processes_root']",
            run: "click",
        },
        {
            content: "The process register renders",
            trigger: ".o_breadcrumb:contains('Processes')",
        },
        {
            content: "The admin menu is there for an architect",
            trigger: ".o_main_navbar button:contains('Configuration'), .o_main_navbar a:contains('Configuration')",
        },
    ],
});
