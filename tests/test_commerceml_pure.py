# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""CommerceML 2.10 export and import (crm_extensions/lib/commerceml.py); no Odoo, no database.

The export is validated against the shipped 2.10 schema and read back by the importer; the
importer takes real-life 1C files (no namespace, other order, windows-1251, BOM) and refuses
bombs, external entities, oversize and malformed files.

Run: .venv/bin/python -m pytest tests/test_commerceml_pure.py
"""

import codecs
import datetime
from decimal import Decimal

import pytest
from lxml import etree

from .pure_lib import load_lib

cml = load_lib("crm_extensions", "commerceml")

D = Decimal
DAY = datetime.date(2026, 11, 20)
NOW = datetime.datetime(2026, 11, 28, 7, 30, 15, 123)


def _org(**overrides):
    values = {
        "id": "res.partner-7",
        "name": "ООО «Ромашка»",
        "full_name": "Общество с ограниченной ответственностью «Ромашка»",
        "inn": "7707083893",
        "kpp": "773601001",
        "legal_address": "125009, Москва, ул. Тверская, д. 1",
        "address": "Москва, ул. Ленина, д. 2",
        "address_fields": (("Почтовый индекс", "125009"), ("Город", "Москва")),
        "director_last": "Иванов",
        "director_first": "Иван",
        "director_middle": "Иванович",
        "director_position": "Генеральный директор",
        "accounts": (
            cml.BankAccount("40702810900000000001", "044525225", "ПАО Сбербанк", "30101810400000000225"),
        ),
        "phone": "+74951234567",
        "email": "buh@romashka.example",
    }
    values.update(overrides)
    return cml.Counterparty(**values)


def _person():
    return cml.Counterparty(
        id="res.partner-9",
        name="Петров П. П.",
        full_name="Петров Пётр Петрович",
        is_person=True,
        inn="500100732259",
    )


def _order(number="CRM-42", amount="1200.00", counterparties=None, lines=None, **kw):
    return cml.Document(
        id=kw.pop("id", f"deal-{number}"),
        number=number,
        date=DAY,
        operation=cml.OP_ORDER,
        amount=D(amount),
        counterparties=counterparties if counterparties is not None else (_org(),),
        lines=lines
        if lines is not None
        else (cml.Line(name="Монтаж", amount=D("1200.00"), quantity=D(2), price=D("600.00"), id="p-15"),),
        time=datetime.time(10, 15),
        **kw,
    )


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(cml.SCHEMA_FILE)))


def _valid(schema, data):
    document = etree.fromstring(data)
    assert schema.validate(document), [e.message for e in schema.error_log]


# --- export ----------------------------------------------------------------------------------


def test_schema_is_shipped_with_the_addon():
    assert cml.SCHEMA_FILE.is_file()
    assert b'version="2.10"' in cml.SCHEMA_FILE.read_bytes()[:400]


@pytest.mark.parametrize("encoding", ["UTF-8", "windows-1251"])
def test_export_of_orders_validates_against_the_schema(schema, encoding):
    docs = [_order(), _order("CRM-43", counterparties=(_person(),), requisites=(("Статус заказа", "Новый"),))]
    data, stats = cml.export_bytes(docs, generated_at=NOW, encoding=encoding)
    _valid(schema, data)
    assert data.startswith(f'<?xml version="1.0" encoding="{encoding}"?>'.encode())
    assert (stats.documents, stats.counterparties, stats.lines, stats.warnings) == (2, 2, 2, [])
    assert cml.validate(data) == []
    root = etree.fromstring(data)
    assert root.get("ДатаФормирования") == "2026-11-28T07:30:15"


def test_export_of_counterparties_validates_and_streams_a_generator(schema):
    consumed = []

    def clients():
        for i in range(3):
            consumed.append(i)
            yield _org(id=f"res.partner-{i}", name=f"Клиент {i}")

    directory = cml.counterparty_directory(clients(), doc_id="directory-1", number="CP-1", date=DAY)
    data, stats = cml.export_bytes([directory], generated_at=NOW, bom=True)
    assert data.startswith(codecs.BOM_UTF8)
    _valid(schema, data[3:])
    assert consumed == [0, 1, 2]
    assert stats.counterparties == 3
    docs, problems = cml.read_documents(data)
    assert problems == []
    assert [cp.name for cp in docs[0].counterparties] == ["Клиент 0", "Клиент 1", "Клиент 2"]
    assert docs[0].operation == cml.OP_OTHER and docs[0].amount == 0


def test_export_drops_values_the_schema_refuses_and_warns(schema):
    bad = _org(
        inn="77070838", kpp="77360100", accounts=(cml.BankAccount("4070281090000000000", "044525225"),)
    )
    warnings = []
    data, stats = cml.export_bytes(
        [_order(counterparties=(bad,))],
        generated_at=NOW,
        on_warning=lambda r, p: warnings.append(p["element"]),
    )
    _valid(schema, data)
    assert warnings == ["ИНН", "КПП", "НомерСчета"]
    assert [w.params["element"] for w in stats.warnings] == warnings
    assert "77070838" not in data.decode()


def test_export_refuses_a_document_without_counterparty():
    with pytest.raises(cml.CommerceMLError) as info:
        cml.export_bytes([_order(counterparties=())], generated_at=NOW)
    assert "CRM-42" in str(info.value)


def test_export_round_trips_through_the_importer():
    docs = [
        _order(),
        _order(
            "CRM-43",
            amount="99.99",
            counterparties=(_person(),),
            lines=(cml.Line(name="Услуга", amount=D("99.99")),),
            comment="Срочно",
        ),
    ]
    data, _stats = cml.export_bytes(docs, generated_at=NOW, encoding="windows-1251")
    read, problems = cml.read_documents(data)
    assert problems == []
    assert read == docs
    exchange = cml.classify(read)
    assert [s.number for s in exchange.statuses] == ["CRM-42", "CRM-43"]
    assert exchange.statuses[0].inn == "7707083893"
    assert exchange.statuses[0].status == "" and exchange.statuses[0].cancelled is None


def test_export_without_namespace_reads_back():
    data, _stats = cml.export_bytes([_order()], generated_at=NOW, namespace=False)
    assert b"xmlns" not in data
    read, _problems = cml.read_documents(data)
    assert read == [_order()]


# --- import: what real 1C files look like --------------------------------------------------

PAYMENTS = """<?xml version="1.0" encoding="{encoding}"?>
<КоммерческаяИнформация ВерсияСхемы="2.05" ДатаФормирования="2026-11-21T09:00:00">
  <Документ>
    <Номер>ПП-0001</Номер>
    <Ид>pay-guid-1</Ид>
    <ХозОперация>Выплата безналичных денег</ХозОперация>
    <Дата>21.11.2026</Дата>
    <Валюта>руб</Валюта>
    <Сумма>1 200,50</Сумма>
    <Контрагенты><Контрагент><Наименование>ООО «Ромашка»</Наименование>
      <ИНН>7707083893</ИНН><Роль>Плательщик</Роль></Контрагент></Контрагенты>
    <ЗначенияРеквизитов>
      <ЗначениеРеквизита><Наименование>Номер заказа</Наименование>
        <Значение>CRM-42</Значение></ЗначениеРеквизита>
    </ЗначенияРеквизитов>
  </Документ>
  <Документ>
    <Ид>pay-guid-2</Ид><Номер>ПКО-7</Номер><Дата>2026-11-22</Дата>
    <ХозОперация>Выплата наличных денег</ХозОперация><Роль>Продавец</Роль><Валюта>RUB</Валюта>
    <Курс>1</Курс><Сумма>300.00</Сумма>
    <Контрагенты><Контрагент><Ид>res.partner-9</Ид><ПолноеНаименование>Петров Пётр</ПолноеНаименование>
      <Роль>Покупатель</Роль></Контрагент></Контрагенты>
  </Документ>
  {extra}
</КоммерческаяИнформация>
"""


def _payments_file(encoding="UTF-8", extra="", bom=False, declare=True):
    text = PAYMENTS.format(encoding=encoding, extra=extra)
    if not declare:
        text = text.split("\n", 1)[1]
    python_encoding = "cp1251" if encoding == "windows-1251" else "utf-8"
    return (codecs.BOM_UTF8 if bom else b"") + text.encode(python_encoding)


def _check_payments(exchange):
    assert exchange.problems == []
    first, second = exchange.payments
    assert (first.number, first.id, first.date, first.amount, first.currency, first.cash) == (
        "ПП-0001",
        "pay-guid-1",
        datetime.date(2026, 11, 21),
        D("1200.50"),
        "RUB",
        False,
    )
    assert (first.order_number, first.inn, first.counterparty) == ("CRM-42", "7707083893", "ООО «Ромашка»")
    assert first.key == "pay-guid-1|ПП-0001|2026-11-21"
    assert (second.cash, second.amount, second.counterparty) == (True, D("300.00"), "Петров Пётр")


@pytest.mark.parametrize(
    "encoding, bom, declare",
    [
        ("UTF-8", False, True),
        ("UTF-8", True, True),
        ("UTF-8", True, False),
        ("UTF-8", False, False),
        ("windows-1251", False, True),
        ("windows-1251", False, False),
    ],
)
def test_payments_in_both_encodings_with_or_without_bom_and_declaration(encoding, bom, declare):
    _check_payments(cml.parse_exchange(_payments_file(encoding, bom=bom, declare=declare)))


def test_payments_with_the_namespace_and_in_a_container():
    text = PAYMENTS.format(encoding="UTF-8", extra="").replace(
        "<КоммерческаяИнформация ", '<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" '
    )
    text = text.replace("<Документ>", "<Контейнер><Документ>").replace(
        "</Документ>", "</Документ></Контейнер>"
    )
    _check_payments(cml.parse_exchange(text.encode()))


BROKEN = """<Документ><Ид>pay-guid-3</Ид><Номер>ПП-0003</Номер><Дата>2026-11-23</Дата>
    <ХозОперация>Выплата безналичных денег</ХозОперация><Сумма>12,34.5</Сумма></Документ>"""


def test_one_broken_document_is_reported_and_the_others_read():
    exchange = cml.parse_exchange(_payments_file(extra=BROKEN))
    assert [p.number for p in exchange.payments] == ["ПП-0001", "ПКО-7"]
    (problem,) = exchange.problems
    assert (problem.number, problem.doc_id) == ("ПП-0003", "pay-guid-3")
    assert problem.message() == "Сумма 12,34.5 is not a number"


@pytest.mark.parametrize(
    "fragment, reason",
    [
        (
            "<Номер>X-1</Номер><Дата>2026-13-01</Дата><ХозОперация>Выплата наличных денег</ХозОперация>"
            "<Сумма>1</Сумма>",
            "Дата 2026-13-01 is not a date (YYYY-MM-DD or DD.MM.YYYY)",
        ),
        (
            "<Номер>X-1</Номер><ХозОперация>Выплата наличных денег</ХозОперация><Сумма>1</Сумма>",
            "Дата is missing",
        ),
        (
            "<Номер>X-1</Номер><Дата>2026-11-01</Дата><ХозОперация>Выплата наличных денег</ХозОперация>"
            "<Сумма>0</Сумма>",
            "Сумма must be greater than zero, not 0",
        ),
        (
            "<Номер>X-1</Номер><Дата>2026-11-01</Дата><ХозОперация>Выплата наличных денег</ХозОперация>"
            "<Сумма>5</Сумма><Контрагенты><Контрагент><ИНН>12345</ИНН></Контрагент></Контрагенты>",
            "ИНН 12345 must be 10 or 12 digits",
        ),
        ("<Дата>2026-11-01</Дата><Сумма>5</Сумма>", "the document has neither Ид nor Номер"),
    ],
)
def test_bad_values_are_reported_with_the_reason(fragment, reason):
    exchange = cml.parse_exchange(_payments_file(extra=f"<Документ>{fragment}</Документ>"))
    assert len(exchange.payments) == 2
    assert [p.message() for p in exchange.problems] == [reason]


def test_a_sum_that_does_not_add_up_is_refused():
    doc = """<Документ><Ид>o-1</Ид><Номер>CRM-50</Номер><Дата>2026-11-01</Дата>
      <ХозОперация>Заказ товара</ХозОперация><Сумма>1000.00</Сумма>
      <Товары><Товар><Наименование>A</Наименование><Сумма>600</Сумма></Товар>
              <Товар><Наименование>B</Наименование><Сумма>300</Сумма></Товар></Товары></Документ>"""
    exchange = cml.parse_exchange(_payments_file(extra=doc))
    assert [p.message() for p in exchange.problems] == [
        "the document sum 1000.00 does not match its lines, which add up to 900.00"
    ]
    # a tax not included in the lines makes it add up
    taxed = doc.replace(
        "</Товары>",
        "</Товары><Налоги><Налог><Наименование>НДС</Наименование>"
        "<УчтеноВСумме>false</УчтеноВСумме><Сумма>100,00</Сумма></Налог></Налоги>",
    )
    exchange = cml.parse_exchange(_payments_file(extra=taxed))
    assert exchange.problems == [] and [s.number for s in exchange.statuses] == ["CRM-50"]


def test_order_status_requisites_and_a_payment_under_the_order():
    doc = """<Документ><Ид>deal-CRM-42</Ид><Номер>CRM-42</Номер><Дата>2026-11-20</Дата>
      <ХозОперация>Заказ товара</ХозОперация><Роль>Продавец</Роль><Валюта>руб</Валюта><Сумма>1200</Сумма>
      <Контрагенты><Контрагент><Наименование>Ромашка</Наименование><ИНН>7707083893</ИНН>
      <Роль>Покупатель</Роль></Контрагент></Контрагенты>
      <ЗначенияРеквизитов>
        <ЗначениеРеквизита><Наименование>Статус заказа</Наименование>
          <Значение>[F] Выполнен</Значение></ЗначениеРеквизита>
        <ЗначениеРеквизита><Наименование>Оплачен</Наименование><Значение>true</Значение></ЗначениеРеквизита>
        <ЗначениеРеквизита><Наименование>Дата оплаты</Наименование>
          <Значение>2026-11-25 12:00:00</Значение></ЗначениеРеквизита>
        <ЗначениеРеквизита><Наименование>Отменен</Наименование><Значение>false</Значение></ЗначениеРеквизита>
        <ЗначениеРеквизита><Наименование>Проведен</Наименование><Значение>Да</Значение></ЗначениеРеквизита>
      </ЗначенияРеквизитов>
      <ПодчиненныеДокументы><ПодчиненныйДокумент><Ид>pp-9</Ид><Номер>9</Номер><Дата>2026-11-25</Дата>
        <ХозОперация>Выплата безналичных денег</ХозОперация><Сумма>1200</Сумма></ПодчиненныйДокумент>
      </ПодчиненныеДокументы></Документ>"""
    exchange = cml.parse_exchange(_payments_file(extra=doc))
    assert exchange.problems == []
    (status,) = exchange.statuses
    assert (status.status, status.paid, status.paid_date, status.cancelled, status.posted) == (
        "Выполнен",
        True,
        datetime.date(2026, 11, 25),
        False,
        True,
    )
    sub = exchange.payments[-1]
    assert (sub.number, sub.order_id, sub.order_number, sub.inn, sub.amount) == (
        "9",
        "deal-CRM-42",
        "CRM-42",
        "7707083893",
        D("1200.00"),
    )


def test_a_bad_flag_is_a_problem_and_other_operations_are_skipped():
    doc = """<Документ><Ид>o-2</Ид><Номер>CRM-51</Номер><Дата>2026-11-01</Дата>
      <ХозОперация>Заказ товара</ХозОперация><Сумма>1</Сумма><ЗначенияРеквизитов><ЗначениеРеквизита>
      <Наименование>Отменен</Наименование><Значение>может быть</Значение></ЗначениеРеквизита>
      </ЗначенияРеквизитов></Документ>
      <Документ><Ид>i-1</Ид><Номер>СЧ-1</Номер><Дата>2026-11-01</Дата>
      <ХозОперация>Счет на оплату</ХозОперация><Сумма>1</Сумма></Документ>"""
    exchange = cml.parse_exchange(_payments_file(extra=doc))
    assert [p.message() for p in exchange.problems] == ["Отменен может быть is not true or false"]
    assert [(s.number, s.message()) for s in exchange.skipped] == [
        ("СЧ-1", "operation Счет на оплату is not imported (only payments and order statuses are)")
    ]


# --- import: hostile and broken files ---------------------------------------------------------

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<КоммерческаяИнформация ВерсияСхемы="2.10" ДатаФормирования="2026-11-21T09:00:00">
<Документ><Номер>&lol4;</Номер></Документ></КоммерческаяИнформация>""".encode()

XXE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<КоммерческаяИнформация ВерсияСхемы="2.10" ДатаФормирования="2026-11-21T09:00:00">
<Документ><Номер>&xxe;</Номер></Документ></КоммерческаяИнформация>""".encode()


@pytest.mark.parametrize("data", [BOMB, XXE, codecs.BOM_UTF8 + XXE, XXE.replace(b"DOCTYPE", b"doctype")])
def test_bombs_and_external_entities_are_refused(data):
    with pytest.raises(cml.CommerceMLError) as info:
        cml.parse_exchange(data)
    assert info.value.reason == cml.MSG_DTD


def test_the_parser_itself_never_resolves_an_entity():
    # the DOCTYPE check comes first; the parser is the second line of defence
    root = etree.fromstring(XXE, cml.secure_parser())
    assert "root:" not in etree.tostring(root, encoding="unicode")


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", cml.MSG_EMPTY),
        (b"<a><b></a>", cml.MSG_MALFORMED),
        (b"<Catalog/>", cml.MSG_ROOT),
        (codecs.BOM_UTF16_LE + "<a/>".encode("utf-16-le"), cml.MSG_UTF16),
        (b'<?xml version="1.0" encoding="koi8-u"?><a/>', cml.MSG_ENCODING),
        (b'<?xml version="1.0" encoding="UTF-8"?><a>\xcf\xf0\xe8\xe2\xe5\xf2</a>', cml.MSG_DECODE),
    ],
)
def test_broken_files_are_refused_with_a_reason(data, reason):
    with pytest.raises(cml.CommerceMLError) as info:
        cml.parse_exchange(data)
    assert info.value.reason == reason


def test_size_limit():
    data = _payments_file()
    with pytest.raises(cml.CommerceMLError) as info:
        cml.parse_exchange(data, max_bytes=100)
    assert info.value.params == {"size": len(data), "limit": 100}
    assert len(cml.parse_exchange(data, max_bytes=len(data)).payments) == 2


# --- values ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [("1200", D(1200)), ("1 200,50", D("1200.50")), ("1\u00a0200.5", D("1200.5")), ("-3", D(-3))],
)
def test_decimal_accepts_comma_dot_and_spaces(text, value):
    assert cml.parse_decimal(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,200.50", "12.34.5", "1e3", "--1", "1" * 19, "9" * 400 + ".5"])
def test_decimal_refuses_anything_else(text):
    with pytest.raises(ValueError):
        cml.parse_decimal(text)


@pytest.mark.parametrize(
    "text",
    ["2026-11-20", "20.11.2026", "2026-11-20T10:15:00", "2026-11-20T10:15:00+03:00", "20.11.2026 0:00:00"],
)
def test_dates(text):
    assert cml.parse_date(text) == datetime.date(2026, 11, 20)


@pytest.mark.parametrize("text", ["2026/11/20", "32.01.2026", "2026-11-20garbage", "20.11.26", ""])
def test_bad_dates(text):
    with pytest.raises(ValueError):
        cml.parse_date(text)


def test_deal_numbers_and_currency_aliases():
    assert cml.deal_number(42) == "CRM-42"
    assert cml.deal_id_from_number(" crm-0042 ") == 42
    assert cml.deal_id_from_number("ПП-42") is None
    assert [cml.currency_code(c) for c in ("руб", "RUR", "643", "usd")] == ["RUB", "RUB", "RUB", "USD"]
    assert cml.status_name("[N] Принят") == "Принят"
