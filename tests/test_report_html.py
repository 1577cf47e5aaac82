"""``factx report``: one self-contained HTML page of a run's figures, tested in real headless Chromium.

The page is made from a real run of ``factx extract`` over copies of the seeds, then driven with
Selenium: one highlight per record, a click on a highlight selects its row (value and unit shown),
a click on a row selects its highlight, the kind and document filters and the search box narrow
what is shown. Chromium and its driver are Debian's ``chromium`` and ``chromium-driver`` packages
(``make chromium``); without them this test fails and says so, it is never skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from factx.cli_audit import register
from factx.output import report_html
from factx.output.report_html import report_data

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
EXPO = "seeds/000_8a70859ab80dc299.txt"
CHROMIUM_MISSING = (
    "Chromium is needed for the HTML report test: run `make chromium` "
    "(apt-get install chromium chromium-driver) or see README"
)
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
VIEWPORT = {"width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": False}

runner = CliRunner()
report_app = typer.Typer()


@report_app.callback()
def _factx() -> None:
    """Stands for the factx app, so that the command is called as `report`, as in `factx report`."""


register(report_app)


@pytest.fixture(autouse=True)
def _no_env_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FACTX_RULES", raising=False)


def extract(folder: Path, *paths: str) -> list[dict[str, Any]]:
    """``factx extract PATHS -o run.jsonl`` in ``folder`` (a real run, in its own process); its records."""
    env = {k: v for k, v in os.environ.items() if k != "FACTX_RULES"}
    done = subprocess.run(
        [sys.executable, "-m", "factx", "extract", *paths, "-o", "run.jsonl"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in (folder / "run.jsonl").read_text(encoding="utf-8").splitlines()]


def make_report(folder: Path) -> Path:
    """``factx report run.jsonl -o report.html`` in ``folder``."""
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        result = runner.invoke(report_app, ["report", "run.jsonl", "-o", "report.html"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return folder / "report.html"


def highlights(data: dict[str, Any]) -> list[int]:
    """The record index of every highlight in the page's data: in the texts and below them."""
    found = []
    for doc in data["docs"]:
        for parts in [doc["parts"], *doc["elsewhere"]]:
            found.extend(p[0] for p in parts if isinstance(p, list) and p[0] != "gap")
    return found


def page_data(html: str) -> dict[str, Any]:
    match = re.search(r'<script id="data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the page carries its data"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """A copy of the seeds, its run and its report."""
    folder = tmp_path_factory.mktemp("seeds-report")
    shutil.copytree(SEEDS, folder / "seeds")
    recs = extract(folder, "seeds")
    make_report(folder)
    return folder, recs


# --- the page, without a browser -------------------------------------------------------------------


def test_the_page_is_self_contained(seeds_run: tuple[Path, list[dict[str, Any]]]) -> None:
    folder, recs = seeds_run
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "nothing is fetched"
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert "<script src" not in html
    data = page_data(html)
    assert sorted(highlights(data)) == list(range(len(recs)))
    assert [r["id"] for r in data["records"]] == [r["id"] for r in recs]


def test_every_record_keeps_one_highlight_when_its_source_changed_or_is_gone(tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    recs = extract(tmp_path, "seeds")
    expo = tmp_path / EXPO
    text = expo.read_text(encoding="utf-8")
    expo.write_text(
        "编者按：新插入的一段。\n\n" + text.replace("834.9亿美元", "835.1亿美元"), encoding="utf-8"
    )
    (tmp_path / "seeds/004_8765960b682b9259.txt").unlink()
    data, stats = report_data(tmp_path / "run.jsonl", root=tmp_path)
    assert sorted(highlights(data)) == list(range(len(recs)))
    status = {d["name"]: d["status"] for d in data["docs"]}
    assert status[EXPO] == "changed" and status["seeds/004_8765960b682b9259.txt"] == "gone"
    gone = sum(1 for r in recs if r["doc"] == "seeds/004_8765960b682b9259.txt")
    assert stats.not_in_source == gone + 3  # the file gone, and the edited sentence's 3 figures
    shown = {p[1] for d in data["docs"] if d["name"] == EXPO for p in d["parts"] if isinstance(p, list)}
    assert "834.9亿美元" not in shown  # the edited figure is below the text, in its recorded sentence


def test_a_long_document_keeps_the_text_around_its_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_html, "LONG_TEXT", 20_000)
    seed = (SEEDS / "000_8a70859ab80dc299.txt").read_text(encoding="utf-8")
    (tmp_path / "long.txt").write_text(seed + "\n" + "空白段落，没有数字。\n" * 3000 + seed, encoding="utf-8")
    recs = extract(tmp_path, "long.txt")
    data, _ = report_data(tmp_path / "run.jsonl", root=tmp_path)
    [doc] = data["docs"]
    gaps = [p[1] for p in doc["parts"] if isinstance(p, list) and p[0] == "gap"]
    assert len(gaps) == 1 and gaps[0] > 25_000  # the 3000 lines without figures
    assert sorted(highlights(data)) == list(range(len(recs)))
    # Nothing else is left out (but the blank lines the file starts with).
    text = (tmp_path / "long.txt").read_text(encoding="utf-8")
    kept = "".join(p if isinstance(p, str) else ("" if p[0] == "gap" else p[1]) for p in doc["parts"])
    assert (
        len(kept) + gaps[0] == len(text.lstrip("\n")) == doc["length"] - (len(text) - len(text.lstrip("\n")))
    )


# --- the page in Chromium --------------------------------------------------------------------------


def _tool(env: str, *names: str) -> str | None:
    """The program the environment variable names, else the first of ``names`` on PATH; None if neither."""
    named = os.environ.get(env)
    if named:
        return named if os.access(named, os.X_OK) else None
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium driven by Selenium, offline: the driver and browser are given, never fetched."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail(f"{CHROMIUM_MISSING} (the Python package selenium is missing: pip install -e '.[dev]')")
    chromium = _tool("FACTX_CHROMIUM", "chromium", "chromium-browser")
    driver_path = _tool("FACTX_CHROMEDRIVER", "chromedriver")
    if chromium is None or driver_path is None:
        pytest.fail(f"{CHROMIUM_MISSING} (not found: {'chromium' if chromium is None else 'chromedriver'})")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tempfile.mkdtemp(prefix="factx-chromium-")
    for flag in (*CHROME_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", VIEWPORT)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(browser: Any, path: Path) -> None:
    browser.get(path.resolve().as_uri())
    browser.find_element("css selector", "#rows tr")  # the script ran


def count(browser: Any, css: str) -> int:
    return int(browser.execute_script(f"return document.querySelectorAll({json.dumps(css)}).length"))


def click(browser: Any, element: Any) -> None:
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def wait_until(browser: Any, condition: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 5).until(lambda _: condition())


def visible_rows(browser: Any) -> list[list[str]]:
    """The cells of the table's rows that are displayed, read at one instant (the table redraws)."""
    rows: list[list[str]] = browser.execute_script(
        "return Array.from(document.querySelectorAll('#rows tr'))"
        ".filter(tr => tr.offsetParent !== null)"
        ".map(tr => Array.from(tr.cells).map(td => td.innerText))"
    )
    return rows


def test_one_highlight_per_record_and_a_click_shows_its_record(
    browser: Any, seeds_run: tuple[Path, list[dict[str, Any]]]
) -> None:
    folder, recs = seeds_run
    open_page(browser, folder / "report.html")
    assert count(browser, "a.fig") == len(recs)
    assert count(browser, "#rows tr") == len(recs)
    for text, value, unit in [
        ("834.9亿美元", "83,490,000,000", "USD"),
        ("4.4%", "4.4", "%"),
        ("12.7平方公里", "12,700,000", "m2"),
    ]:
        index = next(i for i, r in enumerate(recs) if r["doc"] == EXPO and r["text"] == text)
        mark = browser.find_element("id", f"f-{index}")
        assert mark.text == text
        click(browser, mark)
        [row] = browser.find_elements("css selector", "#rows tr.sel")
        assert row.get_attribute("id") == f"r-{index}" and row.is_displayed()
        cells = [td.text for td in row.find_elements("css selector", "td")]
        assert cells[:3] == [text, value, unit]
        detail = browser.find_element("id", "detail").text
        assert text in detail and f"{value} {unit}" in detail and recs[index]["id"] in detail
        assert "sel" in mark.get_attribute("class").split()
    # And back: a row selects its highlight.
    last = len(recs) - 1
    click(browser, browser.find_element("id", f"r-{last}"))
    assert "sel" in browser.find_element("id", f"f-{last}").get_attribute("class").split()
    assert count(browser, "a.fig.sel") == 1


def test_the_kind_and_document_filters_and_the_search_box(
    browser: Any, seeds_run: tuple[Path, list[dict[str, Any]]]
) -> None:
    folder, recs = seeds_run
    open_page(browser, folder / "report.html")
    kinds = Counter(r["kind"] for r in recs)
    lit = "a.fig:not(.dim)"
    assert count(browser, lit) == len(recs)
    # By kind: percent off, then money too.
    browser.find_element("css selector", '.chip[data-kind="percent"]').click()
    assert count(browser, lit) == len(recs) - kinds["percent"]
    assert len(visible_rows(browser)) == len(recs) - kinds["percent"]
    browser.find_element("css selector", '.chip[data-kind="money"]').click()
    assert count(browser, lit) == len(recs) - kinds["percent"] - kinds["money"]
    browser.find_element("id", "reset").click()
    assert count(browser, lit) == len(recs)
    # By document: only its section and its rows.
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "docfilter")).select_by_value("2")
    doc2 = sorted({r["doc"] for r in recs})[2]
    mine = [r for r in recs if r["doc"] == doc2]
    assert len(visible_rows(browser)) == len(mine)
    shown = [a for a in browser.find_elements("css selector", "a.fig") if a.is_displayed()]
    assert len(shown) == len(mine)
    browser.find_element("id", "reset").click()
    # Search: the figures whose text or sentence holds the words.
    search = browser.find_element("id", "search")
    search.send_keys("834.9亿美元")
    expected = [r["text"] for r in recs if "834.9亿美元" in r["sentence"]]
    wait_until(browser, lambda: len(visible_rows(browser)) == len(expected))
    assert [cells[0] for cells in visible_rows(browser)] == expected
    assert count(browser, lit) == len(expected)


def test_a_large_run_starts_collapsed_and_pages_its_table(browser: Any, tmp_path: Path) -> None:
    for copy in range(12):
        for seed in SEEDS.iterdir():
            shutil.copy(seed, tmp_path / f"{copy:02d}_{seed.name}")
    recs = extract(tmp_path, ".")
    assert len(recs) > report_html.COLLAPSE_FIGURES
    page = make_report(tmp_path)
    open_page(browser, page)
    first_doc = sum(1 for r in recs if r["doc"] == recs[0]["doc"])
    assert count(browser, "a.fig") == first_doc  # only the first document is drawn
    assert count(browser, "#rows tr") == 500
    # A figure of a collapsed document: its row selects it, drawing its document and turning the table's page.
    index = len(recs) - 1
    browser.execute_script(
        f"document.getElementById('d-{len({r['doc'] for r in recs}) - 1}').querySelector('header').click()"
    )
    mark = browser.find_element("id", f"f-{index}")
    click(browser, mark)
    [row] = browser.find_elements("css selector", "#rows tr.sel")
    assert row.get_attribute("id") == f"r-{index}"
    assert "of " + f"{len(recs):,}" in browser.find_element("id", "pager").text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nothing.jsonl", "-o", "report.html"], "error: nothing.jsonl: cannot read the run"),
        (["bad.jsonl", "-o", "report.html"], "error: bad.jsonl:2: not JSON"),
        (["run.jsonl", "-o", "no/such/folder/report.html"], "error: cannot write no/such/folder/report.html"),
    ],
)
def test_report_exits_2_on_a_bad_run_or_output(
    seeds_run: tuple[Path, list[dict[str, Any]]],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    folder, _ = seeds_run
    monkeypatch.chdir(folder)
    lines = (folder / "run.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "bad.jsonl").write_text(lines[0] + "\n{oops\n", encoding="utf-8")
    before = (folder / "report.html").read_bytes()
    result = runner.invoke(report_app, ["report", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert (folder / "report.html").read_bytes() == before  # the old page is left as it was
