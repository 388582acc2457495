"""文书下载: the buttons on the run and enterprise pages, and each document downloaded from the test world.

The world is the small demo zone (2023 final, 2024 draft, projects with
closed months). Each PDF's text must carry its Chinese headings and the
stored run's figures as printed; each workbook must open and hold them.
The first page of each PDF is kept as a PNG under the test artifacts.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy.orm import Session
from web_client import doc
from web_personas import World

from zonehero.clock import today
from zonehero.core.zone import default_zone
from zonehero.features.projects import months
from zonehero.features.roles import SYSTEM, Actor, Role
from zonehero.features.runs import service as runs
from zonehero.features.runs.schemas import RunResultRead
from zonehero.reports.pdf.styles import fmt_num

LoginAs = Callable[[str], TestClient]


def pdf_text(data: bytes) -> str:
    """Extracted text without whitespace (wrapped table cells would split figures otherwise)."""
    reader = PdfReader(io.BytesIO(data))
    return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)


def keep_first_page(data: bytes, artifacts_dir: Path, stem: str) -> Path:
    """Render page 1 to PNG with pdftoppm (poppler-utils) and keep it; fails when it cannot render."""
    tool = shutil.which("pdftoppm")
    assert tool, "pdftoppm missing: apt-get install poppler-utils"
    folder = artifacts_dir / "web-documents"
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{stem}.pdf"
    source.write_bytes(data)
    done = subprocess.run(
        [tool, "-r", "70", "-png", "-singlefile", "-f", "1", "-l", "1", str(source), str(folder / stem)],
        capture_output=True,
        text=True,
        check=False,
    )
    source.unlink()
    assert done.returncode == 0, done.stderr
    png = folder / f"{stem}.png"
    assert png.stat().st_size > 5000
    return png


def download(client: TestClient, path: str, media_type: str, filename: str) -> bytes:
    """GET ``path``: 200, the Content-Type, and the Chinese file name in RFC 5987 form with an ASCII fallback."""
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith(media_type)
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="') and disposition.isascii()
    assert f"filename*=UTF-8''{quote(filename)}" in disposition
    return response.content


def stored_rows(db: Session, run_id: int) -> list[RunResultRead]:
    return runs.list_results(db, SYSTEM, run_id, limit=None, order="uscc").items


class TestButtons:
    def test_a_final_run_offers_every_document(self, login_as: LoginAs, world: World) -> None:
        page = doc(login_as("leader").get(f"/runs/{world.final_run}"))
        box = page.find(id="run-documents")
        links = {a.attrs["id"]: a.attrs["href"] for a in box.find_all("a")}
        run = world.final_run
        assert links == {
            "doc-report-pdf": f"/runs/{run}/report.pdf",
            "doc-report-xlsx": f"/runs/{run}/report.xlsx",
            "doc-list-pdf": f"/runs/{run}/public-list.pdf",
            "doc-list-xlsx": f"/runs/{run}/public-list.xlsx",
        }
        jobs = {
            f.attrs["id"]: {i.attrs["name"]: i.attrs["value"] for i in f.find_all("input")}
            for f in box.find_all("form")
        }
        assert {k: {n: v for n, v in form.items() if n != "csrf_token"} for k, form in jobs.items()} == {
            "doc-notices-job": {"kind": "notices_zip", "run_id": str(run)},
            "doc-report-job": {"kind": "annual_report", "run_id": str(run), "format": "pdf"},
        }

    def test_a_draft_has_no_public_list(self, login_as: LoginAs, world: World) -> None:
        page = doc(login_as("analyst").get(f"/runs/{world.draft_run}"))
        assert not page.find_all(id="doc-list-pdf") and not page.find_all(id="doc-list-xlsx")
        assert page.find(id="doc-report-pdf").attrs["href"] == f"/runs/{world.draft_run}/report.pdf"

    def test_an_enterprise_finds_its_notice_on_its_page(self, login_as: LoginAs, world: World) -> None:
        page = doc(login_as("enterprise_a").get(f"/enterprises/{world.uscc_a}"))
        href = page.find(id="doc-notice").attrs["href"]
        assert href == f"/runs/{world.final_run}/notices/{world.uscc_a}.pdf"


class TestAnnualReport:
    def test_a_leader_downloads_the_pdf_with_the_runs_scores(
        self, login_as: LoginAs, world: World, db: Session, artifacts_dir: Path
    ) -> None:
        data = download(
            login_as("leader"),
            f"/runs/{world.final_run}/report.pdf",
            "application/pdf",
            "2023年度企业亩均效益综合评价报告.pdf",
        )
        text = pdf_text(data)
        assert f"{default_zone().name}2023年度企业亩均效益综合评价报告" in text
        assert "一、总体情况" in text and "七、综合得分排名前20位企业" in text
        ranked = [r for r in stored_rows(db, world.final_run) if r.group == "above" and r.rank and r.rank <= 20]
        assert ranked
        for r in ranked:
            assert f"{r.rank}{r.name}{r.uscc}{fmt_num(r.total_score)}{r.class_}" in text
        keep_first_page(data, artifacts_dir, "annual-report")

    def test_the_workbook_of_a_draft_compares_with_last_year(
        self, login_as: LoginAs, world: World, db: Session
    ) -> None:
        name = f"2024年度（批次{world.draft_run}）企业亩均效益综合评价报告.xlsx"
        data = download(
            login_as("analyst"),
            f"/runs/{world.draft_run}/report.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            name,
        )
        book = load_workbook(io.BytesIO(data), read_only=True)
        assert book["总体情况"]["A1"].value == f"{default_zone().name}2024年度企业亩均效益综合评价报告"
        assert book["分类变动"]["A1"].value == "与2023年度相比分类变动情况"
        top = [v for row in book["前20名"].iter_rows(values_only=True) for v in row]
        best = min((r for r in stored_rows(db, world.draft_run) if r.rank == 1), key=lambda r: r.group or "")
        row = next(i for i, v in enumerate(top) if v == best.uscc)
        assert top[row + 1] == pytest.approx(best.total_score, rel=1e-12)  # xlsx keeps 15 significant digits


class TestNotices:
    def test_an_enterprise_downloads_its_own_notice(
        self, login_as: LoginAs, world: World, db: Session, artifacts_dir: Path
    ) -> None:
        own = runs.get_result(db, SYSTEM, world.final_run, world.uscc_a)
        data = download(
            login_as("enterprise_a"),
            f"/runs/{world.final_run}/notices/{world.uscc_a}.pdf",
            "application/pdf",
            f"2023年度评价结果告知书_{world.uscc_a}_{own.name}.pdf",
        )
        text = pdf_text(data)
        assert "2023年度企业亩均效益综合评价结果告知书" in text and own.name and own.name in text
        assert "、基础数据及来源" in text and "局《" in text  # figures with the department file they came from
        if own.total_score is not None:
            assert f"{fmt_num(own.total_score)}分" in text
        keep_first_page(data, artifacts_dir, "result-notice")

    @pytest.mark.parametrize(
        "path",
        [
            "/runs/{final_run}/notices/{uscc_b}.pdf",
            "/runs/{draft_run}/notices/{uscc_a}.pdf",
            "/runs/{final_run}/report.pdf",
            "/runs/{final_run}/public-list.xlsx",
            "/runs/{final_run}/notices.zip",
        ],
    )
    def test_an_enterprise_gets_nothing_else(self, login_as: LoginAs, world: World, path: str) -> None:
        assert login_as("enterprise_a").get(path.format(**world.placeholders())).status_code == 404

    def test_staff_download_every_notice_in_one_zip(self, login_as: LoginAs, world: World, db: Session) -> None:
        data = download(
            login_as("analyst"),
            f"/runs/{world.final_run}/notices.zip?lift=0",
            "application/zip",
            "2023年度评价结果告知书.zip",
        )
        rows = stored_rows(db, world.final_run)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            assert len(names) == len(rows)
            b = next(r for r in rows if r.uscc == world.uscc_b)
            member = next(n for n in names if n.startswith(world.uscc_b))
            text = pdf_text(zf.read(member))
        assert b.name and b.name in text


class TestPublicList:
    def test_the_pdf_and_the_workbook_list_the_classes(
        self, login_as: LoginAs, world: World, db: Session, artifacts_dir: Path
    ) -> None:
        client = login_as("leader")
        stem = "2023年度企业亩均效益综合评价结果公示名单"
        pdf = download(client, f"/runs/{world.final_run}/public-list.pdf", "application/pdf", f"{stem}.pdf")
        text = pdf_text(pdf)
        assert f"{default_zone().name}2023年度企业亩均效益综合评价结果公示" in text
        run = runs.get_run(db, SYSTEM, world.final_run)
        assert run.notice_start is not None
        assert f"公示期为{run.notice_start.year}年{run.notice_start.month}月{run.notice_start.day}日至" in text
        classified = [r for r in stored_rows(db, world.final_run) if r.class_]
        for r in classified:
            assert f"{r.name}{r.uscc}" in text
        keep_first_page(pdf, artifacts_dir, "public-list")
        xlsx = download(
            client,
            f"/runs/{world.final_run}/public-list.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{stem}.xlsx",
        )
        ws = load_workbook(io.BytesIO(xlsx), read_only=True)["公示名单"]
        listed = {row[2]: row for row in ws.iter_rows(min_row=5, values_only=True) if row[1] and row[2]}
        assert set(listed) == {r.uscc for r in classified}
        for r in classified:
            assert listed[r.uscc][1] == r.name and listed[r.uscc][5] == r.class_
            if r.total_score is not None:
                assert listed[r.uscc][4] == round(r.total_score, 2)

    def test_a_draft_has_no_list(self, login_as: LoginAs, world: World) -> None:
        response = login_as("analyst").get(f"/runs/{world.draft_run}/public-list.pdf")
        assert response.status_code == 409 and "公示" in response.text


def _closed_month(db: Session) -> tuple[int, int]:
    """The newest closed month of the world; early in a year none is, so close last December then."""
    found = months.last_closed(db)
    if found is not None:
        return found
    office = Actor(id=None, username="projects-test", role=Role.PROJECT_OFFICE)
    months.close_month(db, office, today().year - 1, 12)
    db.flush()
    return today().year - 1, 12


class TestBriefing:
    def test_a_closed_month_as_pdf_and_workbook(
        self, login_as: LoginAs, db: Session, artifacts_dir: Path, app_factory: Callable[..., TestClient]
    ) -> None:
        year, month = _closed_month(db)
        db.commit()
        stored = months.get_closed(db, SYSTEM, year, month).report
        client = login_as("leader")
        pdf = download(
            client,
            f"/projects/briefing/{year}/{month}.pdf",
            "application/pdf",
            f"{year}年{month}月“四个一批”项目调度简报.pdf",
        )
        text = pdf_text(pdf)
        assert f"{default_zone().name}“四个一批”项目调度简报（{year}年{month}月）" in text
        assert "签约一批" in text and "开工一批" in text and "投产一批" in text
        keep_first_page(pdf, artifacts_dir, "briefing")
        xlsx = download(
            client,
            f"/projects/briefing/{year}/{month}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{year}年{month}月“四个一批”项目调度表.xlsx",
        )
        summary = load_workbook(io.BytesIO(xlsx), read_only=True)["汇总"]
        counts = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row and row[0]}
        for key, label in (("signing", "签约一批"), ("construction", "开工一批"), ("production", "投产一批")):
            assert counts[label] == stored["lists"][key]["list_count"]

    def test_a_month_not_closed_is_not_found(self, login_as: LoginAs) -> None:
        assert login_as("leader").get(f"/projects/briefing/{date.today().year + 1}/1.pdf").status_code == 404

    def test_an_enterprise_gets_no_briefing(self, login_as: LoginAs, db: Session) -> None:
        year, month = _closed_month(db)
        db.commit()
        response: httpx.Response = login_as("enterprise_a").get(f"/projects/briefing/{year}/{month}.xlsx")
        assert response.status_code == 404
