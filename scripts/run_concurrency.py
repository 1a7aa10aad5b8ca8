#!/usr/bin/env python3
"""Run the addon's concurrency tests against a real, committed database.

Usage: run_concurrency.py -c ODOO_CONF -d DATABASE [-k SUBSTRING] [--log-level warn]

Odoo is used as a library: the config is parsed, the registry of DATABASE is loaded
(the module must already be installed and committed), then every
tests/concurrency/test_*.py file of this checkout is imported by file path (they are not
part of the Odoo test package) and each top-level function named test_* is called with
one argument, the registry. The functions open their own cursors
(`with registry.cursor() as cr:`), start threads, commit, etc.

Prints "PASS name" / "FAIL name" + traceback per test, then
"concurrency: N passed, N failed"; exits 1 when a test failed.
"""

import argparse
import importlib.util
import inspect
import os
import sys
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEST_DIR = REPO / "tests" / "concurrency"


def load_odoo(conf, db, log_level):
    odoo_src = os.environ.get("ODOO_SRC")
    if odoo_src and odoo_src not in sys.path:
        sys.path.insert(0, odoo_src)
    import odoo  # noqa: PLC0415 - needs ODOO_SRC on sys.path first
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--no-http", f"--log-level={log_level}"])
    odoo.netsvc.init_logger()
    odoo.service.server.load_server_wide_modules()
    return Registry(db)


def collect(pattern):
    tests = []
    for path in sorted(TEST_DIR.glob("test_*.py")):
        name = f"social_scheme_concurrency.{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception:  # noqa: BLE001 - a broken file is a failed test, not a crash
            tests.append((f"{path.stem} (import)", None, traceback.format_exc()))
            continue
        for func_name, func in vars(module).items():
            if (
                func_name.startswith("test_")
                and inspect.isfunction(func)
                and func.__module__ == name
                and (not pattern or pattern in f"{path.stem}.{func_name}")
            ):
                tests.append((f"{path.stem}.{func_name}", func, None))
    return tests


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-k", dest="pattern", default="", help="only tests whose module.function contains this")
    parser.add_argument("--log-level", default="warn", help="Odoo's --log-level (default: warn)")
    args = parser.parse_args()

    tests = collect(args.pattern)
    passed = failed = 0
    if tests:
        registry = load_odoo(args.config, args.database, args.log_level)
        for name, func, import_error in tests:
            if import_error:
                failed += 1
                print(f"FAIL {name}\n{import_error}", flush=True)
                continue
            start = time.monotonic()
            try:
                func(registry)
            except Exception:  # noqa: BLE001 - report and go on with the next test
                failed += 1
                print(f"FAIL {name} ({time.monotonic() - start:.1f}s)\n{traceback.format_exc()}", flush=True)
            else:
                passed += 1
                print(f"PASS {name} ({time.monotonic() - start:.1f}s)", flush=True)
    print(f"concurrency: {passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
