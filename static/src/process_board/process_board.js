// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import { Component, onWillStart, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloat } from "@web/core/utils/numbers";
import { useService } from "@web/core/utils/hooks";
import { useSortable } from "@web/core/utils/sortable_owl";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * The process board: the linear methodology's wall of stickers.
 *
 * The passport (header) sticker, then the body as a left-to-right row of step stickers, each with
 * its results and people as smaller stickers of their own colour and the methodology warnings.
 * Steps are reordered by dragging, edited in a dialog, added inline; a decomposed step drills
 * into its child process on the same board, with a trail of parent processes to come back.
 * Everything is read with one call, `linear.process.get_board_data`.
 */
export class ProcessBoard extends Component {
    static template = "linear_crm.ProcessBoard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.state = useState({
            processId: this.initialProcessId(),
            data: null,
            newStepName: "",
            busy: false,
        });
        this.rowRef = useRef("steps");
        this.newStepRef = useRef("newStep");

        useSortable({
            ref: this.rowRef,
            elements: ".o_lc_step",
            ignore: "button, a, input",
            enable: () => Boolean(this.state.data?.can_write) && !this.state.busy,
            cursor: "grabbing",
            placeholderClasses: ["o_lc_step_placeholder"],
            followingElementClasses: ["o_lc_step_dragged"],
            onDrop: (params) => this.onStepDrop(params),
        });
        useSetupAction({
            getLocalState: () => ({ processId: this.state.processId }),
        });
        onWillStart(() => this.load());
    }

    initialProcessId() {
        const { action, state } = this.props;
        return (
            state?.processId ||
            action.params?.process_id ||
            action.context?.active_id ||
            action.context?.default_process_id ||
            false
        );
    }

    // ------------------------------------------------------------------ data

    async load() {
        if (!this.state.processId) {
            this.state.data = null;
            return;
        }
        const data = await this.orm.call("linear.process", "get_board_data", [[this.state.processId]]);
        this.state.data = data;
        this.env.config?.setDisplayName?.(data.name);
        this.props.updateActionState?.({ active_id: data.id });
    }

    async withBusy(callback) {
        if (this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            await callback();
        } finally {
            this.state.busy = false;
        }
    }

    get canWrite() {
        return Boolean(this.state.data?.can_write);
    }

    /** The trail at the top: the processes this one details, then itself. */
    get trail() {
        const data = this.state.data;
        return data ? [...data.ancestors, { id: data.id, name: data.name }] : [];
    }

    get stepTitle() {
        return this.canWrite ? _t("Click to edit, drag to reorder") : _t("Click to view");
    }

    formatNumber(value) {
        return formatFloat(value || 0, { digits: [false, 2], trailingZeros: false });
    }

    kpiStatusClass(kpi) {
        return {
            on_track: "text-bg-success",
            off_track: "text-bg-danger",
        }[kpi.status] || "text-bg-secondary";
    }

    // ------------------------------------------------------------------ navigation

    async openProcess(processId) {
        if (!processId || processId === this.state.processId) {
            return;
        }
        this.state.processId = processId;
        await this.load();
    }

    onCrumbClick(crumb) {
        return this.openProcess(crumb.id);
    }

    onDrillClick(step) {
        return this.openProcess(step.child_process.id);
    }

    async onDecomposeClick(step) {
        await this.withBusy(async () => {
            await this.orm.call("linear.process.step", "action_decompose", [[step.id]]);
            await this.load();
        });
        const decomposed = this.state.data.steps.find((s) => s.id === step.id);
        if (decomposed?.child_process) {
            this.notification.add(
                _t("Step «%(step)s» is now detailed by its own process.", { step: step.name }),
                { type: "success" }
            );
            await this.openProcess(decomposed.child_process.id);
        }
    }

    openProcessForm() {
        return this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "linear.process",
            res_id: this.state.processId,
            views: [[false, "form"]],
            target: "current",
        });
    }

    async openProcessTable() {
        const action = await this.orm.call("linear.process", "action_open_steps_table", [
            [this.state.processId],
        ]);
        return this.action.doAction(action);
    }

    // ------------------------------------------------------------------ editing

    onStepClick(step) {
        const context = this.canWrite ? {} : { create: false, edit: false, delete: false };
        return this.action.doAction(
            {
                type: "ir.actions.act_window",
                name: _t("Step %(number)s", { number: step.number }),
                res_model: "linear.process.step",
                res_id: step.id,
                views: [[false, "form"]],
                target: "new",
                context,
            },
            { onClose: () => this.load() }
        );
    }

    onStepKeydown(ev, step) {
        if (ev.key === "Enter" && ev.target === ev.currentTarget) {
            ev.preventDefault();
            return this.onStepClick(step);
        }
    }

    async onNewStepKeydown(ev) {
        if (ev.key === "Enter") {
            ev.preventDefault();
            await this.addStep();
        } else if (ev.key === "Escape") {
            this.state.newStepName = "";
        }
    }

    async addStep() {
        const name = this.state.newStepName.trim();
        if (!name || !this.canWrite) {
            return;
        }
        await this.withBusy(async () => {
            // Sequences are renumbered by tens on reorder; stay after the last step in any case.
            const lastSequence = await this.lastSequence();
            await this.orm.create("linear.process.step", [
                { process_id: this.state.processId, name, sequence: lastSequence + 10 },
            ]);
            this.state.newStepName = "";
            await this.load();
        });
        this.newStepRef.el?.focus();
    }

    async lastSequence() {
        const [last] = await this.orm.searchRead(
            "linear.process.step",
            [["process_id", "=", this.state.processId]],
            ["sequence"],
            { order: "sequence desc, id desc", limit: 1 }
        );
        return last ? last.sequence : 0;
    }

    /** A step sticker was dropped elsewhere in the row: send its new 1-based position. */
    async onStepDrop({ element, previous, next }) {
        const stepId = Number(element.dataset.stepId);
        const others = this.state.data.steps.map((s) => s.id).filter((id) => id !== stepId);
        let index;
        if (previous?.dataset.stepId) {
            index = others.indexOf(Number(previous.dataset.stepId)) + 1;
        } else if (next?.dataset.stepId) {
            index = others.indexOf(Number(next.dataset.stepId));
        } else {
            return;
        }
        await this.withBusy(async () => {
            await this.orm.call("linear.process.step", "move_to_position", [[stepId], index + 1]);
            await this.load();
        });
    }
}

registry.category("actions").add("linear_crm.process_board", ProcessBoard);
