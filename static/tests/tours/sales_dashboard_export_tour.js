// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import { download } from "@web/core/network/download";
import { registry } from "@web/core/registry";

// Export to Excel on the sales dashboard, as a sales manager: the button's download request
// (/report/download) must succeed; download() rejects (and the web client shows an error dialog)
// when the server fails. The tour marks the body when the real download settled.
function watchDownloads() {
    const original = download._download;
    download._download = async (options) => {
        document.body.dataset.lcDownload = "pending";
        try {
            const result = await original(options);
            document.body.dataset.lcDownload = `done ${options.url}`;
            return result;
        } catch (error) {
            document.body.dataset.lcDownload = "failed";
            throw error;
        } finally {
            download._download = original;
        }
    };
}

registry.category("web_tour.tours").add("linear_crm_sales_dashboard_export", {
    url: "/odoo/action-linear_crm.linear_sales_dashboard_action",
    steps: () => [
        {
            content: "The dashboard is loaded",
            trigger: ".o_lc_sales_dashboard .o_lc_block_funnel .o_lc_funnel_table",
            run: watchDownloads,
        },
        {
            content: "Export to Excel",
            trigger: ".o_lc_sales_dashboard button.o_lc_export_xlsx",
            run: "click",
        },
        {
            content: "The workbook was downloaded from /report/download, no error dialog",
            trigger:
                "body[data-lc-download='done /report/download']:not(:has(.o_error_dialog)):not(:has(.o_blockUI))",
        },
    ],
});
