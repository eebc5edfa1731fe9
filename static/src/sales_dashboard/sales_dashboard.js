// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import { Component, onWillStart, onWillUnmount, useEffect, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { formatCurrency } from "@web/core/currency";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { formatFloat, formatPercentage } from "@web/views/fields/formatters";
import { useService } from "@web/core/utils/hooks";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const { DateTime } = luxon;

export const PERIODS = ["month", "quarter", "year", "custom"];

/** [date_from, date_to] as ISO dates of the period around `today` (a luxon DateTime). */
export function periodRange(period, today, custom = {}) {
    if (period === "custom") {
        return [custom.date_from || false, custom.date_to || false];
    }
    const start = today.startOf(period);
    return [start.toISODate(), start.endOf(period).toISODate()];
}

/**
 * The sales dashboard the head of sales opens first: funnel, managers, channels and forecast for
 * a period and a team, the discipline of the open leads, and the step timings of the chosen team's
 * process, read from `linear.sales.analytics` (which counts only the leads the user may read).
 * Every figure opens its leads (`lead_domain` of its row, or the `*_domain` of the figure);
 * "Export to Excel" downloads the same figures as a workbook with the same filters.
 */
export class SalesDashboard extends Component {
    static template = "linear_crm.SalesDashboard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        const saved = this.props.state || {};
        this.state = useState({
            period: saved.period || "quarter",
            custom: saved.custom || { date_from: false, date_to: false },
            teamId: saved.teamId || false,
            teams: [],
            data: null,
            loading: true,
        });
        this.canvases = {
            funnel: useRef("funnelChart"),
            channels: useRef("channelsChart"),
            forecast: useRef("forecastChart"),
        };
        this.charts = {};
        useSetupAction({
            getLocalState: () => ({
                period: this.state.period,
                custom: this.state.custom,
                teamId: this.state.teamId,
            }),
        });
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            const [teams, company] = await Promise.all([
                this.orm.searchRead("crm.team", [], ["name"], { order: "sequence, name" }),
                this.orm.read("res.company", [user.activeCompany.id], ["currency_id"]),
            ]);
            this.state.teams = teams;
            this.currencyId = company[0]?.currency_id?.[0];
            await this.load();
        });
        useEffect(
            () => this.renderCharts(),
            () => [this.state.data]
        );
        onWillUnmount(() => this.destroyCharts());
    }

    // ------------------------------------------------------------------ filters

    get periods() {
        return [
            ["month", _t("This Month")],
            ["quarter", _t("This Quarter")],
            ["year", _t("This Year")],
            ["custom", _t("Custom")],
        ];
    }

    get filters() {
        const [dateFrom, dateTo] = periodRange(this.state.period, DateTime.local(), this.state.custom);
        return {
            date_from: dateFrom,
            date_to: dateTo,
            team_id: this.state.teamId || false,
            user_id: false,
            source_id: false,
        };
    }

    async load() {
        this.state.loading = true;
        const filters = this.filters;
        const call = (method) => this.orm.call("linear.sales.analytics", method, [filters]);
        const [funnel, managers, channels, forecast, discipline, process] = await Promise.all([
            call("funnel"),
            call("managers"),
            call("channels"),
            call("forecast"),
            call("discipline"),
            call("process"),
        ]);
        this.state.data = { funnel, managers, channels, forecast, discipline, process };
        this.state.loading = false;
    }

    async onPeriodChange(ev) {
        this.state.period = ev.target.value;
        if (this.state.period !== "custom") {
            await this.load();
        }
    }

    async onCustomDateChange(key, ev) {
        this.state.custom[key] = ev.target.value || false;
        await this.load();
    }

    async onTeamChange(ev) {
        this.state.teamId = parseInt(ev.target.value) || false;
        await this.load();
    }

    // ------------------------------------------------------------------ figures

    get funnelStages() {
        return this.state.data?.funnel?.stages || [];
    }
    get funnelMessage() {
        return this.state.data?.funnel?.message || "";
    }
    get managerRows() {
        return this.state.data?.managers?.rows || [];
    }
    get channelRows() {
        return this.state.data?.channels?.rows || [];
    }
    get forecastRows() {
        return this.state.data?.forecast?.rows || [];
    }
    get disciplineRows() {
        return this.state.data?.discipline?.rows || [];
    }
    get processSteps() {
        return this.state.data?.process?.steps || [];
    }
    get processMessage() {
        return this.state.data?.process?.message || "";
    }
    get isEmpty() {
        return (
            !this.funnelStages.some((stage) => stage.entered) &&
            !this.managerRows.length &&
            !this.channelRows.length &&
            !this.forecastRows.length
        );
    }

    // null / false: unknown or not measured (a channel without cost, a month without target, a
    // first response nobody gave), shown as a dash, not as zero
    num(value, digits = 0) {
        if (value === null || value === false) {
            return "—";
        }
        return formatFloat(value || 0, { digits: [false, digits] });
    }
    pct(value) {
        return value === null || value === false ? "—" : formatPercentage(value || 0, { digits: [false, 1] });
    }
    money(value) {
        if (value === null || value === false) {
            return "—";
        }
        return this.currencyId
            ? formatCurrency(value || 0, this.currencyId, { digits: [false, 0] })
            : this.num(value);
    }
    /** "2026-10-01" -> "октябрь 2026" in the user's language (luxon's locale is the user's). */
    monthLabel(isoDate) {
        const month = DateTime.fromISO(isoDate || "");
        return month.isValid ? month.toFormat("LLLL yyyy") : isoDate || "—";
    }
    label(row, key) {
        const value = row[`${key}_name`] || row[key];
        return (Array.isArray(value) ? value[1] : value) || "—";
    }
    objections(row) {
        return Object.entries(row.objections || {})
            .map(([name, count]) => `${name}: ${count}`)
            .join(", ");
    }

    // ------------------------------------------------------------------ drill-down

    openLeads(row, title, key = "lead_domain") {
        if (!row?.[key]) {
            return;
        }
        this.action.doAction({
            type: "ir.actions.act_window",
            name: title || _t("Leads"),
            res_model: "crm.lead",
            domain: row[key],
            views: [
                [false, "list"],
                [false, "kanban"],
                [false, "form"],
            ],
            // lost leads are archived: the figures count them, the list must show them
            context: { active_test: false },
            target: "current",
        });
    }

    exportXlsx() {
        return this.action.doAction({
            type: "ir.actions.report",
            report_type: "xlsx",
            report_name: "linear_crm.sales_analytics_xlsx",
            report_file: "linear_crm.sales_analytics_xlsx",
            name: _t("Sales Analytics"),
            data: { filters: this.filters },
            context: {},
        });
    }

    async sendTestDigest() {
        const action = await this.orm.call("linear.sales.digest", "action_send_test_digest", []);
        await this.action.doAction(action);
    }

    // ------------------------------------------------------------------ charts

    destroyCharts() {
        for (const chart of Object.values(this.charts)) {
            chart.destroy();
        }
        this.charts = {};
    }

    renderCharts() {
        this.destroyCharts();
        if (!this.state.data || !window.Chart) {
            return;
        }
        const make = (key, config) => {
            const canvas = this.canvases[key].el;
            if (canvas) {
                this.charts[key] = new window.Chart(canvas, config);
            }
        };
        const stages = this.funnelStages;
        if (stages.length) {
            make("funnel", {
                type: "bar",
                data: {
                    labels: stages.map((s) => s.name),
                    datasets: [
                        { label: _t("Entered"), data: stages.map((s) => s.entered || 0), backgroundColor: "#1F77B4" },
                        { label: _t("Won Later"), data: stages.map((s) => s.won_later || 0), backgroundColor: "#2CA02C" },
                    ],
                },
                options: this.chartOptions(
                    {
                        indexAxis: "y",
                        onClick: (_ev, elements) => elements.length && this.openLeads(stages[elements[0].index], stages[elements[0].index].name),
                    },
                    "x"
                ),
            });
        }
        const channels = this.channelRows;
        if (channels.length) {
            make("channels", {
                type: "bar",
                data: {
                    labels: channels.map((r) => this.label(r, "source")),
                    datasets: [
                        { label: _t("Revenue"), data: channels.map((r) => r.revenue || 0), backgroundColor: "#2CA02C" },
                        { label: _t("Cost"), data: channels.map((r) => r.cost || 0), backgroundColor: "#D62728" },
                    ],
                },
                options: this.chartOptions({
                    onClick: (_ev, elements) => elements.length && this.openLeads(channels[elements[0].index]),
                }),
            });
        }
        const months = {};
        for (const row of this.forecastRows) {
            const month = (months[row.month] ||= { weighted: 0, target: 0 });
            month.weighted += row.weighted || 0;
            month.target += row.target || 0;
        }
        const monthKeys = Object.keys(months).sort();
        if (monthKeys.length) {
            make("forecast", {
                type: "bar",
                data: {
                    labels: monthKeys.map((m) => this.monthLabel(m)),
                    datasets: [
                        { label: _t("Weighted Revenue"), data: monthKeys.map((m) => months[m].weighted), backgroundColor: "#1F77B4" },
                        { label: _t("Target"), data: monthKeys.map((m) => months[m].target), backgroundColor: "#FF7F0E" },
                    ],
                },
                options: this.chartOptions(),
            });
        }
    }

    // Numbers on the value axis (and in tooltips) in the user's format, like the tables: Chart.js
    // would print English "5,000,000".
    chartOptions(extra = {}, valueAxis = "y") {
        return {
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            locale: luxon.Settings.defaultLocale,
            plugins: { legend: { position: "bottom" } },
            scales: { [valueAxis]: { ticks: { callback: (value) => this.num(value) } } },
            ...extra,
        };
    }
}

registry.category("actions").add("linear_crm.sales_dashboard", SalesDashboard);
