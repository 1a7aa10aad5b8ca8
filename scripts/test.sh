#!/usr/bin/env bash
# The test pipeline behind `make test` (and `make lint`, `make unit`, `make odoo-test`).
#
#   test.sh [all|lint|unit|odoo|concurrency ...]    stages to run (default: all)
#
# Every check or test counts as one passed/failed item; the last line printed is
# "N passed, N failed" (", N skipped" when something was skipped), and the exit status
# is non-zero when anything failed or when no pytest / Odoo test ran.
#
# Environment:
#   TAGS=...     Odoo --test-tags for the odoo stage (default /social_scheme)
#   REUSE_DB=1   odoo stage on a kept database (${ODOO_TEST_DB:-${MODULE}_odoo_test}): -u instead of a
#                fresh install, for fast iteration (`make odoo-test`)
#   KEEP_DB=1    keep the test databases at the end
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TAGS="${TAGS:-/$MODULE}"
TEST_HTTP_PORT="${TEST_HTTP_PORT:-18069}"  # never collide with a `make run` server
export PYTHONDONTWRITEBYTECODE=1 RUFF_CACHE_DIR="$CACHE/ruff"

stages=("$@")
[ "${#stages[@]}" = 0 ] && stages=(all)
want() {
    local s
    for s in "${stages[@]}"; do [ "$s" = all ] || [ "$s" = "$1" ] && return 0; done
    return 1
}

TOTAL_PASSED=0 TOTAL_FAILED=0 TOTAL_SKIPPED=0
STAGE_LINES=()
record() {  # record STAGE PASSED FAILED SKIPPED
    TOTAL_PASSED=$((TOTAL_PASSED + $2))
    TOTAL_FAILED=$((TOTAL_FAILED + $3))
    TOTAL_SKIPPED=$((TOTAL_SKIPPED + $4))
    STAGE_LINES+=("$(printf '  %-12s %4d passed, %4d failed, %4d skipped' "$1:" "$2" "$3" "$4")")
}
banner() { printf '\n======== %s ========\n' "$*"; }

TMP="$(mktemp -d)"
CREATED_DBS=()
cleanup() {
    local db
    if [ "${KEEP_DB:-0}" != 1 ]; then
        for db in "${CREATED_DBS[@]}"; do drop_db "$db" 2>/dev/null || true; done
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

# ---------------------------------------------------------------- static checks
stage_lint() {
    banner "static checks"
    local p=0 f=0 rc
    check() {  # check NAME CMD... : one counted item
        local name="$1"; shift
        printf -- '--- %s\n' "$name"
        rc=0
        "$@" || rc=$?
        if [ "$rc" = 0 ]; then
            echo "ok: $name"; p=$((p + 1))
        else
            echo "FAILED: $name (exit $rc)"; f=$((f + 1))
        fi
    }
    check "ruff" "$VENV/bin/ruff" check --no-cache "$REPO"
    check "xml well-formed" "$PY" "$REPO/scripts/check_xml.py" "$REPO"
    check "manifest" "$PY" "$REPO/scripts/check_manifest.py" "$REPO"
    # pylint through the per-checkout symlink: pylint-odoo reads the module's name from
    # its folder, and the checkout folder is rarely named social_scheme.
    check "pylint-odoo" "$VENV/bin/pylint" --rcfile="$REPO/.pylintrc" "$ADDONS_DIR/$MODULE"
    if [ -f "$REPO/i18n/vi.po" ]; then
        if command -v msgfmt >/dev/null; then
            check "msgfmt i18n/vi.po" msgfmt --check --statistics -o /dev/null "$REPO/i18n/vi.po"
            # every term translated: msgfmt mentions untranslated or fuzzy messages otherwise
            check "vi.po complete" bash -c '! msgfmt --statistics -o /dev/null "$1" 2>&1 | grep -E "untranslated|fuzzy"' _ "$REPO/i18n/vi.po"
            # the template must list every term of the code: a stale .pot hides new strings
            check "vi.po covers the template" msgcmp "$REPO/i18n/vi.po" "$REPO/i18n/social_scheme.pot"
        else
            echo "FAILED: msgfmt not found (install Debian's gettext)"; f=$((f + 1))
        fi
    fi
    record static "$p" "$f" 0
}

# ---------------------------------------------------------------- pytest
stage_unit() {
    banner "pytest tests/unit"
    local junit="$TMP/junit.xml" rc=0 p f e s
    if [ ! -d "$REPO/tests/unit" ]; then
        echo "FAILED: no tests/unit folder"; record pytest 0 1 0; return
    fi
    # --rootdir=tests/unit and no root conftest: the addon's root __init__ imports odoo.
    (cd "$REPO" && "$PY" -m pytest tests/unit --rootdir=tests/unit -q -p no:cacheprovider \
        --junitxml="$junit" </dev/null) || rc=$?
    if [ ! -s "$junit" ]; then
        echo "FAILED: pytest wrote no report (exit $rc)"; record pytest 0 1 0; return
    fi
    read -r p f e s < <("$PY" "$REPO/scripts/junit_counts.py" "$junit") || true
    p=${p:-0} f=${f:-1} e=${e:-0} s=${s:-0}
    f=$((f + e))
    if [ $((p + f)) = 0 ]; then
        echo "FAILED: no pytest test ran"; f=1
    elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        echo "FAILED: pytest exited $rc"; f=1
    fi
    record pytest "$p" "$f" "$s"
}

# ---------------------------------------------------------------- Odoo tests
module_state() {  # module_state DB -> installed / to install / ... / (empty)
    psql_q -d "$1" -c "SELECT state FROM ir_module_module WHERE name = '$MODULE'" 2>/dev/null || true
}

stage_odoo() {
    local db mode log rc=0 state p f s run unexpected extra=0
    if [ "${REUSE_DB:-0}" = 1 ]; then
        db="${ODOO_TEST_DB:-${MODULE}_odoo_test}"
        if [ "$(module_state "$db")" = installed ]; then mode=(-u "$MODULE"); else drop_db "$db"; mode=(-i "$MODULE"); fi
    else
        db="${MODULE}_test_$$"
        drop_db "$db"
        CREATED_DBS+=("$db")
        mode=(-i "$MODULE")
    fi
    log="$LOG_DIR/odoo-test-$db.log"
    # Logs are named after the (per-run) databases: keep only the 30 newest.
    find "$LOG_DIR" -maxdepth 1 -name 'odoo-*.log' -printf '%T@ %p\n' | sort -rn | tail -n +31 \
        | cut -d' ' -f2- | xargs -r rm -f
    banner "Odoo tests: ${mode[*]} --test-tags $TAGS on $db"
    echo "full log: $log"
    # Console: only WARNING/ERROR/CRITICAL records, test failure reports and the summary.
    # Demo data is loaded (Odoo 18's default, as in production-like demo databases).
    # (odoo-bin's exit code goes through a file: it is the first command of a pipeline)
    {
        rc=0
        odoo_bin -d "$db" "${mode[@]}" --test-tags "$TAGS" --stop-after-init --log-level=test \
            --http-port="$TEST_HTTP_PORT" --workers=0 --max-cron-threads=0 </dev/null 2>&1 || rc=$?
        echo "$rc" >"$TMP/odoo_rc"
    } | tee "$log" | "$PY" "$REPO/scripts/odoo_log.py" filter || true
    rc="$(cat "$TMP/odoo_rc")"

    p=0 f=0 s=0 run=0 unexpected=0
    "$PY" "$REPO/scripts/odoo_log.py" summary "$log" >"$TMP/odoo_summary" || true
    grep -v '^RESULT ' "$TMP/odoo_summary" || true
    read -r _ p f s run unexpected < <(grep '^RESULT ' "$TMP/odoo_summary") \
        || { echo "FAILED: could not read the Odoo log"; extra=1; }
    p=${p:-0} f=${f:-0} s=${s:-0} run=${run:-0} unexpected=${unexpected:-0}
    state="$(module_state "$db")"
    if [ "$state" != installed ]; then
        echo "FAILED: module $MODULE is not installed in $db (state: '${state:-none}')"; extra=$((extra + 1))
    fi
    if [ "$run" = 0 ]; then
        echo "FAILED: no Odoo test ran"; extra=$((extra + 1))
    fi
    if [ "$unexpected" != 0 ]; then
        echo "FAILED: $unexpected unexpected ERROR/CRITICAL log record(s) or failed demo data (listed above)"; extra=$((extra + 1))
    fi
    if [ "$rc" != 0 ] && [ "$f" = 0 ] && [ "$extra" = 0 ]; then
        echo "FAILED: odoo-bin exited $rc"; extra=$((extra + 1))
    fi
    if [ "$s" != 0 ]; then echo "odoo: $s test(s) skipped (see 'skipped' lines in $log)"; fi
    record odoo "$p" $((f + extra)) "$s"
}

# ---------------------------------------------------------------- i18n
# The committed template must hold every term the code has now: export a fresh one from
# the installed database and compare (a forgotten export would hide untranslated UI).
check_pot_current() {
    local db="$1" fresh="$TMP/fresh.pot"
    banner "i18n: committed social_scheme.pot against a fresh export"
    if odoo_bin -d "$db" --i18n-export="$fresh" --modules="$MODULE" --no-http </dev/null >"$TMP/pot.log" 2>&1 \
        && msgcmp --use-untranslated "$REPO/i18n/social_scheme.pot" "$fresh"; then
        echo "ok: i18n/social_scheme.pot is current"
        record i18n 1 0 0
    else
        tail -n 5 "$TMP/pot.log"
        echo "FAILED: i18n/social_scheme.pot misses terms of the code: re-export it and translate vi.po"
        record i18n 0 1 0
    fi
}

# ---------------------------------------------------------------- concurrency
stage_concurrency() {
    banner "concurrency tests (tests/concurrency, committed database)"
    local db="${MODULE}_conc_$$" log rc=0 p f line
    if ! compgen -G "$REPO/tests/concurrency/test_*.py" >/dev/null; then
        echo "no tests/concurrency/test_*.py yet"
        record concurrency 0 0 0; return
    fi
    log="$LOG_DIR/odoo-install-$db.log"
    drop_db "$db"
    CREATED_DBS+=("$db")
    echo "installing $MODULE in $db (log: $log)"
    odoo_bin -d "$db" -i "$MODULE" --stop-after-init --no-http --workers=0 --max-cron-threads=0 \
        </dev/null >"$log" 2>&1 || rc=$?
    if [ "$rc" != 0 ] || [ "$(module_state "$db")" != installed ]; then
        grep -E ' (ERROR|CRITICAL) ' "$log" | tail -n 20 || true
        echo "FAILED: could not install $MODULE in $db (exit $rc, log $log)"
        record concurrency 0 1 0; return
    fi
    check_pot_current "$db"
    rc=0
    ODOO_SRC="$ODOO_SRC" "$PY" "$REPO/scripts/run_concurrency.py" -c "$CONF" -d "$db" </dev/null 2>&1 \
        | tee "$TMP/concurrency.out" || rc=$?
    line="$(grep -E '^concurrency: [0-9]+ passed, [0-9]+ failed$' "$TMP/concurrency.out" | tail -n1 || true)"
    if [ -z "$line" ]; then
        echo "FAILED: run_concurrency.py ended without its summary line"
        record concurrency 0 1 0; return
    fi
    p="$(sed -E 's/^concurrency: ([0-9]+) passed.*/\1/' <<<"$line")"
    f="$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")"
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then echo "FAILED: run_concurrency.py exited $rc"; f=1; fi
    record concurrency "$p" "$f" 0
}

# ---------------------------------------------------------------- main
want lint && stage_lint
want unit && stage_unit
want odoo && stage_odoo
want concurrency && stage_concurrency

banner "summary"
printf '%s\n' "${STAGE_LINES[@]}"
if [ "$TOTAL_SKIPPED" != 0 ]; then
    echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed, $TOTAL_SKIPPED skipped"
else
    echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
fi
[ "$TOTAL_FAILED" = 0 ]
