# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""CommerceML 2.10: build the export for 1C and read what 1C sends back (lxml only, no ORM).

Export: :func:`write_exchange` streams documents (their counterparties and lines may be lazy
iterables) into a file with ``etree.xmlfile``, so 10,000s of records never sit in memory as one
tree. The output follows the strict element order of the 2.10 schema (``SCHEMA_FILE``); values the
schema would refuse (an 11-digit INN, an 8-character KPP) are left out and reported as warnings.

Import: :func:`read_documents` accepts what real 1C files look like (no namespace or
``urn:1C.ru:commerceml_2``, any element order, windows-1251 or UTF-8 with or without a BOM, declared
or not) and is strict about the values it uses (sums, dates, flags): a bad document becomes a
:class:`Problem` with its number and reason, the others are read. :func:`classify` turns documents
into payments and order statuses. The parser never loads a DTD, never resolves entities, never
touches the network, and refuses any DOCTYPE/ENTITY declaration before parsing (XML bombs, XXE).

Messages are English format strings with ``params``; models translate them with
``env._(reason, **params)``.
"""

import codecs
import contextlib
import datetime
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from lxml import etree


def _lt(text):
    """Mark a message for the translation export; models translate it at runtime."""
    return text


NS = "urn:1C.ru:commerceml_2"
SCHEMA_VERSION = "2.10"
SCHEMA_FILE = Path(__file__).resolve().parents[1] / "data" / "commerceml" / "commerceml-2.10.xsd"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# ХозОперация values used here (schema enumeration ХозОперацияТип)
OP_ORDER = "Заказ товара"
OP_INVOICE = "Счет на оплату"
OP_OTHER = "Прочие"
OP_PAY_BANK = "Выплата безналичных денег"
OP_PAY_CASH = "Выплата наличных денег"
PAYMENT_OPERATIONS = (OP_PAY_BANK, OP_PAY_CASH)
ROLE_SELLER = "Продавец"
ROLE_BUYER = "Покупатель"

# ЗначенияРеквизитов names 1C (Trade Management, Accounting) and Bitrix use for order statuses
REQ_STATUS = ("статус заказа", "статус")
REQ_PAID = ("оплачен",)
REQ_PAID_DATE = ("дата оплаты", "дата оплаты по 1с")
REQ_CANCELLED = ("отменен", "отменён")
REQ_POSTED = ("проведен", "проведён")
REQ_FINAL = ("финальный статус", "закрыт")
REQ_DELETED = ("пометкаудаления", "пометка удаления")
REQ_ORDER_ID = ("ид заказа", "идзаказа", "ид заказа на сайте")
REQ_ORDER_NUMBER = (
    "номер заказа",
    "номер заказа на сайте",
    "заказ",
    "основание",
    "номер документа основания",
)

MSG_TOO_BIG = _lt("the file is %(size)s bytes, over the limit of %(limit)s bytes")
MSG_EMPTY = _lt("the file is empty")
MSG_UTF16 = _lt("UTF-16 files are not accepted: 1C sends UTF-8 or windows-1251")
MSG_ENCODING = _lt("encoding %(encoding)s is not accepted: 1C sends UTF-8 or windows-1251")
MSG_DECODE = _lt("the file is not valid %(encoding)s text (byte %(position)s)")
MSG_DTD = _lt(
    "DOCTYPE and ENTITY declarations are refused (they are how XML bombs and external entities "
    "attack a server); 1C never sends them"
)
MSG_MALFORMED = _lt("the file is not well-formed XML: %(error)s")
MSG_ROOT = _lt("the root element is %(root)s, not КоммерческаяИнформация")
MSG_NO_ID = _lt("the document has neither Ид nor Номер")
MSG_MISSING = _lt("%(element)s is missing")
MSG_BAD_DATE = _lt("%(element)s %(value)s is not a date (YYYY-MM-DD or DD.MM.YYYY)")
MSG_BAD_TIME = _lt("%(element)s %(value)s is not a time (HH:MM:SS)")
MSG_BAD_NUMBER = _lt("%(element)s %(value)s is not a number")
MSG_BAD_FLAG = _lt("%(element)s %(value)s is not true or false")
MSG_BAD_INN = _lt("ИНН %(value)s must be 10 or 12 digits")
MSG_NOT_POSITIVE = _lt("%(element)s must be greater than zero, not %(value)s")
MSG_SUM_MISMATCH = _lt("the document sum %(amount)s does not match its lines, which add up to %(lines)s")
MSG_UNSUPPORTED = _lt("operation %(operation)s is not imported (only payments and order statuses are)")
MSG_NO_COUNTERPARTY = _lt("document %(number)s has no counterparty; CommerceML requires one")
WARN_DROPPED = _lt("%(who)s: %(element)s %(value)s left out, it does not fit the CommerceML schema")


class CommerceMLError(ValueError):
    """The whole file is refused: ``reason`` % ``params`` says why (English)."""

    def __init__(self, reason, **params):
        self.reason = reason
        self.params = params
        super().__init__(reason % params if params else reason)


class _ValueProblem(ValueError):
    def __init__(self, reason, **params):
        self.reason = reason
        self.params = params
        super().__init__(reason % params if params else reason)


@dataclass(frozen=True)
class Problem:
    """One document that could not be read or used: its number and id, and why."""

    number: str
    doc_id: str
    reason: str
    params: dict = field(default_factory=dict)

    def message(self):
        return self.reason % self.params if self.params else self.reason


@dataclass(frozen=True)
class BankAccount:
    number: str
    bik: str = ""
    bank_name: str = ""
    corr_account: str = ""


@dataclass
class Counterparty:
    """A client: an organisation (``is_person`` False: РеквизитыЮрЛица) or a person."""

    id: str = ""
    name: str = ""
    full_name: str = ""
    is_person: bool = False
    inn: str = ""
    kpp: str = ""
    legal_address: str = ""
    address: str = ""
    address_fields: tuple = ()  # ((АдресТип, value), ...), e.g. (("Город", "Москва"),)
    director_last: str = ""
    director_first: str = ""
    director_middle: str = ""
    director_position: str = ""
    accounts: tuple = ()  # BankAccount, ...
    phone: str = ""
    email: str = ""
    role: str = ROLE_BUYER


@dataclass
class Line:
    name: str
    amount: Decimal
    quantity: Decimal = Decimal(1)
    price: Decimal | None = None
    id: str = ""
    unit: str = "шт"
    unit_code: str = "796"
    unit_full: str = "Штука"
    unit_intl: str = "PCE"


@dataclass
class Document:
    """A CommerceML ``Документ``; ``counterparties`` and ``lines`` may be lazy iterables on export."""

    id: str
    number: str
    date: datetime.date
    operation: str
    amount: Decimal
    counterparties: object = ()
    lines: object = ()
    role: str = ROLE_SELLER
    currency: str = "RUB"
    rate: Decimal = Decimal(1)
    time: datetime.time | None = None
    comment: str = ""
    requisites: tuple = ()  # ((name, value), ...) as ЗначенияРеквизитов
    subordinates: tuple = ()  # ПодчиненныеДокументы read on import (payments under an order)

    @property
    def key(self):
        """What identifies a document 1C sends again: its id, number and date."""
        return f"{self.id}|{self.number}|{self.date.isoformat() if self.date else ''}"


@dataclass(frozen=True)
class Payment:
    key: str
    id: str
    number: str
    date: datetime.date
    amount: Decimal
    currency: str
    cash: bool
    order_id: str = ""
    order_number: str = ""
    inn: str = ""
    counterparty: str = ""


@dataclass(frozen=True)
class OrderStatus:
    key: str
    id: str
    number: str
    date: datetime.date
    amount: Decimal | None
    inn: str = ""
    counterparty: str = ""
    status: str = ""
    paid: bool | None = None
    paid_date: datetime.date | None = None
    cancelled: bool | None = None
    posted: bool | None = None
    final: bool | None = None
    deleted: bool | None = None


@dataclass
class Exchange:
    payments: list = field(default_factory=list)
    statuses: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # Problem-shaped notes for documents not imported


@dataclass
class ExportStats:
    documents: int = 0
    counterparties: int = 0
    lines: int = 0
    warnings: list = field(default_factory=list)


# --- values ----------------------------------------------------------------------------------

_CENT = Decimal("0.01")
_NUMBER_RE = re.compile(r"^[+-]?\d+([.,]\d+)?$")
_SPACES_RE = re.compile(r"[\s\u00a0\u202f']")
_ACCOUNT_RE = re.compile(r"^[0-9]{5}[0-9ABCEHKMPTX][0-9]{14}$")
_DIGITS_RE = re.compile(r"^\d+$")
_STATUS_PREFIX_RE = re.compile(r"^\[[^\]]{1,3}\]\s*")
_TRUE = {"true", "1", "да", "истина", "yes"}
_FALSE = {"false", "0", "нет", "ложь", "no"}
_CURRENCY_ALIASES = {"руб": "RUB", "руб.": "RUB", "rur": "RUB", "643": "RUB", "₽": "RUB"}
DEAL_NUMBER_PREFIX = "CRM-"
_DEAL_NUMBER_RE = re.compile(r"^\s*CRM-0*(\d{1,12})\s*$", re.I)


def money(value):
    """A Decimal rounded to kopecks, as the schema's СуммаТип wants (2 fraction digits)."""
    return Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)


def _plain(value):
    """A decimal as plain text, never in exponent form ("1E+1" is not an xsd:decimal)."""
    text = format(Decimal(value).normalize(), "f")
    return text


def parse_decimal(text, element="Сумма"):
    """A sum as 1C writes it: dot or comma, spaces as thousands separators; nothing else."""
    raw = (text or "").strip()
    cleaned = _SPACES_RE.sub("", raw)
    # at most 18 digits, as the schema's СуммаТип: longer ones are not sums, and would overflow
    if not _NUMBER_RE.match(cleaned) or sum(ch.isdigit() for ch in cleaned) > 18:
        raise _ValueProblem(MSG_BAD_NUMBER, element=element, value=raw or "''")
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - the regex already guards it
        raise _ValueProblem(MSG_BAD_NUMBER, element=element, value=raw) from error


def parse_date(text, element="Дата"):
    raw = (text or "").strip()
    if _date_tail_ok(raw):
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            with contextlib.suppress(ValueError):
                return datetime.datetime.strptime(raw[:10], fmt).date()
    raise _ValueProblem(MSG_BAD_DATE, element=element, value=raw or "''")


def _date_tail_ok(raw):
    """A date may carry a time after it (2024-05-20T10:15:00, 20.05.2024 10:15:00), nothing else."""
    if len(raw) == 10:
        return True
    tail = raw[10:]
    return bool(re.match(r"^[T ]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$", tail))


def parse_time(text, element="Время"):
    raw = (text or "").strip()
    for fmt in ("%H:%M:%S", "%H:%M"):
        with contextlib.suppress(ValueError):
            return datetime.datetime.strptime(raw, fmt).time()
    raise _ValueProblem(MSG_BAD_TIME, element=element, value=raw or "''")


def parse_flag(text, element):
    raw = (text or "").strip()
    low = raw.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise _ValueProblem(MSG_BAD_FLAG, element=element, value=raw or "''")


def currency_code(text):
    """ISO code from what 1C and Bitrix write ("руб", "RUR", "643" mean roubles)."""
    raw = (text or "").strip()
    return _CURRENCY_ALIASES.get(raw.lower(), raw.upper())


def deal_number(lead_id):
    """The document number a deal carries in 1C; :func:`deal_id_from_number` reads it back."""
    return f"{DEAL_NUMBER_PREFIX}{int(lead_id)}"


def deal_id_from_number(number):
    match = _DEAL_NUMBER_RE.match(number or "")
    return int(match.group(1)) if match else None


def status_name(text):
    """A status without Bitrix's "[F] " code prefix: "[F] Выполнен" gives "Выполнен"."""
    return _STATUS_PREFIX_RE.sub("", (text or "").strip())


# --- export ----------------------------------------------------------------------------------


class _Writer:
    def __init__(self, xf, namespace, stats, on_warning):
        self.xf = xf
        self.ns = namespace
        self.stats = stats
        self.on_warning = on_warning

    def tag(self, name):
        return f"{{{NS}}}{name}" if self.ns else name

    def leaf(self, name, text, attrib=None):
        with self.xf.element(self.tag(name), attrib or {}):
            self.xf.write(str(text))

    @contextlib.contextmanager
    def node(self, name, attrib=None):
        with self.xf.element(self.tag(name), attrib or {}):
            yield

    def warn(self, who, element, value):
        params = {"who": who, "element": element, "value": value}
        self.stats.warnings.append(Problem(who, "", WARN_DROPPED, params))
        if self.on_warning:
            self.on_warning(WARN_DROPPED, params)

    def document(self, doc):
        counterparties = iter(doc.counterparties)
        first = next(counterparties, None)
        if first is None:
            raise CommerceMLError(MSG_NO_COUNTERPARTY, number=doc.number)
        lines = iter(doc.lines or ())
        first_line = next(lines, None)
        with self.node("Документ"):
            self.leaf("Ид", _cut(doc.id, 40))
            self.leaf("Номер", _cut(doc.number, 255))
            self.leaf("Дата", doc.date.isoformat())
            self.leaf("ХозОперация", doc.operation)
            self.leaf("Роль", doc.role)
            self.leaf("Валюта", currency_code(doc.currency))
            self.leaf("Курс", _plain(doc.rate))
            self.leaf("Сумма", money(doc.amount))
            with self.node("Контрагенты"):
                self.counterparty(first, in_document=True)
                for counterparty in counterparties:
                    self.counterparty(counterparty, in_document=True)
            if doc.time:
                self.leaf("Время", doc.time.strftime("%H:%M:%S"))
            if doc.comment:
                self.leaf("Комментарий", _cut(doc.comment, 3000))
            if first_line is not None:
                with self.node("Товары"):
                    self.line(first_line)
                    for line in lines:
                        self.line(line)
            if doc.requisites:
                with self.node("ЗначенияРеквизитов"):
                    for name, value in doc.requisites:
                        with self.node("ЗначениеРеквизита"):
                            self.leaf("Наименование", _cut(name, 255))
                            self.leaf("Значение", _cut(value, 1000))
        self.xf.write("\n")
        self.stats.documents += 1

    def counterparty(self, cp, in_document=False):
        who = cp.name or cp.full_name or cp.id
        inn = cp.inn or ""
        if inn and not (_DIGITS_RE.match(inn) and len(inn) in (10, 12)):
            self.warn(who, "ИНН", inn)
            inn = ""
        kpp = cp.kpp or ""
        if kpp and not (len(kpp) == 9 and re.match(r"^\d{4}[\dA-Z]{2}\d{3}$", kpp)):
            self.warn(who, "КПП", kpp)
            kpp = ""
        with self.node("Контрагент"):
            if cp.id:
                self.leaf("Ид", _cut(cp.id, 40))
            if cp.name:
                self.leaf("Наименование", _cut(cp.name, 255))
            full = _cut(cp.full_name or cp.name or cp.id, 255)
            if cp.is_person:
                self.leaf("ПолноеНаименование", full)
                if inn:
                    self.leaf("ИНН", inn)
            else:
                self.leaf("ОфициальноеНаименование", full)
                if cp.legal_address:
                    with self.node("ЮридическийАдрес"):
                        self.leaf("Представление", _cut(cp.legal_address, 255))
                if inn:
                    self.leaf("ИНН", inn)
                if kpp:
                    self.leaf("КПП", kpp)
                if cp.director_last and cp.director_first and cp.director_position:
                    with self.node("Руководитель"):
                        self.leaf("Фамилия", _cut(cp.director_last, 255))
                        self.leaf("Имя", _cut(cp.director_first, 255))
                        if cp.director_middle:
                            self.leaf("Отчество", _cut(cp.director_middle, 255))
                        self.leaf("Должность", _cut(cp.director_position, 255))
                accounts = [a for a in cp.accounts if self._account_ok(who, a)]
                if accounts:
                    with self.node("РасчетныеСчета"):
                        for account in accounts:
                            self.account(account)
            if cp.address:
                with self.node("Адрес"):
                    self.leaf("Представление", _cut(cp.address, 255))
                    for kind, value in cp.address_fields[:10]:
                        with self.node("АдресноеПоле"):
                            self.leaf("Тип", kind)
                            self.leaf("Значение", _cut(value, 255))
            contacts = [(t, v) for t, v in (("Телефон рабочий", cp.phone), ("Почта", cp.email)) if v]
            if contacts:
                with self.node("Контакты"):
                    for kind, value in contacts:
                        with self.node("Контакт"):
                            self.leaf("Тип", kind)
                            self.leaf("Значение", _cut(value, 255))
            if in_document:
                self.leaf("Роль", cp.role or ROLE_BUYER)
        self.stats.counterparties += 1

    def _account_ok(self, who, account):
        if not _ACCOUNT_RE.match(account.number or ""):
            self.warn(who, "НомерСчета", account.number)
            return False
        if not (account.bik and len(account.bik) == 9):
            self.warn(who, "БИК", account.bik)
            return False
        return True

    def account(self, account):
        with self.node("РасчетныйСчет"):
            self.leaf("НомерСчета", account.number)
            with self.node("Банк"):
                if account.corr_account and _ACCOUNT_RE.match(account.corr_account):
                    self.leaf("СчетКорреспондентский", account.corr_account)
                if account.bank_name:
                    self.leaf("Наименование", _cut(account.bank_name, 255))
                self.leaf("БИК", account.bik)

    def line(self, line):
        with self.node("Товар"):
            if line.id:
                self.leaf("Ид", _cut(line.id, 80))
            self.leaf("Наименование", _cut(line.name, 255))
            attrib = {}
            if line.unit_code and 3 <= len(line.unit_code) <= 4:
                attrib["Код"] = line.unit_code
            if line.unit_full:
                attrib["НаименованиеПолное"] = _cut(line.unit_full, 255)
            if line.unit_intl and len(line.unit_intl) <= 3:
                attrib["МеждународноеСокращение"] = line.unit_intl
            self.leaf("БазоваяЕдиница", line.unit or "", attrib)
            if line.price is not None:
                self.leaf("ЦенаЗаЕдиницу", money(line.price))
            self.leaf("Количество", _plain(line.quantity))
            self.leaf("Сумма", money(line.amount))
        self.stats.lines += 1


def _cut(value, size):
    text = str(value or "")
    return text[:size]


def write_exchange(
    out, documents, *, generated_at, encoding="UTF-8", namespace=True, bom=False, on_warning=None
):
    """Stream ``documents`` as one ``КоммерческаяИнформация`` into ``out``.

    ``out``: a path or a binary file object. ``generated_at``: a naive datetime (ДатаФормирования).
    ``bom``: prepend the UTF-8 byte order mark, as 1C likes its downloads. Returns :class:`ExportStats`.
    """
    stats = ExportStats()
    with contextlib.ExitStack() as stack:
        if isinstance(out, str | Path):
            out = stack.enter_context(open(out, "wb"))
        if bom and encoding.lower().replace("-", "") == "utf8":
            out.write(codecs.BOM_UTF8)
        out.write(f'<?xml version="1.0" encoding="{encoding}"?>\n'.encode("ascii"))
        with etree.xmlfile(out, encoding=encoding) as xf:
            writer = _Writer(xf, namespace, stats, on_warning)
            attrib = {
                "ВерсияСхемы": SCHEMA_VERSION,
                "ДатаФормирования": generated_at.replace(microsecond=0).isoformat(),
            }
            with xf.element(
                writer.tag("КоммерческаяИнформация"), attrib, nsmap={None: NS} if namespace else None
            ):
                xf.write("\n")
                for doc in documents:
                    writer.document(doc)
        out.write(b"\n")
    return stats


def export_bytes(documents, **kwargs):
    """:func:`write_exchange` into memory: (bytes, ExportStats)."""
    import io

    buffer = io.BytesIO()
    stats = write_exchange(buffer, documents, **kwargs)
    return buffer.getvalue(), stats


def counterparty_directory(counterparties, *, doc_id, number, date):
    """Counterparties alone, as the schema allows them: one document "Прочие" with a zero sum whose
    ``Контрагенты`` lists them all (CommerceML 2.10 has no other place for a list of clients)."""
    return Document(
        id=doc_id,
        number=number,
        date=date,
        operation=OP_OTHER,
        amount=Decimal(0),
        counterparties=counterparties,
        role=ROLE_SELLER,
    )


def validate(data, schema_file=SCHEMA_FILE):
    """Errors of ``data`` (bytes) against the 2.10 schema, as strings; empty when valid."""
    schema = etree.XMLSchema(etree.parse(str(schema_file), secure_parser()))
    document = etree.fromstring(data, secure_parser())
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


# --- import ----------------------------------------------------------------------------------

_DECL_RE = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']", re.I)
_DECL_TEXT_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
_DTD_RE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.I)
_ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "windows-1251": "cp1251",
    "cp1251": "cp1251",
    "win-1251": "cp1251",
    "cp-1251": "cp1251",
    "us-ascii": "ascii",
    "ascii": "ascii",
}


def secure_parser():
    """An lxml parser that never loads a DTD, resolves an entity or reaches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def decode(data, max_bytes=DEFAULT_MAX_BYTES):
    """The file's text: BOM first, then the declared encoding, else UTF-8, else windows-1251."""
    if max_bytes and len(data) > max_bytes:
        raise CommerceMLError(MSG_TOO_BIG, size=len(data), limit=max_bytes)
    if not data.strip():
        raise CommerceMLError(MSG_EMPTY)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CommerceMLError(MSG_UTF16)
    if data.startswith(codecs.BOM_UTF8):
        encoding, data = "utf-8", data[len(codecs.BOM_UTF8) :]
    else:
        match = _DECL_RE.match(data[:300])
        if match:
            declared = match.group(1).decode("ascii")
            encoding = _ENCODINGS.get(declared.lower())
            if not encoding:
                raise CommerceMLError(MSG_ENCODING, encoding=declared)
        else:
            try:
                encoding = "utf-8"
                data.decode(encoding)
            except UnicodeDecodeError:
                encoding = "cp1251"  # an undeclared 1C file that is not UTF-8
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        label = {"cp1251": "windows-1251", "utf-8": "UTF-8"}.get(encoding, encoding)
        raise CommerceMLError(MSG_DECODE, encoding=label, position=error.start) from error
    return _DECL_TEXT_RE.sub("", text, count=1)


def parse_root(data, max_bytes=DEFAULT_MAX_BYTES):
    """The root element of a CommerceML file, or :class:`CommerceMLError`."""
    text = decode(data, max_bytes)
    if _DTD_RE.search(text):
        raise CommerceMLError(MSG_DTD)
    try:
        root = etree.fromstring(text.encode("utf-8"), secure_parser())
    except etree.XMLSyntaxError as error:
        raise CommerceMLError(MSG_MALFORMED, error=str(error)) from error
    if root.getroottree().docinfo.doctype:  # pragma: no cover - refused above, kept as a guard
        raise CommerceMLError(MSG_DTD)
    name = etree.QName(root).localname
    if name != "КоммерческаяИнформация":
        raise CommerceMLError(MSG_ROOT, root=name)
    return root


def _local(element):
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child(element, name):
    for child in element:
        if _local(child) == name:
            return child
    return None


def _children(element, name):
    return [child for child in element if _local(child) == name]


def _text(element, name, default=""):
    child = _child(element, name) if element is not None else None
    if child is None:
        return default
    return " ".join((child.text or "").split())


def _required(element, name):
    child = _child(element, name)
    if child is None or not (child.text or "").strip():
        raise _ValueProblem(MSG_MISSING, element=name)
    return " ".join(child.text.split())


def read_documents(data, max_bytes=DEFAULT_MAX_BYTES):
    """Every ``Документ`` of the file (also inside 1C's ``Контейнер``): (documents, problems).

    Raises :class:`CommerceMLError` when the whole file is refused.
    """
    root = parse_root(data, max_bytes)
    documents, problems = [], []
    for element in root.iter("{*}Документ"):
        try:
            documents.append(_read_document(element))
        except _ValueProblem as error:
            problems.append(
                Problem(_text(element, "Номер"), _text(element, "Ид"), error.reason, error.params)
            )
    return documents, problems


def _read_document(element, subordinate=False):
    doc_id, number = _text(element, "Ид"), _text(element, "Номер")
    if not doc_id and not number:
        raise _ValueProblem(MSG_NO_ID)
    date = parse_date(_required(element, "Дата"))
    amount_text = _text(element, "Сумма")
    if not amount_text and subordinate:
        amount = None
    else:
        amount = parse_decimal(_required(element, "Сумма"), "Сумма")
    rate_text = _text(element, "Курс")
    time_text = _text(element, "Время")
    counterparties = tuple(
        _read_counterparty(cp)
        for holder in _children(element, "Контрагенты")
        for cp in _children(holder, "Контрагент")
    )
    lines = tuple(
        _read_line(item) for holder in _children(element, "Товары") for item in _children(holder, "Товар")
    )
    requisites = tuple(
        (_text(req, "Наименование"), _text(req, "Значение"))
        for holder in _children(element, "ЗначенияРеквизитов")
        for req in _children(holder, "ЗначениеРеквизита")
    )
    subordinates = tuple(
        _read_document(sub, subordinate=True)
        for holder in _children(element, "ПодчиненныеДокументы")
        for sub in _children(holder, "ПодчиненныйДокумент")
    )
    doc = Document(
        id=doc_id,
        number=number,
        date=date,
        operation=_text(element, "ХозОперация"),
        amount=amount,
        counterparties=counterparties,
        lines=lines,
        role=_text(element, "Роль"),
        currency=currency_code(_text(element, "Валюта")) or "RUB",
        rate=parse_decimal(rate_text, "Курс") if rate_text else Decimal(1),
        time=parse_time(time_text) if time_text else None,
        comment=_text(element, "Комментарий"),
        requisites=requisites,
        subordinates=subordinates,
    )
    if lines and amount is not None:
        _check_sum(element, doc)
    return doc


def _check_sum(element, doc):
    """Lines plus taxes not included in them, minus discounts not included: the document sum."""
    expected = sum((line.amount for line in doc.lines), Decimal(0))
    for kind, sign in (("Налоги", 1), ("Скидки", -1)):
        for holder in _children(element, kind):
            for item in holder:
                included = _text(item, "УчтеноВСумме").lower()
                value = _text(item, "Сумма")
                if value and included in _FALSE:
                    expected += sign * parse_decimal(value, f"{kind}/Сумма")
    if abs(money(expected) - money(doc.amount)) >= _CENT:
        raise _ValueProblem(MSG_SUM_MISMATCH, amount=money(doc.amount), lines=money(expected))


def _read_counterparty(element):
    legal = _child(element, "ОфициальноеНаименование") is not None
    person_name = _text(element, "ПолноеНаименование")
    inn = "".join(_text(element, "ИНН").split())
    if inn and not (_DIGITS_RE.match(inn) and len(inn) in (10, 12)):
        raise _ValueProblem(MSG_BAD_INN, value=inn)
    accounts = []
    for holder in _children(element, "РасчетныеСчета"):
        for account in _children(holder, "РасчетныйСчет"):
            bank = _child(account, "Банк")
            accounts.append(
                BankAccount(
                    number=_text(account, "НомерСчета"),
                    bik=_text(bank, "БИК"),
                    bank_name=_text(bank, "Наименование"),
                    corr_account=_text(bank, "СчетКорреспондентский"),
                )
            )
    director = _child(element, "Руководитель")
    address = _child(element, "Адрес")
    contacts = {
        _text(contact, "Тип"): _text(contact, "Значение")
        for holder in _children(element, "Контакты")
        for contact in _children(holder, "Контакт")
    }
    return Counterparty(
        id=_text(element, "Ид"),
        name=_text(element, "Наименование"),
        full_name=_text(element, "ОфициальноеНаименование") if legal else person_name,
        is_person=not legal and bool(person_name),
        inn=inn,
        kpp=_text(element, "КПП"),
        legal_address=_text(_child(element, "ЮридическийАдрес"), "Представление"),
        address=_text(address, "Представление"),
        address_fields=tuple(
            (_text(item, "Тип"), _text(item, "Значение")) for item in _children(address, "АдресноеПоле")
        )
        if address is not None
        else (),
        director_last=_text(director, "Фамилия"),
        director_first=_text(director, "Имя"),
        director_middle=_text(director, "Отчество"),
        director_position=_text(director, "Должность"),
        accounts=tuple(accounts),
        phone=contacts.get("Телефон рабочий", ""),
        email=contacts.get("Почта", ""),
        role=_text(element, "Роль"),
    )


def _read_line(element):
    unit = _child(element, "БазоваяЕдиница")
    price = _text(element, "ЦенаЗаЕдиницу")
    quantity = _text(element, "Количество")
    return Line(
        id=_text(element, "Ид"),
        name=_text(element, "Наименование"),
        amount=parse_decimal(_required(element, "Сумма"), "Товар/Сумма"),
        quantity=parse_decimal(quantity, "Количество") if quantity else Decimal(1),
        price=parse_decimal(price, "ЦенаЗаЕдиницу") if price else None,
        unit=" ".join((unit.text or "").split()) if unit is not None else "",
        unit_code=unit.get("Код", "") if unit is not None else "",
        unit_full=unit.get("НаименованиеПолное", "") if unit is not None else "",
        unit_intl=unit.get("МеждународноеСокращение", "") if unit is not None else "",
    )


def _requisite(doc, names):
    for name, value in doc.requisites:
        if name.strip().lower() in names:
            return value
    return None


def _buyer(doc):
    """The client of a document: the counterparty in the buyer's or payer's role, else the first."""
    for cp in doc.counterparties:
        if cp.role in (ROLE_BUYER, "Плательщик"):
            return cp
    return doc.counterparties[0] if doc.counterparties else Counterparty()


def _payment(doc, order=None):
    if doc.amount is None:
        raise _ValueProblem(MSG_MISSING, element="Сумма")
    if doc.amount <= 0:
        raise _ValueProblem(MSG_NOT_POSITIVE, element="Сумма", value=doc.amount)
    buyer = _buyer(doc if doc.counterparties or order is None else order)
    return Payment(
        key=doc.key,
        id=doc.id,
        number=doc.number,
        date=doc.date,
        amount=money(doc.amount),
        currency=doc.currency or (order.currency if order else "RUB"),
        cash=doc.operation == OP_PAY_CASH,
        order_id=order.id if order else (_requisite(doc, REQ_ORDER_ID) or ""),
        order_number=order.number if order else (_requisite(doc, REQ_ORDER_NUMBER) or ""),
        inn=buyer.inn,
        counterparty=buyer.name or buyer.full_name,
    )


def _flag(doc, names, element):
    value = _requisite(doc, names)
    return None if value in (None, "") else parse_flag(value, element)


def _status(doc):
    paid_date = _requisite(doc, REQ_PAID_DATE)
    buyer = _buyer(doc)
    return OrderStatus(
        key=doc.key + "|" + "|".join(f"{n}={v}" for n, v in sorted(doc.requisites)),
        id=doc.id,
        number=doc.number,
        date=doc.date,
        amount=money(doc.amount) if doc.amount is not None else None,
        inn=buyer.inn,
        counterparty=buyer.name or buyer.full_name,
        status=status_name(_requisite(doc, REQ_STATUS) or ""),
        paid=_flag(doc, REQ_PAID, "Оплачен"),
        paid_date=parse_date(paid_date, "Дата оплаты") if paid_date else None,
        cancelled=_flag(doc, REQ_CANCELLED, "Отменен"),
        posted=_flag(doc, REQ_POSTED, "Проведен"),
        final=_flag(doc, REQ_FINAL, "Финальный статус"),
        deleted=_flag(doc, REQ_DELETED, "ПометкаУдаления"),
    )


def classify(documents, problems=()):
    """Payments and order statuses of the documents read; a bad one becomes a problem."""
    exchange = Exchange(problems=list(problems))
    for doc in documents:
        try:
            if doc.operation in PAYMENT_OPERATIONS:
                exchange.payments.append(_payment(doc))
            elif doc.operation == OP_ORDER:
                status = _status(doc)
                payments = [
                    _payment(sub, order=doc)
                    for sub in doc.subordinates
                    if sub.operation in PAYMENT_OPERATIONS
                ]
                exchange.statuses.append(status)
                exchange.payments.extend(payments)
            else:
                exchange.skipped.append(
                    Problem(doc.number, doc.id, MSG_UNSUPPORTED, {"operation": doc.operation})
                )
        except _ValueProblem as error:
            exchange.problems.append(Problem(doc.number, doc.id, error.reason, error.params))
    return exchange


def parse_exchange(data, max_bytes=DEFAULT_MAX_BYTES):
    """Read a file 1C sent: :class:`Exchange` (payments, statuses, problems, skipped)."""
    documents, problems = read_documents(data, max_bytes)
    return classify(documents, problems)
