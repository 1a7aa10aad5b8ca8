#!/usr/bin/env python3
"""Screenshots of the running demo database for the README (headless Debian chromium).

Usage: screenshots.py [--url http://localhost:8069] [--db social_scheme_demo] [--out readme]

Logs in as the demo users (Vietnamese UI), opens each page and saves a PNG. Drives
chromium over the DevTools protocol with websocket-client (in the venv for Odoo's
browser tests). `make screenshots` runs it against `make run`'s server.
"""

import argparse
import base64
import html
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import requests
import websocket
from openpyxl import load_workbook

PAGES = [
    # (file, login, path, wait seconds)
    ("scheme_form.png", "planner", "/odoo/action-social_scheme.social_scheme_action/{scheme}", 4),
    ("scheme_kanban.png", "planner", "/odoo/action-social_scheme.social_scheme_action_home", 4),
    ("kpi_list.png", "planner", "/odoo/action-social_scheme.social_scheme_kpi_action", 4),
    ("kpi_dashboard.png", "planner", "/odoo/action-social_scheme.social_scheme_kpi_dashboard_action/{dashboard}", 5),
    ("completeness.png", "planner", "/odoo/action-social_scheme.social_scheme_expected_report_action", 5),
    ("package_list.png", "officer", "/odoo/action-social_scheme.social_scheme_procurement_package_action", 4),
    ("budget_lines.png", "reviewer", "/odoo/action-social_scheme.social_scheme_budget_line_action", 4),
    ("fiscal_years.png", "reviewer", "/odoo/action-social_scheme.social_scheme_budget_year_action", 4),
    ("year_closing.png", "manager", "/odoo/action-social_scheme.social_scheme_year_closing_action/{closing}", 4),
]


class Chrome:
    def __init__(self, width=1440, height=900):
        self.profile = tempfile.mkdtemp(prefix="ss-chrome-")
        self.port = 9333
        self.proc = subprocess.Popen([
            shutil.which("chromium") or "/usr/bin/chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={self.profile}", f"--remote-debugging-port={self.port}",
            f"--window-size={width},{height}", "about:blank",
        ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json"))
                page = next(t for t in targets if t["type"] == "page")
                break
            except Exception:  # noqa: BLE001 - chromium still starting
                time.sleep(0.1)
        else:
            raise RuntimeError("chromium did not start")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.seq = 0
        self.call("Page.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=False)

    def call(self, method, **params):
        self.seq += 1
        self.ws.send(json.dumps({"id": self.seq, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.seq:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def session_for(url, db, login):
    response = requests.post(f"{url}/web/session/authenticate", json={
        "jsonrpc": "2.0", "params": {"db": db, "login": login, "password": login}}, timeout=60)
    response.raise_for_status()
    if response.json().get("error"):
        raise RuntimeError(f"login {login}: {response.json()['error']['data']['message']}")
    return response.cookies["session_id"]


def record_id(url, db, model, domain):
    session = requests.Session()
    session.post(f"{url}/web/session/authenticate", json={
        "jsonrpc": "2.0", "params": {"db": db, "login": "planner", "password": "planner"}}, timeout=60)
    result = session.post(f"{url}/web/dataset/call_kw", json={"jsonrpc": "2.0", "params": {
        "model": model, "method": "search", "args": [domain], "kwargs": {}}},
        timeout=60).json()
    return result["result"][0]


def rpc(session, url, model, method, args, kwargs=None):
    response = session.post(f"{url}/web/dataset/call_kw", json={"jsonrpc": "2.0", "params": {
        "model": model, "method": method, "args": args,
        "kwargs": {"context": {"lang": "vi_VN"}, **(kwargs or {})}}}, timeout=300).json()
    if response.get("error"):
        raise RuntimeError(response["error"]["data"]["message"])
    return response["result"]


def xlsx_as_html(data, title):
    """A plain HTML rendering of a workbook's first sheets, to picture it in the README."""
    workbook = load_workbook(io.BytesIO(data))
    parts = [f"<html><head><meta charset='utf-8'><style>body{{font-family:'Liberation Serif',serif;"
             f"font-size:13px}} td{{border:1px solid #bbb;padding:2px 6px;white-space:nowrap}}"
             f" td.n{{text-align:right}} tr.h td{{background:#D9E1F2;font-weight:bold}}"
             f" h3{{margin:8px 0}}</style></head><body><h3>{html.escape(title)}</h3>"]
    for sheet in workbook.worksheets[:2]:
        parts.append(f"<p><b>{html.escape(sheet.title)}</b></p><table>")
        for row in sheet.iter_rows(max_row=24):
            if all(cell.value in (None, "") for cell in row):
                continue
            cells = []
            for cell in row[:10]:
                value = cell.value
                if isinstance(value, (int, float)):
                    if cell.number_format == "0.0%":
                        text = f"{value * 100:.1f}%".replace(".", ",")
                    else:
                        text = f"{value:,.0f}".replace(",", ".") if float(value).is_integer() or abs(value) > 999 \
                            else f"{value:.1f}".replace(".", ",")
                    cells.append(f"<td class='n'>{text}</td>")
                else:
                    cells.append(f"<td>{html.escape(str(value or ''))[:60]}</td>")
            header = row[0].row == 6
            parts.append(f"<tr class='{'h' if header else ''}'>{''.join(cells)}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def report_pictures(chrome, url, db, out):
    """Export the budget execution and KPI reports as the reviewer would, and picture them."""
    session = requests.Session()
    session.post(f"{url}/web/session/authenticate", json={
        "jsonrpc": "2.0", "params": {"db": db, "login": "reviewer", "password": "reviewer"}}, timeout=60)
    for report, name, title, year in (
        ("budget_execution", "report_budget_execution.png", "Budget execution (XLSX)", False),
        ("kpi", "report_kpi.png", "Indicators (XLSX)", False),
        ("settlement", "report_settlement.png", "Settlement of 2025, B01/BCQT (XLSX)", 2025),
    ):
        wizard = rpc(session, url, "social.scheme.report.wizard", "create", [{"report": report, "fiscal_year": year}])
        action = rpc(session, url, "social.scheme.report.wizard", "action_export", [[wizard]])
        data = session.get(url + action["url"], timeout=300).content
        page = Path(tempfile.mkdtemp()) / "report.html"
        page.write_text(xlsx_as_html(data, title), encoding="utf-8")
        chrome.call("Page.navigate", url=page.as_uri())
        time.sleep(1.5)
        shot = chrome.call("Page.captureScreenshot", format="png")
        (out / name).write_bytes(base64.b64decode(shot["data"]))
        print(out / name)


def pdf_picture(url, db, scheme, out):
    """The scheme summary PDF's first page, when poppler's pdftoppm is installed."""
    if not shutil.which("pdftoppm"):
        print("skipped scheme_summary.png: apt-get install poppler-utils")
        return
    session = requests.Session()
    session.post(f"{url}/web/session/authenticate", json={
        "jsonrpc": "2.0", "params": {"db": db, "login": "reviewer", "password": "reviewer"}}, timeout=60)
    pdf = session.get(f"{url}/report/pdf/social_scheme.scheme_summary/{scheme}", timeout=300).content
    folder = Path(tempfile.mkdtemp())
    (folder / "summary.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(folder / "summary.pdf"),
                    str(out / "scheme_summary")], check=True)
    print(out / "scheme_summary.png")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="social_scheme_demo")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "readme"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(exist_ok=True)
    scheme = record_id(args.url, args.db, "social.scheme", [["code", "=", "LD-CTXH-2022"]])
    closing = record_id(args.url, args.db, "social.scheme.year.closing", [["fiscal_year", "=", 2022]])
    planner = requests.Session()
    planner.cookies.set("session_id", session_for(args.url, args.db, "planner"))
    # the planner's own dashboard (a wizard record is shown to its creator only)
    dashboard = rpc(planner, args.url, "social.scheme.kpi.dashboard", "create",
                    [{"scheme_id": scheme, "interval": "quarter", "fiscal_year": 2022}])
    chrome = Chrome()
    try:
        # warm up: the first visit builds the web client's asset bundles
        chrome.call("Network.enable")
        chrome.call("Network.setCookie", name="session_id", value=session_for(args.url, args.db, "planner"),
                    url=args.url)
        chrome.call("Page.navigate", url=args.url + "/odoo")
        time.sleep(15)
        for name, login, path, wait in PAGES:
            chrome.call("Network.enable")
            chrome.call("Network.clearBrowserCookies")
            chrome.call("Network.setCookie", name="session_id", value=session_for(args.url, args.db, login),
                        url=args.url)
            chrome.call("Page.navigate", url=args.url + path.format(scheme=scheme, closing=closing, dashboard=dashboard))
            time.sleep(wait)
            shot = chrome.call("Page.captureScreenshot", format="png")
            (out / name).write_bytes(base64.b64decode(shot["data"]))
            print(f"{out / name}")
        report_pictures(chrome, args.url, args.db, out)
        pdf_picture(args.url, args.db, scheme, out)
    finally:
        chrome.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
