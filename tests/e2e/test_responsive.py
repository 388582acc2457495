"""No request blocks the others: ``/healthz`` answers within a second while an import, a what-if and a notice batch run.

The real ``zonehero serve --demo`` runs in a subprocess; three analysts start the heavy requests in threads and a
fourth client polls ``/healthz`` until all three are done. Before the handlers ran in the thread pool, an upload
was parsed on the event loop and every other request waited for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import xlsxwriter
from e2e_server import DEMO_PASSWORD, DemoServer, running_demo

from zonehero.core.domain.uscc import make_uscc

HEALTHZ_LIMIT_SECONDS = 1.0
IMPORT_ROWS = 500_000
"""Large enough that reading it takes seconds: on the event loop it held /healthz for 2.3 s; in the pool 0.3 s."""


@pytest.fixture(scope="module", params=["sqlite"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    with running_demo(request, tmp_path_factory.mktemp("responsive")) as running:
        yield running
        running.process.kill()  # a throwaway server: no need to let the notice batch finish
        running.stop()  # and its job worker, in the server's process group
        running.process.wait(timeout=10)


def _analyst(server: DemoServer) -> httpx.Client:
    client = httpx.Client(base_url=server.base_url, timeout=600, follow_redirects=False)
    answer = client.post("/api/login", json={"username": "analyst", "password": DEMO_PASSWORD})
    assert answer.status_code == 200, answer.text
    client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return client


def _runs(client: httpx.Client) -> list[dict[str, object]]:
    answer = client.get("/api/runs")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return list(body["items"] if isinstance(body, dict) else body)


def _big_tax_file(folder: Path, year: int, rows: int) -> Path:
    """A tax office workbook of ``rows`` enterprises, laid out like the demo's (title row, unit row, header)."""
    path = folder / f"税务局_{year}年度纳税情况.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("纳税情况")
    sheet.write_row(0, 0, [f"{year}年度开发区企业纳税情况表"])
    sheet.write_row(1, 0, ["填报单位：税务局", "", "单位：元"])
    sheet.write_row(2, 0, ["纳税人识别号", "纳税人名称", "实缴税金（元）"])
    for i in range(rows):
        sheet.write_row(3 + i, 0, [make_uscc(f"91360100{i:08d}"), f"压测企业{i}有限公司", 10_000.0 + i])
    workbook.close()
    return path


def _import(server: DemoServer, folder: Path) -> Callable[[], int]:
    client = _analyst(server)
    year = max(int(p.name) for p in (server.data_dir / "demo-files").iterdir() if p.name.isdigit())
    big = _big_tax_file(folder, year, IMPORT_ROWS)

    def run() -> int:
        files = [("files", (big.name, big.read_bytes()))]
        return client.post("/imports", data={"year": str(year)}, files=files).status_code

    return run


def _whatif(server: DemoServer) -> Callable[[], int]:
    client = _analyst(server)
    draft = next(r for r in _runs(client) if r["status"] == "draft")

    def run() -> int:
        return client.post(f"/runs/{draft['id']}/whatif", data={"cap": "2.5"}).status_code

    return run


def _notices(server: DemoServer) -> Callable[[], int]:
    client = _analyst(server)
    final = next(r for r in _runs(client) if r["status"] == "final")

    def run() -> int:
        return client.get(f"/runs/{final['id']}/notices.zip").status_code

    return run


def test_healthz_answers_while_heavy_requests_run(server: DemoServer, tmp_path: Path) -> None:
    """Poll while the import and the what-if run, with the notice batch (the longest) running beside them."""
    answers: dict[str, int] = {}
    notices = _notices(server)
    batch = threading.Thread(target=lambda: answers.__setitem__("notices", notices()), daemon=True)
    heavy = {"import": _import(server, tmp_path), "whatif": _whatif(server)}
    threads = [threading.Thread(target=lambda k=k, f=f: answers.__setitem__(k, f())) for k, f in heavy.items()]
    batch.start()
    for thread in threads:
        thread.start()
    slowest = 0.0
    polls = 0
    with httpx.Client(base_url=server.base_url, timeout=30) as probe:
        while any(t.is_alive() for t in threads):
            started = time.monotonic()
            assert probe.get("/healthz").status_code == 200
            slowest = max(slowest, time.monotonic() - started)
            polls += 1
            time.sleep(0.05)
    for thread in threads:
        thread.join()
    assert {k: answers.get(k) for k in heavy} == {"import": 303, "whatif": 200}, server.log_tail()
    assert batch.is_alive() or answers.get("notices") == 200, "the notice batch failed"
    assert polls >= 3, "the heavy requests finished before /healthz was asked: nothing was measured"
    assert slowest < HEALTHZ_LIMIT_SECONDS, f"/healthz took {slowest:.2f} s while heavy requests ran"
