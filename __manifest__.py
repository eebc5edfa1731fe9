# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "Linear CRM",
    "version": "19.0.1.2.0",
    "category": "Sales/CRM",
    "summary": "Linear business processes that drive Odoo CRM: passports, steps, "
    "tasks, client card, channels and analytics",
    "description": """
Linear CRM
==========
Describe business processes with the "linear methodology" (a process passport
and a strictly linear body of steps, decomposed into sub-processes, procedures
and actions) and let those processes drive Odoo's own CRM: each step becomes a
pipeline stage, its responsible gets the tasks, its results become the
checklist and its norm becomes the deadline.
""",
    "author": "Linear CRM",
    "website": "https://github.com/linear-crm/linear_crm",
    "license": "LGPL-3",
    "depends": [
        "crm",
        "project",
        "hr",
        "mail",
        "account",
        "queue_job",
        "report_xlsx",
        "base_import",
    ],
    "external_dependencies": {"python": ["phonenumbers", "pymorphy3"]},
    "data": [
        "security/linear_crm_groups.xml",
        "security/ir.model.access.csv",
        "security/linear_process_rules.xml",
        "linear_process/views/linear_process_step_views.xml",
        "linear_process/views/linear_process_views.xml",
        "linear_process/views/linear_process_run_views.xml",
        "linear_process/data/linear_process_cron.xml",
        "linear_process/views/linear_process_menus.xml",
        "crm_extensions/views/crm_process_pipeline_views.xml",
        "linear_process/report/linear_process_regulation_report.xml",
        "linear_process/report/linear_process_regulation_templates.xml",
        "security/crm_extensions_rules.xml",
        "crm_extensions/views/crm_team_assignment_views.xml",
        "crm_extensions/views/res_users_assignment_views.xml",
        "crm_extensions/views/crm_lead_assignment_views.xml",
        "crm_extensions/wizards/linear_reassign_wizard_views.xml",
        "crm_extensions/data/linear_crm_preset_data.xml",
        "crm_extensions/views/res_partner_presets_views.xml",
        "crm_extensions/views/linear_crm_preset_views.xml",
        "crm_extensions/data/crm_extensions_client_data.xml",
        "crm_extensions/views/res_partner_client_card_views.xml",
        "crm_extensions/views/linear_client_type_views.xml",
        "crm_extensions/views/crm_lead_client_views.xml",
        "crm_extensions/views/crm_lead_objection_views.xml",
        "crm_extensions/views/linear_client_timeline_views.xml",
        "security/channel_connectors_rules.xml",
        "channel_connectors/views/linear_channel_event_views.xml",
        "channel_connectors/views/linear_channel_views.xml",
        "channel_connectors/data/linear_channel_cron.xml",
        "security/linear_interaction_rules.xml",
        "channel_connectors/data/linear_interaction_data.xml",
        "channel_connectors/views/linear_interaction_views.xml",
        "channel_connectors/views/linear_card_views.xml",
        "channel_connectors/wizards/linear_message_composer_views.xml",
        "security/linear_analytics_rules.xml",
        "crm_extensions/views/linear_sales_report_views.xml",
        "crm_extensions/views/linear_sales_target_views.xml",
        "crm_extensions/views/linear_marketing_cost_views.xml",
        "crm_extensions/views/linear_sales_dashboard_views.xml",
        "crm_extensions/report/sales_analytics_reports.xml",
        "crm_extensions/data/linear_sales_digest_data.xml",
    ],
    "demo": [
        "data/iap_offline_demo.xml",
        "linear_process/data/res_company_demo.xml",
        "linear_process/data/linear_process_demo.xml",
        "crm_extensions/data/crm_process_demo.xml",
        "crm_extensions/data/crm_extensions_demo.xml",
        "channel_connectors/data/channel_connectors_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "linear_crm/static/src/process_board/**/*",
            "linear_crm/static/src/channel_connectors/**/*",
            "linear_crm/static/src/sales_dashboard/**/*",
        ],
        "web.assets_tests": [
            "linear_crm/static/tests/tours/**/*",
        ],
    },
    "images": ["static/description/icon.png"],
    "application": True,
}
