"""Load a module of the addon's tools/ by file path.

Importing it as ``odoo.addons.social_scheme.tools`` would import the addon's root
``__init__``, which needs Odoo; the tools have no odoo import, so they load alone,
as the modules of a stand-alone package (a tool may import its siblings).
"""

import importlib
import importlib.util
import pathlib
import sys

TOOLS = pathlib.Path(__file__).resolve().parents[2] / "tools"
PACKAGE = "social_scheme_tools"


def _package():
    if PACKAGE not in sys.modules:
        spec = importlib.util.spec_from_file_location(PACKAGE, TOOLS / "__init__.py",
                                                      submodule_search_locations=[str(TOOLS)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = module
        spec.loader.exec_module(module)
    return sys.modules[PACKAGE]


def load(name):
    _package()
    return importlib.import_module(f"{PACKAGE}.{name}")
