#!/usr/bin/env python3
"""Well-formedness of every *.xml file under a folder (lxml, as Odoo parses them).

Usage: check_xml.py REPO_ROOT
Prints one line per broken file and a count; exits 1 when any file is broken.
"""

import os
import sys
from pathlib import Path

from lxml import etree

SKIP_DIRS = {".git", "__pycache__", ".ruff_cache", ".pytest_cache", "node_modules"}


def main(root: Path) -> int:
    checked = broken = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            if not name.endswith(".xml"):
                continue
            path = Path(dirpath, name)
            checked += 1
            try:
                etree.parse(str(path))
            except etree.XMLSyntaxError as exc:
                broken += 1
                print(f"{path.relative_to(root)}: {exc}")
    print(f"{checked} XML file(s) checked, {broken} not well-formed")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
