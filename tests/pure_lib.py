# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Load a wing's pure module (``<wing>/lib/<name>.py``) by its file path, for the pure tests.

Importing it through the addon package would import the ORM; by path it runs in milliseconds.
"""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_lib(wing, name):
    module_name = f"linear_crm_pure_{wing}_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, ROOT / wing / "lib" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pickling find the module by its name
    spec.loader.exec_module(module)
    return module
