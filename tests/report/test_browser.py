"""The report in a real browser (headless Chromium driven by Playwright): no console errors,
every plot drawn, hover shows S(t), legend toggles models, and hostile labels stay text.

Skipped only when no Chromium executable exists (.ci/run installs Debian's chromium).
Screenshots are saved under tests/artifacts/ for people to look at.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import remission as rm

from .helpers import FAST, XSS, XSS2, bundled, hostile_csv

CHROMIUM = next((p for p in (os.environ.get("REMISSION_CHROMIUM"), "/usr/bin/chromium",
                             shutil.which("chromium"), shutil.which("chromium-browser"))
                 if p and os.path.exists(p)), None)
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="no chromium executable")]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory, fast_cartitude):
    d = tmp_path_factory.mktemp("reports")
    out = {"cartitude": d / "cartitude.html", "alloauto": d / "alloauto.html"}
    fast_cartitude.write_html(out["cartitude"])  # analyze(c1, **FAST): tests/report/conftest.py
    # a hostile file name, column name and group labels
    bad = d / "<img src=y onerror=alert(3)>.csv"
    hostile_csv(bad)
    data = rm.read_survival(bad, group="<b>arm</b>", time_unit="months")
    rm.analyze(data, **FAST).write_html(out["alloauto"])
    return out


def _open(browser, path, viewport=(1280, 900)):
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    errors, dialogs = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # no network at view time: any request other than the file itself fails the test
    requests = []
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(
        ("file://", "data:", "blob:", "about:")) else None)
    page.goto(Path(path).as_uri())
    page.wait_for_selector("body[data-plots-ready]", timeout=20000)
    return page, errors, dialogs, requests


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.mark.parametrize("which", ["cartitude", "alloauto"])
def test_opens_without_errors_and_draws_every_plot(browser, reports, which):
    page, errors, dialogs, requests = _open(browser, reports[which])
    ids = page.eval_on_selector_all("div.plot", "els => els.map(e => e.id)")
    assert len(ids) >= 4
    for i in ids:
        # plotly draws into an SVG: the plot has an SVG with drawn traces (paths)
        n = page.eval_on_selector(f"#{i}", "el => el.querySelectorAll('svg .trace path, "
                                           "svg .point path, svg path.js-line').length")
        assert n > 0, f"plot {i} is empty"
        box = page.eval_on_selector(f"#{i} svg.main-svg", "el => el.getBoundingClientRect()"
                                                          ".height")
        assert box > 100
    assert page.get_attribute("body", "data-plots-ready") == str(len(ids))
    _shot(page, f"report-{which}.png")
    assert errors == [] and dialogs == [] and requests == []
    page.close()


def test_hover_reads_survival(browser, reports):
    page, errors, _, _ = _open(browser, reports["cartitude"])
    page.locator("#fig-km").scroll_into_view_if_needed()
    box = page.locator("#fig-km .nsewdrag").first.bounding_box()
    # move across the plot area until plotly shows a hover label with S(t)
    text = ""
    for fx in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        for fy in (0.2, 0.3, 0.4, 0.5, 0.6):
            page.mouse.move(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
            page.wait_for_timeout(60)
            text = page.eval_on_selector("#fig-km", "el => (el.querySelector('.hoverlayer')"
                                                    " || {}).textContent || ''")
            if "S(t)" in text:
                break
        if "S(t)" in text:
            break
    assert "S(t) = 0." in text and "at risk" in text
    _shot(page, "hover-km.png")
    assert errors == []
    page.close()


def test_legend_toggles_models(browser, reports):
    page, errors, _, _ = _open(browser, reports["cartitude"])
    fig = "#fig-fit-0"
    page.locator(fig).scroll_into_view_if_needed()
    visible = "el => el.data.filter(t => t.visible === true || t.visible === undefined).length"
    before = page.eval_on_selector(fig, visible)
    # a model that is hidden by default ("legendonly") is shown by clicking its legend entry
    hidden = page.eval_on_selector(fig, "el => el.data.findIndex(t => t.visible === "
                                        "'legendonly')")
    assert hidden >= 0
    name = page.eval_on_selector(fig, f"el => el.data[{hidden}].name")
    import re

    item = page.locator(f"{fig} .legend .traces").filter(
        has=page.locator("text.legendtext", has_text=re.compile(f"^{re.escape(name)}$")))
    item.locator(".legendtoggle").click()
    page.wait_for_timeout(700)  # plotly waits out its double-click delay before toggling
    assert page.eval_on_selector(fig, visible) == before + 1
    assert errors == []
    page.close()


def test_hostile_labels_do_not_execute(browser, reports):
    page, errors, dialogs, _ = _open(browser, reports["alloauto"])
    page.wait_for_timeout(300)
    assert dialogs == [], "a user-supplied label executed script"
    # no element was created from the labels; they are shown as text
    assert page.eval_on_selector_all("img", "els => els.length") == 0
    assert page.eval_on_selector_all("script", "els => els.length") == 4
    body = page.inner_text("body")
    assert XSS in body and XSS2 in body and "<b>arm</b>" in body
    legend = page.eval_on_selector("#fig-km", "el => el.querySelector('.legend')"
                                              ".textContent")
    assert XSS in legend  # the legend reads the label as typed
    _shot(page, "report-hostile-labels.png")
    assert errors == []
    page.close()


def test_print_layout(browser, reports):
    # A4 portrait is about 794 CSS pixels wide: look at the page as the printer will
    page, errors, _, _ = _open(browser, reports["cartitude"], viewport=(794, 1123))
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_timeout(300)
    assert page.eval_on_selector("nav", "el => getComputedStyle(el).display") == "none"
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 50_000
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report-print.pdf").write_bytes(pdf)
    _shot(page, "report-print.png")
    assert errors == []
    page.close()
