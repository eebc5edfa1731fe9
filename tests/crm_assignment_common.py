# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Shared set-up of the visibility and assignment tests: two teams, their people, clients, leads.

Team A: leader ``lead_a`` (not a member), members ``sales_1`` and ``sales_2``.
Team B: member ``sales_3``. ``manager`` sees all documents.
"""

from odoo.tests import new_test_user


def make_sales_world(env):
    """Create the teams, users, clients and leads; return them in a plain namespace dict."""
    w = {}
    mk = new_test_user
    w["sales_1"] = mk(env, login="lc_vis_s1", groups="sales_team.group_sale_salesman", name="Sales One")
    w["sales_2"] = mk(env, login="lc_vis_s2", groups="sales_team.group_sale_salesman", name="Sales Two")
    w["sales_3"] = mk(env, login="lc_vis_s3", groups="sales_team.group_sale_salesman", name="Sales Three")
    w["lead_a"] = mk(env, login="lc_vis_la", groups="sales_team.group_sale_salesman", name="Leader A")
    w["manager"] = mk(
        env, login="lc_vis_mg", groups="sales_team.group_sale_salesman_all_leads", name="Manager"
    )
    Team = env["crm.team"].with_context(tracking_disable=True)
    w["team_a"] = Team.create(
        {
            "name": "LC Team A",
            "user_id": w["lead_a"].id,
            "member_ids": [(6, 0, (w["sales_1"] | w["sales_2"]).ids)],
        }
    )
    w["team_b"] = Team.create({"name": "LC Team B", "member_ids": [(6, 0, w["sales_3"].ids)]})
    Partner = env["res.partner"].with_context(tracking_disable=True)
    w["client_1"] = Partner.create(
        {"name": "LC Client One", "user_id": w["sales_1"].id, "email": "c1@example.com"}
    )
    w["client_2"] = Partner.create({"name": "LC Client Two", "user_id": w["sales_2"].id})
    w["client_3"] = Partner.create({"name": "LC Client Three", "user_id": w["sales_3"].id})
    w["client_free_a"] = Partner.create({"name": "LC Client Free A"})
    w["client_free_b"] = Partner.create({"name": "LC Client Free B"})
    w["client_1_contact"] = Partner.create({"name": "LC Contact of One", "parent_id": w["client_1"].id})
    w["vendor"] = Partner.create({"name": "LC Vendor (not a client)"})
    Lead = env["crm.lead"].with_context(linear_skip_assignment=True, tracking_disable=True)

    def lead(name, user, team, partner):
        return Lead.create(
            {
                "name": name,
                "user_id": user.id if user else False,
                "team_id": team.id if team else False,
                "partner_id": partner.id if partner else False,
                "type": "opportunity",
            }
        )

    w["lead_1"] = lead("LC lead 1", w["sales_1"], w["team_a"], w["client_1"])
    w["lead_2"] = lead("LC lead 2", w["sales_2"], w["team_a"], w["client_2"])
    w["lead_3"] = lead("LC lead 3", w["sales_3"], w["team_b"], w["client_3"])
    w["lead_free_a"] = lead("LC lead free A", None, w["team_a"], w["client_free_a"])
    w["lead_free_b"] = lead("LC lead free B", None, w["team_b"], w["client_free_b"])
    w["lead_no_team"] = lead("LC lead no team", None, None, None)
    return w
