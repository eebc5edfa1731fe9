# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Helpers of the sales workbooks and digest (crm_extensions/lib/sales_xlsx.py); no database.

Run: .venv/bin/python -m pytest tests/test_sales_xlsx_pure.py
"""

from .pure_lib import load_lib

sales_xlsx = load_lib("crm_extensions", "sales_xlsx")


def test_clean_filters_keeps_the_api_keys_only():
    raw = {
        "date_from": "2026-01-01",
        "date_to": "2026-03-31",
        "team_id": 3,
        "user_id": [7, "Анна Иванова"],
        "source_id": "12",
        "company_id": 1,  # not a filter: dropped, the API refuses unknown keys
    }
    assert sales_xlsx.clean_filters(raw) == {
        "date_from": "2026-01-01",
        "date_to": "2026-03-31",
        "team_id": 3,
        "user_id": 7,
        "source_id": 12,
    }


def test_clean_filters_turns_forged_values_into_false():
    raw = {"date_from": "yesterday", "date_to": 5, "team_id": True, "user_id": -4, "source_id": "1; DROP"}
    assert sales_xlsx.clean_filters(raw) == dict.fromkeys(sales_xlsx.FILTER_KEYS, False)
    assert sales_xlsx.clean_filters(None) == dict.fromkeys(sales_xlsx.FILTER_KEYS, False)


def test_labels_of_api_values():
    assert sales_xlsx.label(False) == ""
    assert sales_xlsx.label([4, "Яндекс.Директ"]) == "Яндекс.Директ"
    assert sales_xlsx.row_label({"source": "Авито"}, "source") == "Авито"
    assert sales_xlsx.row_label({"team_name": "Опт", "team": 2}, "team") == "Опт"
    assert sales_xlsx.row_label({}, "medium") == ""


def test_numbers_and_ratios():
    assert sales_xlsx.number(None) == 0.0
    assert sales_xlsx.number(False) == 0.0
    assert sales_xlsx.number("12.5") == 12.5
    assert sales_xlsx.ratio(1, 4) == 0.25
    assert sales_xlsx.ratio(3, 0) == 0.0
    assert sales_xlsx.ratio(3, False) == 0.0


def test_objections_text_largest_first():
    assert sales_xlsx.objections_text({"Цена": 1, "Сроки": 3, "Бюджет": 1}) == "Сроки: 3, Бюджет: 1, Цена: 1"
    assert sales_xlsx.objections_text({}) == ""


def test_month_totals_sum_teams_and_people_per_month():
    rows = [
        {"month": "2026-02-01", "expected": 100.0, "weighted": 50.0, "target": False},
        {"month": "2026-01-01", "expected": 10.0, "weighted": 1.0, "target": 20.0},
        {"month": "2026-02-01", "expected": 200.0, "weighted": 20.0, "target": 300.0},
    ]
    assert sales_xlsx.month_totals(rows) == [
        ("2026-01-01", {"expected": 10.0, "weighted": 1.0, "target": 20.0}),
        ("2026-02-01", {"expected": 300.0, "weighted": 70.0, "target": 300.0}),
    ]


xlsx_rows = load_lib("crm_extensions", "xlsx_rows")


def test_column_letters():
    letters = xlsx_rows.column_letters(30)
    assert letters[:3] == ["A", "B", "C"]
    assert letters[25:28] == ["Z", "AA", "AB"]


def test_row_xml_is_xlsxwriters_markup():
    kinds = [
        xlsx_rows.TEXT,
        xlsx_rows.NUMBER,
        xlsx_rows.NUMBER,
        xlsx_rows.BOOLEAN,
        xlsx_rows.TEXT,
        xlsx_rows.TEXT,
    ]
    styles = [None, 3, None, None, None, None]
    labels = [None, None, None, None, {"ui": "Web Client"}, None]
    xml = xlsx_rows.row_xml(
        1,
        ["ООО «Ромашка» & <Ко>", 45000.5, 7, True, "ui", None],
        kinds,
        styles,
        xlsx_rows.column_letters(6),
        labels,
    )
    assert xml == (
        '<row r="2">'
        '<c r="A2" t="inlineStr"><is><t>ООО «Ромашка» &amp; &lt;Ко&gt;</t></is></c>'
        '<c r="B2" s="3"><v>45000.5</v></c>'
        '<c r="C2"><v>7</v></c>'
        '<c r="D2" t="b"><v>1</v></c>'
        '<c r="E2" t="inlineStr"><is><t>Web Client</t></is></c>'
        "</row>"
    )


def test_text_cell_escapes_like_xlsxwriter():
    assert (
        xlsx_rows.text_cell("A1", " lead ")
        == '<c r="A1" t="inlineStr"><is><t xml:space="preserve"> lead </t></is></c>'
    )
    assert (
        xlsx_rows.text_cell("A1", "a\x01b_x0041_")
        == '<c r="A1" t="inlineStr"><is><t>a_x0001_b_x005F_x0041_</t></is></c>'
    )
    assert xlsx_rows.text_cell("A1", 42) == '<c r="A1" t="inlineStr"><is><t>42</t></is></c>'
