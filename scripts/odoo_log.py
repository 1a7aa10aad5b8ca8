#!/usr/bin/env python3
"""Read Odoo's test log.

  odoo_log.py filter             stdin -> stdout: only the lines worth seeing on a console
                                 (WARNING/ERROR/CRITICAL records with their tracebacks,
                                 test failure reports, the test summary).
  odoo_log.py summary LOGFILE    count the test results of a finished run; prints a report
                                 and, last, "RESULT <passed> <failed> <skipped> <run> <unexpected>"
                                 (<unexpected>: ERROR/CRITICAL records that are not test
                                 reports, plus "demo data failed to install" warnings).

Odoo 18 logs, at the end of a run with --test-enable/--test-tags and --stop-after-init
(odoo/service/server.py, text from odoo/tests/result.py OdooTestResult.__str__):

  ... INFO <db> odoo.tests.result: 0 failed, 0 error(s) of 12 tests when loading database '<db>'

(at ERROR level when a test failed, WARNING when no test ran). Skipped tests are not in
that line: each one is logged at INFO by the test's logger as "skipped <Class.method> : <reason>"
(or "skipped setUpClass (<module.Class>) : <reason>" for a whole class, which is not counted in
the "of N tests"). Each failure or error is logged at ERROR as "FAIL: <desc>" / "ERROR: <desc>"
followed by the traceback; every test start is logged at INFO as "Starting <Class.method> ...".
"""

import re
import sys

RECORD_RE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z?]+) (?P<db>\S+) (?P<logger>[\w.]+): (?P<msg>.*)$"
)
SUMMARY_RE = re.compile(
    r"^(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests when loading database"
)
START_RE = re.compile(r"^Starting (?P<desc>\S+) \.\.\.")
SKIP_RE = re.compile(r"^skipped (?P<desc>.+?) : ")
REPORT_RE = re.compile(r"^(?P<kind>FAIL|ERROR): (?P<desc>.*)$")
SUBTEST_RE = re.compile(r"^Subtest (?P<desc>\S+)")
CLASS_LEVEL_RE = re.compile(r"^(setUpClass|tearDownClass|setUpModule|tearDownModule) \(")

# ERROR records that are part of the normal reporting of test results.
EXPECTED_ERROR_RES = [
    re.compile(r"^(FAIL|ERROR): "),
    SUMMARY_RE,
    re.compile(r"^Module \S+: \d+ failures, \d+ errors of \d+ tests$"),
    re.compile(r"^Test suite halted: max failed tests already reached"),
]
# WARNING records that still mean a broken install.
BAD_WARNING_RES = [
    re.compile(r"^Module \S+ demo data failed to install"),
]
LOUD = {"WARNING", "ERROR", "CRITICAL"}


def filter_stream(stream_in, stream_out):
    """Echo WARNING+ records with their continuation lines, and the test summaries."""
    show = False
    for line in stream_in:
        m = RECORD_RE.match(line.rstrip("\n"))
        if m:
            show = m["level"] in LOUD or m["logger"] in ("odoo.tests.result", "odoo.tests.stats")
        if show:
            stream_out.write(line)
            stream_out.flush()


def test_key(logger, desc):
    sub = SUBTEST_RE.match(desc)
    if sub:
        desc = sub["desc"]
    return (logger, desc)


def summarize(path):
    summary = None
    started, bad, skipped_in_run = set(), set(), set()
    skipped_class_level = 0
    unexpected = []  # ERROR/CRITICAL records outside the test reports, with tracebacks
    current = None
    with open(path, encoding="utf-8", errors="replace") as log:
        for raw in log:
            line = raw.rstrip("\n")
            m = RECORD_RE.match(line)
            if not m:
                if current is not None:
                    current.append(line)
                continue
            current = None
            level, logger, msg = m["level"], m["logger"], m["msg"]
            if s := SUMMARY_RE.match(msg):
                summary = {k: int(v) for k, v in s.groupdict().items()}
            if s := START_RE.match(msg):
                started.add((logger, s["desc"]))
            elif s := SKIP_RE.match(msg):
                if CLASS_LEVEL_RE.match(s["desc"]):
                    skipped_class_level += 1
                else:
                    skipped_in_run.add((logger, s["desc"]))
            elif level == "ERROR" and (s := REPORT_RE.match(msg)):
                bad.add(test_key(logger, s["desc"]))
            if (level in ("ERROR", "CRITICAL") and not any(r.match(msg) for r in EXPECTED_ERROR_RES)) or (
                level == "WARNING" and any(r.match(msg) for r in BAD_WARNING_RES)
            ):
                current = [line]
                unexpected.append(current)

    if summary is None:
        print("odoo: no test summary line found (module not installed, or no test ran)")
        passed = failed = run = 0
        skipped = len(skipped_in_run) + skipped_class_level
    else:
        run = summary["run"]
        failed = summary["failed"] + summary["errors"]
        skipped = len(skipped_in_run) + skipped_class_level
        if len(started) == run:
            # Count tests, not subtest failures: a test passed if it started and neither
            # failed, errored nor was skipped.
            passed = len(started - bad - skipped_in_run)
        else:
            passed = max(0, run - failed - len(skipped_in_run))
        print(
            f"odoo: {summary['failed']} failed, {summary['errors']} error(s) of {run} tests; "
            f"{skipped} skipped; {passed} passed"
        )
    if unexpected:
        print(f"odoo: {len(unexpected)} unexpected ERROR/CRITICAL log record(s) (or failed demo data):")
        # The tracebacks were already shown by `filter`: one line each here.
        for record in unexpected:
            more = sum(1 for line in record[1:] if line.strip())
            print(f"  | {record[0]}" + (f"  [+{more} lines]" if more else ""))
    print(f"RESULT {passed} {failed} {skipped} {run} {len(unexpected)}")
    return 0


def main(argv):
    if len(argv) >= 2 and argv[1] == "filter":
        filter_stream(sys.stdin, sys.stdout)
        return 0
    if len(argv) == 3 and argv[1] == "summary":
        return summarize(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
