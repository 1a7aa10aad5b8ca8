"""Load a module of the addon's tools/ by file path.

Importing it as ``odoo.addons.social_scheme.tools`` would import the addon's root
``__init__``, which needs Odoo; the tools have no odoo import, so they load alone.
"""

import importlib.util
import pathlib

TOOLS = pathlib.Path(__file__).resolve().parents[2] / "tools"


def load(name):
    spec = importlib.util.spec_from_file_location(f"social_scheme_tools_{name}", TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
