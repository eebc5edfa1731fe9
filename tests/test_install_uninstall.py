# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The addon uninstalls and installs again cleanly on a database that already holds CRM data.

Runs Odoo's own `module uninstall` / `module install` commands on a copy of the test database, so
the test database of this run is left untouched. Collected by pytest only (./dev test).
"""

import os
import shutil
import subprocess
import sys
import time
import uuid

import psycopg2
from psycopg2 import sql

import odoo
from odoo.tools import config

# Leads that are not this module's own demo data: uninstalling must leave every one of them.
FOREIGN_LEADS = (
    "SELECT count(*) FROM crm_lead WHERE id NOT IN "
    "(SELECT res_id FROM ir_model_data WHERE module = 'linear_crm' AND model = 'crm.lead')"
)


def _odoo_cmd(*args):
    odoo_bin = os.path.join(os.path.dirname(os.path.dirname(odoo.release.__file__)), "odoo-bin")
    cmd = [sys.executable, odoo_bin, *args, "-c", config["config"]]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)


def _connect(dbname):
    kwargs = {
        "dbname": dbname,
        "host": config["db_host"],
        "port": config["db_port"],
        "user": config["db_user"],
    }
    kwargs["password"] = config["db_password"]
    return psycopg2.connect(**{k: v for k, v in kwargs.items() if v})


def _query(dbname, sql):
    with _connect(dbname) as cnx, cnx.cursor() as cr:
        cr.execute(sql)
        return cr.fetchall()


def _copy_database(source, copy):
    # Not exp_duplicate_database: it would load a registry for the copy inside this test process.
    odoo.sql_db.close_db(source)
    cnx = _connect("postgres")
    try:
        cnx.autocommit = True
        with cnx.cursor() as cr:
            for attempt in range(5):
                # Our own idle connections only: autovacuum workers belong to the superuser.
                cr.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s"
                    " AND pid != pg_backend_pid() AND usename = current_user",
                    [source],
                )
                try:
                    cr.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
                    break
                except psycopg2.errors.ObjectInUse:
                    if attempt == 4:
                        raise
                    time.sleep(1)  # a background worker is still on the template; it leaves soon
    finally:
        cnx.close()
    if os.path.isdir(config.filestore(source)):
        shutil.copytree(config.filestore(source), config.filestore(copy))


def _drop_database(name):
    # Not db_service.exp_drop: when --database is given it only drops the databases listed there,
    # and returned False here, leaving every copy behind.
    cnx = _connect("postgres")
    try:
        cnx.autocommit = True
        with cnx.cursor() as cr:
            cr.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    finally:
        cnx.close()
    shutil.rmtree(config.filestore(name), ignore_errors=True)


def test_uninstall_and_reinstall_on_database_with_crm_data():
    source = config["db_name"][0] if isinstance(config["db_name"], list) else config["db_name"]
    copy = f"{source}_uninstall_{uuid.uuid4().hex[:6]}"
    _copy_database(source, copy)
    try:
        leads_before = _query(copy, FOREIGN_LEADS)[0][0]
        assert leads_before > 0, "the test database should hold CRM demo leads"

        done = _odoo_cmd("module", "uninstall", "linear_crm", "-d", copy)
        assert done.returncode == 0, done.stderr[-3000:]
        assert _query(copy, "SELECT state FROM ir_module_module WHERE name = 'linear_crm'") == [
            ("uninstalled",)
        ]
        assert _query(copy, "SELECT to_regclass('linear_process')") == [(None,)]
        assert _query(copy, "SELECT count(*) FROM ir_model_data WHERE module = 'linear_crm'") == [(0,)]
        assert _query(copy, FOREIGN_LEADS)[0][0] == leads_before

        done = _odoo_cmd("module", "install", "linear_crm", "-d", copy)
        assert done.returncode == 0, done.stderr[-3000:]
        assert _query(copy, "SELECT state FROM ir_module_module WHERE name = 'linear_crm'") == [
            ("installed",)
        ]
        assert _query(copy, FOREIGN_LEADS)[0][0] == leads_before
    finally:
        _drop_database(copy)
