#!/usr/bin/env python3
"""Print "PASSED FAILED ERRORS SKIPPED" from a pytest --junitxml report."""

import sys
import xml.etree.ElementTree as ET


def main(path: str) -> int:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    total = failed = errors = skipped = 0
    for suite in suites:
        total += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0))
        errors += int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    passed = max(0, total - failed - errors - skipped)
    print(passed, failed, errors, skipped)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
