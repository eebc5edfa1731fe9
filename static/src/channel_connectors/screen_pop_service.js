// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
// Screen pop: an incoming call rings for its responsible user (bus notification
// "linear_crm/screen_pop" sent by linear.interaction); a sticky notification names the client and
// their open deals, with a button that opens the card (or creates the client for an unknown number).
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

export const SCREEN_POP = "linear_crm/screen_pop";

export function screenPopLines(payload) {
    const lines = [];
    if (payload.partner_name && payload.phone) {
        lines.push(payload.phone);
    }
    if (payload.new_client) {
        lines.push(_t("New client"));
    }
    if (!payload.partner_id && payload.known_client) {
        lines.push(_t("A client of another salesperson"));
    }
    if (payload.leads && payload.leads.length) {
        lines.push(_t("Open deals: %s", payload.leads.map((lead) => lead.name).join(", ")));
    } else if (payload.partner_id) {
        lines.push(_t("No open deals"));
    }
    if (payload.channel) {
        lines.push(payload.channel);
    }
    return lines;
}

export const screenPopService = {
    dependencies: ["bus_service", "notification", "action"],

    start(env, { bus_service, notification, action }) {
        bus_service.subscribe(SCREEN_POP, (payload) => {
            const who = payload.partner_name || payload.phone || _t("Unknown number");
            let close = () => {};
            const open = (actionDef) => {
                close();
                action.doAction(actionDef);
            };
            const buttons = [];
            if (payload.partner_id) {
                buttons.push({
                    name: _t("Open card"),
                    icon: "fa-address-card",
                    primary: true,
                    onClick: () =>
                        open({
                            type: "ir.actions.act_window",
                            res_model: "res.partner",
                            res_id: payload.partner_id,
                            views: [[false, "form"]],
                            target: "current",
                        }),
                });
            } else if (!payload.known_client) {
                buttons.push({
                    name: _t("Create client"),
                    icon: "fa-user-plus",
                    primary: true,
                    onClick: () =>
                        open({
                            type: "ir.actions.act_window",
                            res_model: "res.partner",
                            views: [[false, "form"]],
                            target: "current",
                            context: { default_phone: payload.phone || false },
                        }),
                });
            }
            if (payload.lead_id) {
                buttons.push({
                    name: _t("Open the lead"),
                    icon: "fa-handshake-o",
                    onClick: () =>
                        open({
                            type: "ir.actions.act_window",
                            res_model: "crm.lead",
                            res_id: payload.lead_id,
                            views: [[false, "form"]],
                            target: "current",
                        }),
                });
            }
            close = notification.add(screenPopLines(payload).join(" · "), {
                title: _t("Incoming call: %s", who),
                type: "info",
                sticky: true,
                className: "o_linear_screen_pop",
                buttons,
            });
        });
        bus_service.start();
    },
};

registry.category("services").add("linear_screen_pop", screenPopService);
