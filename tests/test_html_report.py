"""Tests for classifier.html_report: the review rule, escaping, self-containment, and the page in a real
headless Chromium (skipped only where Chromium is absent and the CI variable is not set)."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from typer.testing import CliRunner

from classifier.charts import category_colours
from classifier.cli import app
from classifier.html_report import REVIEW_MARGIN, review_margins, review_marks, tint
from classifier.model import DEFAULT_MODEL, load_model
from classifier.reports import ReportFailure, analyse_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "sample_report.txt"
CORPUS_REPORT = ROOT / "data" / "corpus" / "000_4d81973d73741c05.txt"
HOSTILE = "\n".join(["述职报告", "二、存在的问题", '一是<script>alert("x")</script>经费保障不足&记录不全。',
                     "二是党员理论学习不深入。", "三、下一步打算", "加强学习。"])


@pytest.fixture
def three_categories(taxonomy):
    return SimpleNamespace(categories=taxonomy[:3], thresholds=np.array([0.4, 0.3, 0.06]))


@pytest.mark.parametrize(("scores", "expected"), [
    ([0.45, 0.10, 0.00], (0, True)),  # assigned, top score only 0.05 above its threshold
    ([0.80, 0.35, 0.00], None),  # the top category is clear; a weak second one does not make it unsure
    ([0.45, 0.90, 0.00], None),  # the top (colour-giving) category is the 0.90 one, far above its threshold
    ([0.32, 0.10, 0.00], (0, False)),  # nothing assigned, 0.08 below a threshold of 0.40
    ([0.25, 0.10, 0.00], None),  # nothing assigned, 0.15 below: the model said no clearly enough
    ([0.20, 0.10, 0.00], None),  # a threshold of 0.06 does not make a score of 0.00 "close" (margin 0.03)
    ([0.20, 0.10, 0.04], (2, False)),  # ... but 0.04 is within half that threshold
    ([0.32, 0.25, 0.00], (1, False)),  # two near misses: the nearer one (0.05 below) is named
])
def test_review_rule(three_categories, scores, expected):
    [mark] = review_marks(three_categories, np.array([scores]))
    if expected is None:
        assert mark is None
    else:
        index, assigned = expected
        assert mark.category == three_categories.categories[index].name and mark.assigned is assigned
        assert mark.score == scores[index] and mark.threshold == three_categories.thresholds[index]
        assert mark.category in mark.describe()


def test_review_margins_are_0_1_or_half_a_low_threshold():
    assert review_margins(np.array([0.4, 0.2, 0.06])).tolist() == pytest.approx([REVIEW_MARGIN, 0.1, 0.03])


def test_tint_mixes_with_white():
    assert tint("#ffffff") == "#ffffff"
    assert tint("#000000", 0.25) == "#bfbfbf"
    assert tint("#4e79a7", 1.0) == "#4e79a7"


@pytest.fixture(scope="module")
def hostile_page(small_model):
    from classifier.html_report import report_page

    result = analyse_text(HOSTILE, "<b>报告</b>&1.txt", small_model)
    failure = ReportFailure("坏<文件>.docx", "坏<文件>.docx：无法读取")
    return report_page([result], small_model, [failure])


def test_report_text_is_escaped(hostile_page):
    assert '<script>alert("x")' not in hostile_page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;经费保障不足&amp;记录不全。" in hostile_page
    assert "<b>报告</b>" not in hostile_page and "&lt;b&gt;报告&lt;/b&gt;&amp;1.txt" in hostile_page
    assert "坏&lt;文件&gt;.docx：无法读取" in hostile_page


def test_page_is_self_contained(hostile_page):
    references = re.findall(r'(?:src|href)="([^"]*)"', hostile_page) + re.findall(r"url\(([^)]*)\)", hostile_page)
    assert references and all(ref.startswith(("data:", "#")) for ref in references), references
    assert "@import" not in hostile_page
    assert hostile_page.count("<svg") == 1  # the chart, inline


def test_legend_and_colours_come_from_the_taxonomy(hostile_page, taxonomy):
    legend = re.findall(r'data-filter="([a-z_]+)"[^>]*style="background-color:(#[0-9a-f]{6})"', hostile_page)
    assert legend == list(category_colours(taxonomy).items())


def test_review_list_names_the_section_and_the_number_shown_in_it(taxonomy):
    from classifier.html_report import report_page
    from classifier.reports import ReportResult, SentenceResult
    from classifier.sections import Section

    sections = [Section("二、存在问题", 3, 4, "…"), Section("问题和不足", 9, 10, "…")]
    thresholds = np.full(len(taxonomy), 0.5)
    scores = np.zeros((4, len(taxonomy)))
    scores[3, 1] = 0.45  # the second sentence of the second section: a near miss
    sentences = [SentenceResult(section, f"句子{n}。", [], tuple(scores[n]))
                 for n, section in enumerate([0, 0, 1, 1])]
    model = SimpleNamespace(categories=taxonomy, thresholds=thresholds)
    page = report_page([ReportResult("甲.txt", sections, sentences)], model)
    [item] = re.findall(r'<section id="review">.*?<ol>(.*?)</ol>', page)
    assert item.startswith('<li><a href="#s-0-3">甲.txt 问题和不足 第 2 句</a>')
    assert f"{taxonomy[1].name} 得分 0.45，离阈值 0.50 只差 0.05" in item


# --- the page in a real browser -------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1280,900"]


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test, but {CHROMIUM} or {CHROMEDRIVER} is missing (.ci/run "
                        "installs Debian's chromium and chromium-driver)")
        pytest.skip(f"Chromium not installed ({CHROMIUM}, {CHROMEDRIVER}); apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.TemporaryDirectory(prefix="chromium-profile-")
    options.add_argument(f"--user-data-dir={profile.name}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()
    profile.cleanup()


@pytest.fixture(scope="module")
def rendered(browser, tmp_path_factory):
    """The report command's page for two reports (and one bad file), open in the browser, with the JSON of
    classify for the same two reports."""
    folder = tmp_path_factory.mktemp("page")
    page = folder / "report.html"
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(SAMPLE), str(CORPUS_REPORT), str(folder / "missing.txt"),
                                 "--html", str(page)])
    assert result.exit_code == 1  # the missing file; the other two are rendered
    assert "missing.txt" in result.stderr
    classified = runner.invoke(app, ["classify", str(SAMPLE), str(CORPUS_REPORT), "--format", "json"])
    assert classified.exit_code == 0
    browser.get(page.as_uri())
    return browser, json.loads(classified.stdout), browser.get_log("browser")


def test_page_loads_without_console_errors(rendered):
    _, _, log = rendered
    assert [entry for entry in log if entry["level"] in ("SEVERE", "WARNING")] == []


def test_every_sentence_is_shown_and_highlighted_as_in_the_json(rendered, taxonomy):
    from selenium.webdriver.common.by import By

    driver, reports, _ = rendered
    sentences = [sentence for report in reports for sentence in report["sentences"]]
    shown = driver.find_elements(By.CSS_SELECTOR, "li.sentence")
    assert [item.find_element(By.CSS_SELECTOR, ".text").text for item in shown] == [s["text"] for s in sentences]
    categorised = [s for s in sentences if s["categories"]]
    assert len(driver.find_elements(By.CSS_SELECTOR, "li.sentence.categorised")) == len(categorised) > 0
    assert len(driver.find_elements(By.CSS_SELECTOR, ".tags .tag")) == sum(len(s["categories"]) for s in sentences)
    colours = category_colours(taxonomy)
    backgrounds = driver.execute_script(
        "return Array.from(document.querySelectorAll('li.sentence.categorised .text'))"
        ".map(e => getComputedStyle(e).backgroundColor)")
    expected = [tint(colours[s["categories"][0]["id"]]) for s in categorised]
    assert backgrounds == [f"rgb({int(c[1:3], 16)}, {int(c[3:5], 16)}, {int(c[5:7], 16)})" for c in expected]
    first = categorised[0]["categories"][0]
    assert f"{first['name']} {first['score']:.2f}" in shown[0].find_element(By.CSS_SELECTOR, ".text").get_attribute(
        "title")


def test_legend_lists_every_category_and_filters(rendered, taxonomy):
    from selenium.webdriver.common.by import By

    driver, reports, _ = rendered
    buttons = driver.find_elements(By.CSS_SELECTOR, ".legend button")
    assert [button.text for button in buttons] == [category.name for category in taxonomy] + ["待复核"]
    sentences = [sentence for report in reports for sentence in report["sentences"]]
    counts = {c.id: sum(any(x["id"] == c.id for x in s["categories"]) for s in sentences) for c in taxonomy}
    busiest = max(counts, key=counts.get)
    button = driver.find_element(By.CSS_SELECTOR, f'.legend button[data-filter="{busiest}"]')

    def visible():
        return len([item for item in driver.find_elements(By.CSS_SELECTOR, "li.sentence") if item.is_displayed()])

    button.click()
    assert visible() == counts[busiest] < len(sentences)
    assert button.get_attribute("aria-pressed") == "true"
    button.click()
    assert visible() == len(sentences)


def test_review_marks_where_the_model_was_unsure(rendered):
    from selenium.webdriver.common.by import By

    driver, reports, _ = rendered
    model = load_model(DEFAULT_MODEL)
    marks = [review_marks(model, model.scores([s["text"] for s in report["sentences"]])) for report in reports]
    expected = [f"s-{number}-{index}" for number, report_marks in enumerate(marks)
                for index, mark in enumerate(report_marks) if mark is not None]
    assert expected, "the sample report has sentences the model is unsure of (README: sentence 5)"
    unsure = driver.find_elements(By.CSS_SELECTOR, "li.sentence.unsure")
    assert [item.get_attribute("id") for item in unsure] == expected
    assert all(item.find_element(By.CSS_SELECTOR, ".review-mark").text == "待复核" for item in unsure)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#review li a")) == len(expected)
    review_button = driver.find_element(By.CSS_SELECTOR, '.legend button[data-filter="review"]')
    review_button.click()
    assert [item.get_attribute("id") for item in driver.find_elements(By.CSS_SELECTOR, "li.sentence")
            if item.is_displayed()] == expected
    review_button.click()


def test_chinese_font_is_embedded_and_loaded_and_a_screenshot_is_taken(rendered, tmp_path):
    driver, _, _ = rendered
    fonts = driver.execute_async_script(
        "const done = arguments[0]; document.fonts.ready.then("
        "() => done(Array.from(document.fonts).map(f => [f.family.replace(/\"/g, ''), f.status])))")
    assert ["Noto Sans CJK SC (subset)", "loaded"] in fonts  # this machine may have no Chinese font of its own
    assert driver.find_element("css selector", ".chart svg").size["width"] > 500
    screenshot = tmp_path / "report.png"
    assert driver.save_screenshot(str(screenshot))
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000
