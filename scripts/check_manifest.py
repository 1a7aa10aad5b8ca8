#!/usr/bin/env python3
"""Sanity checks of the addon's __manifest__.py (no Odoo import needed).

Usage: check_manifest.py REPO_ROOT
Prints one line per problem and exits 1 when there is any.
"""

import ast
import re
import sys
from pathlib import Path

DATA_DIRS = ("views", "security", "data", "demo", "reports", "wizards")
EXPECTED_DEPENDS = ["project", "mail", "survey"]
VERSION_RE = re.compile(r"^18\.0\.\d+\.\d+\.\d+$")


def main(root: Path) -> int:
    problems = []
    try:
        manifest = ast.literal_eval((root / "__manifest__.py").read_text(encoding="utf-8"))
    except (OSError, ValueError, SyntaxError) as exc:
        print(f"__manifest__.py: cannot be read as a literal dict: {exc}")
        return 1
    if not isinstance(manifest, dict):
        print("__manifest__.py: not a dict")
        return 1

    version = manifest.get("version", "")
    if not VERSION_RE.match(str(version)):
        problems.append(f"version {version!r} does not match {VERSION_RE.pattern}")
    if manifest.get("license") != "LGPL-3":
        problems.append(f"license is {manifest.get('license')!r}, expected 'LGPL-3'")
    depends = manifest.get("depends", [])
    if sorted(depends) != sorted(EXPECTED_DEPENDS) or len(depends) != len(set(depends)):
        problems.append(f"depends is {depends!r}, expected exactly {EXPECTED_DEPENDS!r}")

    listed = set()
    for key in ("data", "demo"):
        for path in manifest.get(key, []):
            if path in listed:
                problems.append(f"{key}: {path} listed twice")
            listed.add(path)
            if not (root / path).is_file():
                problems.append(f"{key}: {path} does not exist")

    for folder in DATA_DIRS:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix in (".xml", ".csv") and path.is_file():
                rel = path.relative_to(root).as_posix()
                if rel not in listed:
                    problems.append(f"{rel} is not listed in the manifest's data or demo")

    for problem in problems:
        print(f"__manifest__.py: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
