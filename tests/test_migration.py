# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Upgrading from 19.0.1.0.0 brings every noupdate record to what a fresh install gives.

Odoo never rewrites a ``noupdate`` record (record rules, crons, presets...) on ``-u``: a changed
rule only reaches existing databases through a migration script (migrations/<version>/). This
test installs the previous version's data and upgrades, on a copy of the test database:

1. copy the test database (the one this run installed);
2. put the 19.0.1.0.0 values of the module's noupdate data records back (stored in
   migration_19_0_1_0_0.json, dumped from a database installed at that version by
   ``dump_noupdate`` below); remove the noupdate records that version did not have; set the
   module's installed version back to 19.0.1.0.0;
3. run ``odoo-bin -u linear_crm`` on the copy (migration scripts run, since the version grows);
4. every noupdate data record of the module must equal the test database's (a fresh install in
   CI), and every record rule must say what security/*.xml says today.

A BaseCase (no cursor held), so both pytest-odoo and ``odoo-bin --test-tags`` run it.
"""

import ast
import json
import re
from pathlib import Path

import psycopg2.errors
from lxml import etree
from psycopg2 import sql

from odoo.tests import BaseCase, tagged
from odoo.tools import config

from .test_install_uninstall import _connect, _copy_database, _drop_database, _odoo_cmd

ROOT = Path(__file__).resolve().parents[1]
PREVIOUS = "19.0.1.0.0"
FIXTURE = Path(__file__).resolve().parent / "migration_19_0_1_0_0.json"
SKIPPED_TYPES = {"timestamp without time zone", "date", "bytea"}
AUDIT = {"id", "create_uid", "create_date", "write_uid", "write_date", "failure_count"}  # + cron run state


def noupdate_data_xmlids(root=ROOT, manifest_text=None):
    """linear_crm.<id> of every record in a noupdate block of the manifest's data files (no demo)."""
    manifest = ast.literal_eval(manifest_text or (root / "__manifest__.py").read_text())
    xmlids = {}
    for path in manifest["data"]:
        if not path.endswith(".xml"):
            continue
        tree = etree.parse(str(root / path))
        for record in tree.iter("record"):
            blocks = [record.getparent(), record.getparent().getparent()]
            if any(b is not None and b.get("noupdate") in ("1", "True") for b in blocks):
                rid = record.get("id")
                xmlids[rid if "." in rid else f"linear_crm.{rid}"] = record
    return xmlids


def _columns(cr, table):
    """Plain value columns of a table: no audit, foreign key, date or binary columns."""
    cr.execute(
        """
        SELECT c.column_name FROM information_schema.columns c
         WHERE c.table_name = %s AND c.data_type NOT IN %s
           AND NOT EXISTS (
               SELECT 1 FROM information_schema.key_column_usage k
                 JOIN information_schema.table_constraints t ON t.constraint_name = k.constraint_name
                WHERE t.constraint_type = 'FOREIGN KEY' AND k.table_name = c.table_name
                  AND k.column_name = c.column_name)
         ORDER BY c.column_name
        """,
        [table, tuple(SKIPPED_TYPES)],
    )
    return [name for (name,) in cr.fetchall() if name not in AUDIT]


def _table(model):
    return model.replace(".", "_")


def dump_noupdate(cr, xmlids):
    """{xmlid: {"model", "values", ["rule_model", "groups"]}} of the records that exist."""
    dump = {}
    for xmlid in sorted(xmlids):
        module, name = xmlid.split(".", 1)
        cr.execute("SELECT model, res_id FROM ir_model_data WHERE module = %s AND name = %s", [module, name])
        row = cr.fetchone()
        if not row:
            continue
        model, res_id = row
        columns = _columns(cr, _table(model))
        cr.execute(
            sql.SQL("SELECT row_to_json(t) FROM {} t WHERE id = %s").format(sql.Identifier(_table(model))),
            [res_id],
        )
        found = cr.fetchone()
        if not found:
            continue
        entry = {"model": model, "values": {c: found[0].get(c) for c in columns}}
        if model == "ir.rule":
            cr.execute(
                """
                SELECT m.model, array(
                    SELECT d.module || '.' || d.name FROM rule_group_rel r
                      JOIN ir_model_data d ON d.model = 'res.groups' AND d.res_id = r.group_id
                     WHERE r.rule_group_id = ir_rule.id ORDER BY 1)
                  FROM ir_rule JOIN ir_model m ON m.id = ir_rule.model_id WHERE ir_rule.id = %s
                """,
                [res_id],
            )
            entry["rule_model"], entry["groups"] = cr.fetchone()
        dump[xmlid] = entry
    return dump


def _group_ids(cr, xmlids):
    ids = []
    for xmlid in xmlids:
        module, name = xmlid.split(".", 1)
        cr.execute("SELECT res_id FROM ir_model_data WHERE module = %s AND name = %s", [module, name])
        ids.append(cr.fetchone()[0])
    return ids


def restore_previous(cr, previous, current_xmlids):
    """Put the previous version's noupdate records back, as a database of that version has them."""
    for xmlid in sorted(set(current_xmlids) - set(previous)):  # new in this version: not there yet
        module, name = xmlid.split(".", 1)
        # A new record that this version's own data already uses (an activity type of the demo's
        # activities) stays: the copy cannot lose it, and the upgrade must leave it as installed.
        cr.execute("SAVEPOINT new_record")
        try:
            cr.execute(
                "DELETE FROM ir_model_data WHERE module = %s AND name = %s RETURNING model, res_id",
                [module, name],
            )
            for model, res_id in cr.fetchall():
                cr.execute(
                    sql.SQL("DELETE FROM {} WHERE id = %s").format(sql.Identifier(_table(model))), [res_id]
                )
        except psycopg2.errors.ForeignKeyViolation:
            cr.execute("ROLLBACK TO SAVEPOINT new_record")
        else:
            cr.execute("RELEASE SAVEPOINT new_record")
    for xmlid, entry in previous.items():
        module, name = xmlid.split(".", 1)
        table, values = _table(entry["model"]), entry["values"]
        cr.execute("SELECT res_id FROM ir_model_data WHERE module = %s AND name = %s", [module, name])
        row = cr.fetchone()
        if row:
            res_id = row[0]
        elif entry["model"] == "ir.rule":  # removed by this version: a rule of the old one stays
            cr.execute("SELECT id FROM ir_model WHERE model = %s", [entry["rule_model"]])
            cr.execute(
                "INSERT INTO ir_rule (model_id, name) VALUES (%s, %s) RETURNING id", [cr.fetchone()[0], name]
            )
            res_id = cr.fetchone()[0]
            cr.execute(
                "INSERT INTO ir_model_data (module, name, model, res_id, noupdate)"
                " VALUES (%s, %s, %s, %s, TRUE)",
                [module, name, "ir.rule", res_id],
            )
        else:
            continue
        columns = [c for c in values if c in _columns(cr, table)]
        if columns:
            assignments = sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in columns)
            params = [
                json.dumps(values[c]) if isinstance(values[c], dict | list) else values[c] for c in columns
            ]
            query = sql.SQL("UPDATE {} SET {} WHERE id = %s").format(sql.Identifier(table), assignments)
            cr.execute(query, [*params, res_id])
        if entry["model"] == "ir.rule":
            cr.execute("DELETE FROM rule_group_rel WHERE rule_group_id = %s", [res_id])
            for group_id in _group_ids(cr, entry["groups"]):
                cr.execute(
                    "INSERT INTO rule_group_rel (rule_group_id, group_id) VALUES (%s, %s)", [res_id, group_id]
                )
    cr.execute("UPDATE ir_module_module SET latest_version = %s WHERE name = 'linear_crm'", [PREVIOUS])


def _squash(text):
    return re.sub(r"\s+", "", text or "")


def rules_as_declared(records):
    """domain_force, permissions and groups of each ir.rule record, as its XML declares them."""
    declared = {}
    for xmlid, node in records.items():
        if node.get("model") != "ir.rule":
            continue
        fields = {f.get("name"): f for f in node.iter("field")}
        perms = {
            f"perm_{op}": fields[f"perm_{op}"].get("eval", "True") == "True"
            if f"perm_{op}" in fields
            else True
            for op in ("read", "write", "create", "unlink")
        }
        groups = (
            re.findall(r"ref\('([^']+)'\)", fields["groups"].get("eval", "")) if "groups" in fields else []
        )
        declared[xmlid] = {
            "domain_force": _squash(fields["domain_force"].text) if "domain_force" in fields else "",
            **perms,
            "groups": sorted(g if "." in g else f"linear_crm.{g}" for g in groups),
        }
    return declared


@tagged("post_install", "-at_install")
class TestMigrationFromPreviousVersion(BaseCase):
    def test_upgrade_from_19_0_1_0_0_brings_noupdate_records_up_to_date(self):
        source = config["db_name"][0] if isinstance(config["db_name"], list) else config["db_name"]
        copy = f"{source}_migration"
        _drop_database(copy)  # left over by an interrupted run
        records = noupdate_data_xmlids()
        previous = json.loads(FIXTURE.read_text())
        _copy_database(source, copy)
        try:
            with _connect(copy) as cnx, cnx.cursor() as cr:
                restore_previous(cr, previous, records)
            done = _odoo_cmd("-d", copy, "-u", "linear_crm", "--stop-after-init", "--no-http")
            self.assertEqual(done.returncode, 0, done.stderr[-3000:])
            with _connect(copy) as cnx, cnx.cursor() as cr:
                upgraded = dump_noupdate(cr, records)
                cr.execute("SELECT latest_version FROM ir_module_module WHERE name = 'linear_crm'")
                self.assertNotEqual(cr.fetchone()[0], PREVIOUS, "the module was not upgraded")
            with _connect(source) as cnx, cnx.cursor() as cr:
                fresh = dump_noupdate(cr, records)
        finally:
            _drop_database(copy)

        self.assertEqual(sorted(upgraded), sorted(fresh), "noupdate records missing after the upgrade")
        differences = [
            f"{xmlid}: {column} is {upgraded[xmlid]['values'].get(column)!r} after the upgrade, "
            f"{value!r} on a fresh install"
            for xmlid, entry in fresh.items()
            for column, value in entry["values"].items()
            if upgraded[xmlid]["values"].get(column) != value
        ] + [
            f"{xmlid}: groups {upgraded[xmlid]['groups']} after the upgrade, {entry['groups']} fresh"
            for xmlid, entry in fresh.items()
            if entry["model"] == "ir.rule" and upgraded[xmlid]["groups"] != entry["groups"]
        ]
        # the test database may itself be an upgraded one (LINEAR_REUSE_DB): rules are also
        # checked against their XML, which a fresh install would load
        for xmlid, declared in rules_as_declared(records).items():
            values = upgraded[xmlid]["values"]
            if _squash(values["domain_force"]) != declared["domain_force"]:
                differences.append(f"{xmlid}: domain_force is not what security/*.xml declares")
            differences += [
                f"{xmlid}: {perm} is {values[perm]}, declared {declared[perm]}"
                for perm in ("perm_read", "perm_write", "perm_create", "perm_unlink")
                if values[perm] != declared[perm]
            ]
            if upgraded[xmlid]["groups"] != declared["groups"]:
                differences.append(
                    f"{xmlid}: groups {upgraded[xmlid]['groups']}, declared {declared['groups']}"
                )
        self.assertFalse(differences, "after upgrading from 19.0.1.0.0:\n" + "\n".join(differences))
