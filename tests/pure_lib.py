# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Load a wing's pure module (``<wing>/lib/<name>.py``) by its file path, for the pure tests.

Importing it through the addon package would import the ORM; by path it runs in milliseconds.
"""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_lib(wing, name):
    # <wing>/lib is loaded as a package of its own, so its modules may import each other
    # (`from . import base`) and a test sees the very classes the module under test raises.
    package = f"linear_crm_pure_{wing}"
    if package not in sys.modules:
        lib = ROOT / wing / "lib"
        spec = importlib.util.spec_from_file_location(
            package, lib / "__init__.py", submodule_search_locations=[str(lib)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[package] = module  # dataclasses and pickling find the module by its name
        spec.loader.exec_module(module)
    return importlib.import_module(f"{package}.{name}")
