# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""CommerceML export for 1C: streamed (etree.xmlfile) against the same document built in memory.

Plain Python, no database (the export reads records in the model; this measures the XML side):

    .venv/bin/python bench/bench_commerceml.py          # or: ./dev bench bench_commerceml

Writes one file holding 10,000 counterparties (the "Прочие" directory document) and 10,000 deal
documents (each with its client's requisites and bank account, two lines), first streamed with
``crm_extensions/lib/commerceml.write_exchange``, then by building the same tree in memory and
serialising it. Each variant runs in its own process, so its peak resident memory is its own;
tracemalloc sees the Python objects only (libxml2 allocates the tree in C), so both are printed.
The two files are compared byte for byte and the streamed one is validated against the schema.

Settings: BENCH_N counterparties and documents (10000), BENCH_VALIDATE=0 to skip the XSD check.
"""

import contextlib
import datetime
import hashlib
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

from lxml import etree

N = int(os.environ.get("BENCH_N", "10000"))
VALIDATE = os.environ.get("BENCH_VALIDATE", "1") != "0"
# ./dev bench runs this file in an Odoo shell, where it has no __file__ and is not __main__: the
# script's path comes in LINEAR_BENCH_SCRIPT then.
SCRIPT = Path(os.environ.get("LINEAR_BENCH_SCRIPT") or __file__).resolve()
ROOT = SCRIPT.parents[1]
NOW = datetime.datetime(2026, 11, 28, 8, 0, 0)


def load_commerceml():
    spec = importlib.util.spec_from_file_location(
        "bench_commerceml_lib", ROOT / "crm_extensions/lib/commerceml.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


cml = load_commerceml()


def counterparty(i):
    inn = f"77{i:08d}"
    return cml.Counterparty(
        id=f"lcbench-partner-{i}",
        name=f"ООО «Клиент {i}»",
        full_name=f"Общество с ограниченной ответственностью «Клиент {i}»",
        inn=inn,
        kpp="773601001",
        legal_address=f"125009, Москва, ул. Тверская, д. {i % 200 + 1}",
        address=f"Москва, ул. Ленина, д. {i % 300 + 1}",
        address_fields=(("Город", "Москва"), ("Улица", "ул. Ленина")),
        director_last="Иванов",
        director_first="Иван",
        director_middle="Иванович",
        director_position="Генеральный директор",
        accounts=(cml.BankAccount(f"40702810{i:012d}", "044525225", "ПАО Сбербанк", "30101810400000000225"),),
        phone="+74951234567",
        email=f"client{i}@example.ru",
    )


def documents(n):
    yield cml.counterparty_directory(
        (counterparty(i) for i in range(n)), doc_id="lcbench-clients", number="CP-1", date=NOW.date()
    )
    for i in range(n):
        amount = Decimal(1000 + i % 97) + Decimal("0.50")
        yield cml.Document(
            id=f"lcbench-lead-{i}",
            number=cml.deal_number(i + 1),
            date=NOW.date(),
            operation=cml.OP_ORDER,
            amount=amount * 2,
            counterparties=(counterparty(i),),
            lines=(
                cml.Line(name="Монтаж", amount=amount, price=amount, id=f"p-{i}"),
                cml.Line(name="Доставка", amount=amount, price=amount),
            ),
            time=NOW.time(),
            requisites=(("Статус заказа", "Новый"),),
        )


class _TreeFile:
    """The ``etree.xmlfile`` calls the writer makes, building one tree in memory instead."""

    def __init__(self):
        self.stack = []
        self.root = None

    @contextlib.contextmanager
    def element(self, tag, attrib=None, nsmap=None):
        if self.stack:
            node = etree.SubElement(self.stack[-1], tag, attrib or {})
        else:
            node = self.root = etree.Element(tag, attrib or {}, nsmap=nsmap)
        self.stack.append(node)
        yield
        self.stack.pop()

    def write(self, text):
        node = self.stack[-1]
        if len(node):
            node[-1].tail = (node[-1].tail or "") + text
        else:
            node.text = (node.text or "") + text


def export_in_memory(path, docs):
    xf = _TreeFile()
    writer = cml._Writer(xf, True, cml.ExportStats(), None)
    attrib = {"ВерсияСхемы": cml.SCHEMA_VERSION, "ДатаФормирования": NOW.isoformat()}
    with xf.element(writer.tag("КоммерческаяИнформация"), attrib, nsmap={None: cml.NS}):
        xf.write("\n")
        for doc in docs:
            writer.document(doc)
    with open(path, "wb") as out:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(etree.tostring(xf.root, encoding="UTF-8"))
        out.write(b"\n")
    return writer.stats


def run_variant(variant, path, measure):
    """One export; ``measure`` "time" (no tracing, which slows Python) or "memory" (tracemalloc)."""
    if measure == "memory":
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    if variant == "streamed":
        stats = cml.write_exchange(path, documents(N), generated_at=NOW)
    else:
        stats = export_in_memory(path, documents(N))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] if measure == "memory" else 0
    tracemalloc.stop()
    return {
        "variant": variant,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "tracemalloc_peak_mib": round(peak / 2**20, 2),
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "documents": stats.documents,
        "counterparties": stats.counterparties,
        "lines": stats.lines,
        "bytes": os.path.getsize(path),
        "sha1": hashlib.sha1(Path(path).read_bytes()).hexdigest(),
    }


def main():
    if len(sys.argv) == 4:  # a child process: one variant, one measure
        print(json.dumps(run_variant(*sys.argv[1:])))
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for variant in ("streamed", "in_memory"):
            path = os.path.join(tmp, f"{variant}.xml")
            row = {}
            for measure in ("time", "memory"):
                command = [sys.executable, str(SCRIPT), variant, path, measure]
                out = subprocess.run(command, capture_output=True, text=True, check=True)
                found = json.loads(out.stdout.strip().splitlines()[-1])
                if measure == "time":
                    row.update(found)
                else:
                    row["tracemalloc_peak_mib"] = found["tracemalloc_peak_mib"]
            results.append(row)
        if VALIDATE:
            started = time.perf_counter()
            errors = cml.validate(Path(tmp, "streamed.xml").read_bytes())
            print(
                f"XSD validation of the streamed file: {'valid' if not errors else errors[:3]} "
                f"({time.perf_counter() - started:.1f} s)"
            )
    print(
        f"N = {N}: {results[0]['documents']} documents, {results[0]['counterparties']} counterparties, "
        f"{results[0]['lines']} lines, {results[0]['bytes'] / 2**20:.1f} MiB"
    )
    print("| variant | wall s | CPU s | tracemalloc peak MiB | max RSS MiB |")
    print("|---|---|---|---|---|")
    for row in results:
        print(
            f"| {row['variant']} | {row['seconds']} | {row['cpu_seconds']} | {row['tracemalloc_peak_mib']} "
            f"| {row['max_rss_mib']} |"
        )
    print(f"identical output: {results[0]['sha1'] == results[1]['sha1']}")


if __name__ == "__main__" or os.environ.get("LINEAR_BENCH_SCRIPT"):
    main()
