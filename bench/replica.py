"""The replica proof of `make bench`: a streaming standby of the cluster, Odoo reading from it.

``pg_basebackup -R`` (as the cluster's owner) copies the running cluster into a folder
beside it and writes the standby settings; the standby runs on REPLICA_PORT with its own
socket folder. Odoo then runs with ``db_replica_host``/``db_replica_port`` (bench/server.py:
odoo-bin with probes that log ``pg_is_in_recovery()`` from inside the export and the
posting). Proven and measured: the reviewer's export runs on the standby; an officer's
posting runs on the primary; once the standby has replayed the primary's WAL, the export
it renders equals, cell for cell, the one rendered on the primary; with the standby
stopped, what the reviewer gets and how long it takes. Everything is removed afterwards.
"""

import io
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from load import Client, start_server, stop_server

PASSWORD = "bench_load"


def _as_pg(args, **kwargs):
    if os.environ.get("IS_ROOT") == "1":
        args = ["runuser", "-u", os.environ.get("PG_OS_USER", "postgres"), "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


def _psql(socket, port, db, sql):
    bindir = os.environ["PG_BIN_DIR"]
    out = subprocess.run([f"{bindir}/psql", "-X", "-At", "-h", socket, "-p", str(port), "-d", db, "-c", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


class Standby:
    def __init__(self, db):
        self.bindir = os.environ["PG_BIN_DIR"]
        self.primary_socket, self.primary_port = os.environ["PG_SOCKET_DIR"], int(os.environ.get("PGPORT", 5433))
        self.port = int(os.environ.get("REPLICA_PORT", 5434))
        root = Path(os.environ.get("PG_ROOT", "/tmp"))
        self.data = root / f"replica-{db}"
        self.log = root / f"replica-{db}.log"
        self.socket = f"/tmp/{db}_replica_pg"
        self.db = db

    def create(self):
        self.remove()
        Path(self.socket).mkdir(mode=0o755, exist_ok=True)
        if os.environ.get("IS_ROOT") == "1":
            shutil.chown(self.socket, os.environ.get("PG_OS_USER", "postgres"))
        start = time.perf_counter()
        _as_pg([f"{self.bindir}/pg_basebackup", "-h", self.primary_socket, "-p", str(self.primary_port),
                "-D", str(self.data), "-R", "-X", "stream", "-c", "fast"])
        copied = time.perf_counter() - start
        self.start()
        return copied

    def start(self):
        _as_pg([f"{self.bindir}/pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "120",
                "-o", f"-p {self.port} -k {self.socket} -c hot_standby=on", "start"])

    def stop(self):
        if (self.data / "postmaster.pid").exists():
            _as_pg([f"{self.bindir}/pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def remove(self):
        if self.data.exists():
            self.stop()
            _as_pg(["rm", "-rf", str(self.data)])
        shutil.rmtree(self.socket, ignore_errors=True)

    def in_recovery(self):
        return _psql(self.socket, self.port, self.db, "SELECT pg_is_in_recovery()") == "t"

    def catch_up(self, timeout=120):
        """Wait until the standby has replayed the primary's current WAL position; the lag in seconds."""
        target = _psql(self.primary_socket, self.primary_port, self.db, "SELECT pg_current_wal_lsn()")
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            done = _psql(self.socket, self.port, self.db,
                         f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
            if done == "t":
                return time.perf_counter() - start
            time.sleep(0.05)
        raise RuntimeError("the standby did not catch up")


def _cells(data):
    """Every sheet's cell values, the 'printed on' row (4) left out: it carries the time."""
    from openpyxl import load_workbook  # noqa: PLC0415

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return {sheet.title: [row for index, row in enumerate(sheet.iter_rows(values_only=True)) if index != 3]
            for sheet in workbook.worksheets}


def _total_spent(cells):
    for row in cells[next(iter(cells))]:
        if row and row[0] in ("Total", "Tổng cộng", "Tổng"):
            return row[5]
    return None


def _probes(log_path, start):
    with log_path.open(errors="replace") as log:
        log.seek(start)
        text = log.read()
    return re.findall(r"bench probe: (.+?) ran with pg_is_in_recovery\(\)=(\w+) on port (\d+)", text), text


def bench_replica(conf, db, registry):
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    standby = Standby(db)
    lines, result = [], {}
    port = int(os.environ.get("BENCH_HTTP_PORT", 8169))
    log_path = Path(os.environ.get("LOG_DIR", "/tmp")) / f"bench-replica-{db}.log"
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        schemes = env["social.scheme"].search([("code", "like", "BENCH-%")], limit=20, order="code")
        line = schemes[0].budget_line_ids[0]
        for login in ("bench_reviewer", "bench_officer"):
            env["res.users"].search([("login", "=", login)]).password = PASSWORD
        cr.commit()
    export_path = "/social_scheme/export/budget_execution?scheme_ids=" + ",".join(map(str, schemes.ids))
    copied = standby.create()
    size = _psql(standby.primary_socket, standby.primary_port, "postgres",
                 "SELECT pg_size_pretty(sum(pg_database_size(datname))) FROM pg_database")
    result.update({"basebackup_seconds": copied, "cluster_size": size, "replica_port": standby.port,
                   "standby_in_recovery": standby.in_recovery()})
    lines.append(f"pg_basebackup -R of the cluster ({size}) in {copied:.1f} s; standby on port {standby.port}, "
                 f"pg_is_in_recovery() = {result['standby_in_recovery']}")
    process = None
    try:
        process, url = start_server(conf, db, port, 2, log_path,
                                    extra=[f"--db_replica_host={standby.socket}", f"--db_replica_port={standby.port}"])
        reviewer = Client(url, db, "bench_reviewer", PASSWORD)
        officer = Client(url, db, "bench_officer", PASSWORD)
        start_log = log_path.stat().st_size
        before = _cells(reviewer.get(export_path))
        payment = officer.call("social.scheme.disbursement", "create", {
            "budget_line_id": line.id, "amount": 7_000_000, "date": "2024-06-03", "kind": "payment",
            "document_number": "REPLICA-PROOF"})
        officer.call("social.scheme.disbursement", "action_post", [payment])
        lag = standby.catch_up()
        t0 = time.perf_counter()
        after_data = reviewer.get(export_path)
        t_replica = time.perf_counter() - t0
        after = _cells(after_data)
        probes, _text = _probes(log_path, start_log)
        result["probes"] = [{"what": what, "in_recovery": flag == "True", "port": int(p)} for what, flag, p in probes]
        exports = [p for p in result["probes"] if p["what"].startswith("export")]
        postings = [p for p in result["probes"] if p["what"] == "posting"]
        result["export_on_replica"] = bool(exports) and all(p["in_recovery"] and p["port"] == standby.port
                                                            for p in exports)
        result["posting_on_primary"] = bool(postings) and all(not p["in_recovery"] for p in postings)
        lines.append(f"reviewer's export: {len(exports)} renders, pg_is_in_recovery() inside = "
                     f"{[p['in_recovery'] for p in exports]}, port {sorted({p['port'] for p in exports})}")
        lines.append(f"officer's posting: pg_is_in_recovery() inside = {[p['in_recovery'] for p in postings]}, "
                     f"port {sorted({p['port'] for p in postings})}")
        # the same export rendered on the primary, in this process
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            reviewer_env = env(user=env["res.users"].search([("login", "=", "bench_reviewer")]).id)
            primary = _cells(reviewer_env["social.scheme.report.budget.execution"].render(
                {"scheme_ids": schemes.ids}))
        result["replica_lag_seconds"] = lag
        result["spent_before"], result["spent_after"] = _total_spent(before), _total_spent(after)
        result["equal_to_primary"] = after == primary
        lines.append(f"standby caught up {lag * 1000:.0f} ms after the posting; total spent of the 20 schemes "
                     f"{result['spent_before']:,.0f} → {result['spent_after']:,.0f} ₫ on the replica; the export "
                     f"equals the primary's cell for cell: {result['equal_to_primary']}")
        result["export_seconds_replica"] = t_replica
        # the standby goes down: what the reviewer sees
        standby.stop()
        start_log = log_path.stat().st_size
        timings = []
        for _ in range(3):
            t0 = time.perf_counter()
            try:
                data = reviewer.get(export_path)
                timings.append((time.perf_counter() - t0, "ok", _cells(data) == primary))
            except Exception as error:  # noqa: BLE001 - what the user sees is the measurement
                timings.append((time.perf_counter() - t0, f"error {error}", False))
        probes, text = _probes(log_path, start_log)
        result["replica_down"] = {
            "requests": [{"seconds": t, "outcome": o, "same_file": same} for t, o, same in timings],
            "ran_on": [{"in_recovery": flag == "True", "port": int(p)} for _what, flag, p in probes],
            "warnings": len(re.findall(r" WARNING .*(replica|readonly|could not connect)", text, re.IGNORECASE)),
        }
        lines.append("standby stopped: the reviewer's exports " + ", ".join(
            f"{o} in {t * 1000:.0f} ms" for t, o, _same in timings)
            + f"; they ran on port {sorted({int(p) for _w, _f, p in probes})} (the primary), same file: "
              f"{all(same for *_x, same in timings)}")
        result["ok"] = result["export_on_replica"] and result["posting_on_primary"] and result["equal_to_primary"]
    finally:
        if process:
            stop_server(process)
        standby.remove()
    result["lines"] = lines
    for line_text in lines:
        print(line_text)
    return result
