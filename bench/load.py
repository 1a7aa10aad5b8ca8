"""The load row of `make bench`: Odoo in prefork, JSON-RPC clients of every role, for a fixed time.

N workers from the machine's cores (Odoo's rule of thumb, 2 × cores + 1); M = 4 × N
clients, each its own HTTP session, alternating without think time: officers of
different units posting payments (create + post) and submitting packages, unit heads
approving packages, the planner validating KPI figures, the reviewer listing schemes
(``web_search_read``) and exporting (the read-only export route), and bare
``res.partner`` writes, the reference a posting's p95 is compared with. Two phases:
postings spread over schemes, then every posting on another line of one scheme (the
hot spot of stored scheme totals). Outcomes per operation: ok, refused by a business
rule (UserError/ValidationError/AccessError), a conflict reaching the client (a
serialization failure Odoo gave up retrying), a server error (anything else).
"""

import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
PASSWORD = "bench_load"


def workers_for_cores(cores=None):
    return 2 * (cores or os.cpu_count() or 1) + 1


# ------------------------------------------------------------------ server
def start_server(conf, db, port, workers, log_path, extra=()):
    """Odoo (bench/server.py: odoo-bin with the probes) in prefork on ``port``; waits for /web/health."""
    cmd = [sys.executable, str(HERE / "server.py"), "-c", conf, "-d", db, f"--db-filter=^{db}$",
           f"--http-port={port}", "--http-interface=127.0.0.1", f"--workers={workers}", "--max-cron-threads=0",
           "--limit-time-real=600", "--limit-time-cpu=600", "--limit-memory-soft=4294967296",
           "--limit-memory-hard=5368709120", f"--logfile={log_path}", "--log-handler=odoo.service.model:INFO",
           "--log-handler=werkzeug:INFO", *extra]
    log_path.unlink(missing_ok=True)
    process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Odoo stopped (exit {process.returncode}), see {log_path}")
        try:
            if requests.get(f"{url}/web/health", timeout=5).status_code == 200:
                return process, url
        except requests.RequestException:
            pass
        time.sleep(1)
    stop_server(process)
    raise RuntimeError(f"Odoo did not answer on {url}, see {log_path}")


def stop_server(process):
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


# ------------------------------------------------------------------ client
class Refused(Exception):
    pass


class Conflict(Exception):
    pass


class ServerError(Exception):
    pass


class Client:
    """A JSON-RPC client with its own session, as the web client calls the server."""

    def __init__(self, url, db, login, password=PASSWORD):
        self.url, self.session = url, requests.Session()
        result = self._post("/web/session/authenticate", {"db": db, "login": login, "password": password})
        self.uid = result["uid"]
        self.context = result["user_context"]

    def _post(self, path, params):
        response = self.session.post(self.url + path, json={"jsonrpc": "2.0", "method": "call", "params": params},
                                     timeout=600)
        if response.status_code != 200:
            raise ServerError(f"HTTP {response.status_code}")
        body = response.json()
        if "error" in body:
            data = body["error"].get("data") or {}
            name, message = data.get("name", ""), data.get("message", "")
            if re.search(r"UserError|ValidationError|AccessError|MissingError|RedirectWarning", name):
                raise Refused(message)
            if re.search(r"Serializ|TransactionRollback|LockNotAvailable|concurrent update", name + message):
                raise Conflict(message)
            raise ServerError(f"{name}: {message}")
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", self.context)
        return self._post(f"/web/dataset/call_kw/{model}/{method}",
                          {"model": model, "method": method, "args": list(args), "kwargs": kwargs})

    def get(self, path):
        response = self.session.get(self.url + path, timeout=600)
        if response.status_code != 200:
            raise ServerError(f"HTTP {response.status_code}")
        return response.content


# ------------------------------------------------------------------- roles
def role_ops(setup, phase):
    """``{role: function(client, index, rng) -> [(op, seconds, outcome)]}`` for the phase."""
    hot = setup["hot_lines"]

    def timed(op, func, *args, **kwargs):
        start = time.perf_counter()
        message = None
        try:
            result = func(*args, **kwargs)
            outcome = "ok"
        except Refused as error:
            result, outcome, message = None, "refused", str(error)
        except Conflict as error:
            result, outcome, message = None, "conflict", str(error)
        except (ServerError, requests.RequestException, ValueError) as error:
            result, outcome, message = None, "error", str(error)
        return result, (op, time.perf_counter() - start, outcome, message)

    def post_payment(client, index, rng):
        lines = hot if phase == "one_scheme" else setup["lines"]
        # one line per posting client in the hot phase: the lines differ, only the scheme is shared
        line = lines[index % len(lines)] if phase == "one_scheme" else rng.choice(lines)
        payment, created = timed("payment create", client.call, "social.scheme.disbursement", "create", {
            "budget_line_id": line, "amount": 100_000, "date": "2024-06-03", "kind": "payment",
            "document_number": f"LOAD-{index}-{rng.randrange(10**9)}"})
        if not payment:
            return [created]
        return [created, timed("payment post", client.call, "social.scheme.disbursement", "action_post", [payment])[1]]

    def submit_package(client, index, rng):
        line = rng.choice(setup["lines"])
        package, created = timed("package create", client.call, "social.scheme.procurement.package", "create", {
            "name": f"Gói tải {index}-{rng.randrange(10**9)}", "scheme_id": setup["line_schemes"][line],
            "budget_line_id": line, "procurement_type": "goods",
            "amount_estimate": 10_000_000, "date_planned": "2024-06-01"})
        if not package:
            return [created]
        return [created, timed("package submit", client.call, "social.scheme.procurement.package", "action_submit",
                               [package])[1]]

    def approve_package(client, index, rng):
        pool = setup["submitted_packages"][index]
        if not pool:
            return []
        return [timed("package approve", client.call, "social.scheme.procurement.package", "action_approve",
                      [pool.pop()])[1]]

    def validate_figure(client, index, rng):
        pool = setup["submitted_figures"][index]
        if not pool:
            return []
        return [timed("figure validate", client.call, "social.scheme.kpi.measurement", "action_validate",
                      [pool.pop()])[1]]

    def review(client, index, rng):
        if rng.random() < 0.7:
            return [timed("scheme list", client.call, "social.scheme", "web_search_read", [],
                          specification=setup["list_spec"], limit=80, offset=rng.randrange(0, 10) * 80)[1]]
        return [timed("export (20 schemes)", client.get, setup["export_url"])[1]]

    def partner_write(client, index, rng):
        return [timed("res.partner write", client.call, "res.partner", "write", [setup["partners"][index]],
                      {"comment": f"load {rng.random()}"})[1]]

    return {"officer": post_payment, "officer_packages": submit_package, "unit_head": approve_package,
            "planner": validate_figure, "reviewer": review, "partner": partner_write}


def client_mix(clients):
    """How many clients of each role for ``clients`` clients (every role at least one)."""
    shares = {"officer": 0.35, "officer_packages": 0.15, "unit_head": 0.15, "planner": 0.1, "reviewer": 0.15,
              "partner": 0.1}
    mix = {role: max(1, int(clients * share)) for role, share in shares.items()}
    mix["officer"] += clients - sum(mix.values())
    return mix


def run_phase(url, db, setup, phase, mix, seconds):
    ops = role_ops(setup, phase)
    records, lock = [], threading.Lock()
    sessions = []
    for role, count in mix.items():
        for index in range(count):
            sessions.append((role, index, Client(url, db, setup["logins"][role][index % len(setup["logins"][role])])))
    barrier = threading.Barrier(len(sessions) + 1)
    stop_at = [0.0]

    def worker(role, index, client):
        rng = random.Random(f"{phase}-{role}-{index}")
        barrier.wait()
        mine = []
        while time.perf_counter() < stop_at[0]:
            done = ops[role](client, index, rng)
            if not done:
                time.sleep(0.05)
            mine.extend(done)
        with lock:
            records.extend(mine)

    threads = [threading.Thread(target=worker, args=session) for session in sessions]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + seconds
    start = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    by_op = defaultdict(list)
    outcomes = defaultdict(Counter)
    messages = defaultdict(dict)
    for op, seconds_taken, outcome, message in records:
        outcomes[op][outcome] += 1
        if outcome == "ok":
            by_op[op].append(seconds_taken)
        elif message:
            messages[op].setdefault(outcome, message[:300])
    result = {"phase": phase, "seconds": elapsed, "clients": len(sessions), "requests": len(records),
              "rps": len(records) / elapsed, "ops": {}}
    for op in sorted(outcomes):
        times = sorted(by_op[op])
        result["ops"][op] = {
            "count": sum(outcomes[op].values()), "outcomes": dict(outcomes[op]),
            "rps": outcomes[op]["ok"] / elapsed,
            "p50": statistics.median(times) if times else None,
            "p95": times[max(0, int(len(times) * 0.95) - 1)] if times else None,
            "messages": messages[op],
        }
    return result


# ------------------------------------------------------------------- setup
def prepare(env, mix, phases):
    """Users, pools of submitted packages and figures, partners to write: committed for the server."""
    from odoo import Command  # noqa: PLC0415

    cr = env.cr
    Users = env["res.users"].with_context(no_reset_password=True)
    units = env["res.partner"].search([("name", "like", "Cơ sở %")], order="name")
    groups = {"officer": "group_officer", "officer_packages": "group_officer", "unit_head": "group_unit_head",
              "planner": "group_planner", "reviewer": "group_reviewer", "partner": "group_officer"}
    logins = {}
    for role, count in mix.items():
        logins[role] = []
        for index in range(count):
            login = f"load_{role}_{index}"
            user = Users.search([("login", "=", login)])
            unit = units[index % len(units)]
            if not user:
                Users.create({"name": f"Load {role} {index}", "login": login, "password": PASSWORD,
                              "email": f"{login}@bench.example",
                              "groups_id": [Command.set([env.ref(f"social_scheme.{groups[role]}").id]
                                                        + ([env.ref("base.group_partner_manager").id]
                                                           if role == "partner" else []))],
                              # officers of different units; unit heads approve every unit's packages
                              "scheme_unit_ids": [Command.set(units.ids if role == "unit_head" else unit.ids)]})
            logins[role].append(login)
    schemes = env["social.scheme"].search([("code", "like", "BENCH-%")], order="code")
    # posting officer i works for unit i: its postings go on lines of schemes where that unit takes part
    lines = schemes[:200].budget_line_ids.ids
    line_schemes = {line.id: line.scheme_id.id for line in schemes[:200].budget_line_ids}
    hot_lines = schemes[-1].budget_line_ids.ids
    # submitted packages to approve, split between the unit heads (each its own, per phase)
    per_client = 400
    cr.execute("""SELECT id FROM social_scheme_procurement_package WHERE state = 'submitted' ORDER BY id LIMIT %s""",
               [per_client * mix["unit_head"] * len(phases)])
    packages = [row[0] for row in cr.fetchall()]
    # submitted KPI figures to validate, split between the planners, over a month no figure covers yet
    cr.execute("SELECT GREATEST(MAX(date_to), DATE '2024-12-31') + 1 FROM social_scheme_kpi_measurement")
    month = cr.fetchone()[0]
    cr.execute("""
        INSERT INTO social_scheme_kpi_measurement (kpi_id, scheme_id, unit_id, date_from, date_to, numerator,
               denominator, value, state, company_id, create_uid, write_uid, create_date, write_date)
        SELECT k.id, k.scheme_id, u, %s::date, %s::date + 27, 40, 50, 50, 'submitted', k.company_id,
               1, 1, now() at time zone 'utc', now() at time zone 'utc'
          FROM (SELECT * FROM social_scheme_kpi ORDER BY id LIMIT %s) k, unnest(%s::int[]) u
     RETURNING id""", [month, month, per_client * mix["planner"] * len(phases) // 10 + 1, units[:10].ids])
    figures = sorted(row[0] for row in cr.fetchall())
    partners = env["res.partner"].create([{"name": f"Load partner {i}"} for i in range(mix["partner"])]).ids
    few = schemes[:20].ids
    from bench import list_spec  # noqa: PLC0415 - bench/bench.py

    setup = {
        "logins": logins, "lines": lines, "line_schemes": line_schemes, "hot_lines": hot_lines, "partners": partners,
        "packages": packages, "figures": figures, "list_spec": list_spec(env, "social.scheme"),
        "export_url": "/social_scheme/export/budget_execution?scheme_ids=" + ",".join(map(str, few)),
    }
    cr.commit()
    return setup


def split(pool, parts):
    return [pool[index::parts] for index in range(parts)]


def summary_lines(load):
    lines = [f"Odoo --workers={load['workers']} ({load['cores']} cores), {load['clients']} clients, "
             f"{load['seconds']:.0f} s per phase, ×{load['scale']} data"]
    for phase in load["phases"]:
        lines.append(f"{phase['phase']}: {phase['rps']:.1f} requests/s, retried conflicts "
                     f"{phase['retries']} (serialization failures Odoo retried), "
                     f"conflicts reaching a client {phase['conflicts']}, server errors {phase['errors']}, "
                     f"posting p95 {phase['posting_p95'] * 1000:.0f} ms = {phase['posting_vs_partner']:.2f}× "
                     f"res.partner write p95 {phase['partner_p95'] * 1000:.0f} ms")
        for op, figures in phase["ops"].items():
            outcomes = ", ".join(f"{key} {value}" for key, value in sorted(figures["outcomes"].items()))
            p50 = f"{figures['p50'] * 1000:.0f}" if figures["p50"] is not None else "—"
            p95 = f"{figures['p95'] * 1000:.0f}" if figures["p95"] is not None else "—"
            lines.append(f"    {op:22} {figures['rps']:6.1f}/s  p50 {p50:>5} ms  p95 {p95:>5} ms  ({outcomes})")
    return lines


def bench_load(conf, db, scale, registry):
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", 30))
    cores = os.cpu_count() or 1
    workers = int(os.environ.get("BENCH_WORKERS", workers_for_cores(cores)))
    clients = int(os.environ.get("BENCH_CLIENTS", 4 * workers))
    port = int(os.environ.get("BENCH_HTTP_PORT", 8169))
    phases = ("spread", "one_scheme")
    mix = client_mix(clients)
    with registry.cursor() as cr:
        setup = prepare(api.Environment(cr, SUPERUSER_ID, {}), mix, phases)
    log_path = Path(os.environ.get("LOG_DIR", "/tmp")) / f"bench-load-{db}.log"
    process, url = start_server(conf, db, port, workers, log_path)
    results = []
    try:
        packages = split(setup["packages"], len(phases))
        figures = split(setup["figures"], len(phases))
        for number, phase in enumerate(phases):
            setup["submitted_packages"] = split(packages[number], mix["unit_head"])
            setup["submitted_figures"] = split(figures[number], mix["planner"])
            log_start = log_path.stat().st_size if log_path.exists() else 0
            result = run_phase(url, db, setup, phase, mix, seconds)
            time.sleep(1)
            with log_path.open(errors="replace") as log:
                log.seek(log_start)
                text = log.read()
            result["retries"] = len(re.findall(r"tries left, try again", text))
            result["conflicts"] = sum(op["outcomes"].get("conflict", 0) for op in result["ops"].values())
            result["errors"] = sum(op["outcomes"].get("error", 0) for op in result["ops"].values())
            result["server_tracebacks"] = len(re.findall(r"^\S+ \S+ \d+ ERROR ", text, re.MULTILINE))
            posting, partner = result["ops"].get("payment post", {}), result["ops"].get("res.partner write", {})
            result["posting_p95"] = posting.get("p95") or 0.0
            result["partner_p95"] = partner.get("p95") or 0.0
            result["posting_vs_partner"] = (result["posting_p95"] / result["partner_p95"]
                                            if result["partner_p95"] else 0.0)
            results.append(result)
    finally:
        stop_server(process)
    load = {"scale": scale, "cores": cores, "workers": workers, "clients": clients, "mix": mix, "seconds": seconds,
            "phases": results}
    spread = {p["phase"]: p for p in results}
    if {"spread", "one_scheme"} <= set(spread):
        load["one_scheme_vs_spread_posting_rps"] = (spread["one_scheme"]["ops"].get("payment post", {}).get("rps", 0)
                                                   / max(spread["spread"]["ops"].get("payment post", {}).get("rps", 0),
                                                         1e-9))
    load["ok"] = all(p["conflicts"] == 0 and p["errors"] == 0 and p["posting_vs_partner"] <= 3 for p in results)
    load["lines"] = summary_lines(load)
    if "one_scheme_vs_spread_posting_rps" in load:
        load["lines"].append(f"postings per second on one scheme / spread: {load['one_scheme_vs_spread_posting_rps']:.2f}")
    print(json.dumps(load["lines"], indent=1, ensure_ascii=False))
    return load
