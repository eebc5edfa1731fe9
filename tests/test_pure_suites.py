# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Plain pytest test modules under Odoo's own runner, as OCA CI runs a module.

The pure tests (tests/test_*_pure.py) and a few others (tests/test_install_uninstall.py) are plain
pytest functions, fast under pytest (`./dev test -k test_x_pure`).
Odoo's runner only runs unittest classes, so this module gives each such module one class and
each pytest function one method, its parametrize cases as subtests and its module fixtures (plain
or yield) called once per class. pytest's own helpers (approx, raises) work without a pytest
session. Under pytest the pure classes run the same functions a second time (milliseconds); the
slow plain modules are bridged only when pytest is not the runner.
"""

import importlib
import inspect
import os
import pathlib
import unittest

from _pytest.mark.structures import ParameterSet

from odoo.tests import BaseCase, tagged

TESTS_DIR = pathlib.Path(__file__).resolve().parent


def plain_module_names():
    """Test modules made of plain functions: pure ones always, the others unless pytest runs."""
    names = sorted(path.stem for path in TESTS_DIR.glob("test_*_pure.py"))
    if "PYTEST_VERSION" in os.environ:  # set by pytest itself: it runs the slow ones directly
        return names
    for path in sorted(TESTS_DIR.glob("test_*.py")):
        if path.stem in names or path.stem == __name__.rsplit(".", 1)[-1]:
            continue
        module = importlib.import_module(f"{__package__}.{path.stem}")
        members = vars(module).values()
        has_cases = any(
            isinstance(m, type) and issubclass(m, unittest.TestCase) and m.__module__ == module.__name__
            for m in members
        )
        if not has_cases and _test_functions(module):
            names.append(path.stem)
    return names


def _test_functions(module):
    return {
        name: func
        for name, func in vars(module).items()
        if name.startswith("test_") and inspect.isfunction(func) and func.__module__ == module.__name__
    }


def parametrize_cases(func):
    """Every combination of the function's parametrize marks, as keyword dicts."""
    cases = [{}]
    for mark in getattr(func, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names, values = mark.args[0], mark.args[1]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        expanded = []
        for case in cases:
            for value in values:
                if isinstance(value, ParameterSet):
                    value = value.values if len(names) > 1 else value.values[0]
                row = value if len(names) > 1 else (value,)
                expanded.append({**case, **dict(zip(names, row, strict=True))})
        cases = expanded
    return cases


class PureModuleCase(BaseCase):
    """Runs the pytest functions of ``pure_module`` (set by the subclasses below)."""

    pure_module = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._fixture_values, cls._fixture_teardowns = {}, []

    @classmethod
    def tearDownClass(cls):
        for gen in reversed(cls._fixture_teardowns):
            next(gen, None)
        super().tearDownClass()

    def fixture(self, name):
        # Module-level fixtures only: the pure tests use no builtin ones (tmp_path, monkeypatch).
        if name not in self._fixture_values:
            definition = getattr(self.pure_module, name, None)
            self.assertIsNotNone(definition, f"fixture {name!r} not found in {self.pure_module.__name__}")
            value = definition._get_wrapped_function()()
            if inspect.isgenerator(value):
                gen, value = value, next(value)
                self._fixture_teardowns.append(gen)
            self._fixture_values[name] = value
        return self._fixture_values[name]

    def run_pytest_function(self, func):
        for case in parametrize_cases(func):
            kwargs = dict(case)
            for name in inspect.signature(func).parameters:
                if name not in kwargs:
                    kwargs[name] = self.fixture(name)
            with self.subTest(**{k: repr(v)[:60] for k, v in case.items()}):
                func(**kwargs)


def _make_class(module_name):
    module = importlib.import_module(f"{__package__}.{module_name}")
    functions = _test_functions(module)
    attrs = {"pure_module": module, "__module__": __name__, "__qualname__": module_name}
    for name, func in functions.items():
        attrs[name] = lambda self, func=func: self.run_pytest_function(func)
    class_name = "Test" + "".join(part.title() for part in module_name.split("_")[1:])
    return tagged("post_install", "-at_install")(type(class_name, (PureModuleCase,), attrs))


for _name in plain_module_names():
    _cls = _make_class(_name)
    globals()[_cls.__name__] = _cls
del _name, _cls
