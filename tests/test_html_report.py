"""Tests for classifier.html_report: the review rule, the hover of each sentence (role, scores against thresholds,
explanation), files and notes named, escaping, self-containment, the sink, and the page in a real headless
Chromium (skipped only where Chromium is absent and the CI variable is not set)."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from typer.testing import CliRunner

from classifier.batch import BatchSummary, Duplicate, finish
from classifier.charts import category_colours
from classifier.cli import app
from classifier.html_report import (
    REVIEW_MARGIN,
    HtmlOutput,
    ReviewMark,
    report_page,
    review_margin,
    review_marks,
    tint,
)
from classifier.model import CategoryScore
from classifier.readers import read_report
from classifier.reports import FALLBACK_NOTE, ReportFailure, ReportResult, SentenceResult, analyse_text
from classifier.sections import Section

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "sample_report.txt"
CORPUS_REPORT = ROOT / "data" / "corpus" / "000_4d81973d73741c05.txt"
HOSTILE = "\n".join(["述职报告", "二、存在的问题", '一是<script>alert("x")</script>经费保障不足&记录不全。',
                     "二是党员理论学习不深入，学习方式单一。", "三是三会一课流于形式，组织生活不规范。",
                     "三、下一步打算", "加强学习。"])
NO_SECTION = "述职报告\n今年召开党委会十次。\n党员理论学习不够深入，学习方式单一。\n"


# --- the review rule -------------------------------------------------------------------------------------------

@pytest.fixture
def three_categories(taxonomy):
    """Gate 0.5; thresholds 0.4 (责任落实), 0.3 (制度机制) and 0.06 (党员教育, margin 0.03)."""
    return SimpleNamespace(categories=taxonomy[:3], thresholds=np.array([0.4, 0.3, 0.06]), gate_threshold=0.5)


def sentence(role, problem_score, *categories):
    return SentenceResult("句子。", 3, 0, "问题", 1, "", "item", role, problem_score,
                          [CategoryScore(*category) for category in categories])


RESPONSIBILITY, MECHANISM = ("responsibility", "责任落实"), ("mechanism", "制度机制")
EDUCATION = ("education", "党员教育")


@pytest.mark.parametrize(("given", "expected"), [
    (sentence("其他", 0.45), ("问题或原因", 0.45, 0.5)),  # 其他, but P(问题 or 原因) 0.05 below the gate
    (sentence("其他", 0.41), ("问题或原因", 0.41, 0.5)),
    (sentence("其他", 0.35), None),  # 0.15 below: the model said no clearly enough
    (sentence("其他", 0.02), None),
    (sentence("问题", 0.95, (*RESPONSIBILITY, 0.45)), ("责任落实", 0.45, 0.4)),  # top category 0.05 above
    (sentence("原因", 0.95, (*RESPONSIBILITY, 0.3)), ("责任落实", 0.3, 0.4)),  # kept below its threshold
    (sentence("问题", 0.95, (*RESPONSIBILITY, 0.8)), None),  # the top category is clear
    (sentence("问题", 0.95, (*RESPONSIBILITY, 0.8), (*MECHANISM, 0.32)), None),  # a weak second one does not count
    (sentence("问题", 0.95, (*MECHANISM, 0.9), (*RESPONSIBILITY, 0.41)), None),  # the top is the colour-giving one
    (sentence("问题", 0.95, (*EDUCATION, 0.08)), ("党员教育", 0.08, 0.06)),  # within half a low threshold
    (sentence("问题", 0.95, (*EDUCATION, 0.10)), None),  # 0.04 above 0.06: beyond a margin of 0.03
])
def test_review_rule(three_categories, given, expected):
    [mark] = review_marks(three_categories, [given])
    if expected is None:
        assert mark is None
    else:
        assert isinstance(mark, ReviewMark)
        assert (mark.what, mark.score, mark.threshold) == pytest.approx(expected)
        assert mark.what in mark.describe()


def test_review_marks_describe_why(three_categories):
    other, above, below = review_marks(three_categories, [
        sentence("其他", 0.45), sentence("问题", 0.95, (*RESPONSIBILITY, 0.45)),
        sentence("问题", 0.95, (*RESPONSIBILITY, 0.3))])
    assert "其他" in other.describe() and "0.45" in other.describe() and "0.50" in other.describe()
    assert "0.45" in above.describe() and "0.40" in above.describe() and "高" in above.describe()
    assert "低于阈值" in below.describe() and "0.30" in below.describe()


def test_review_margins_are_0_1_or_half_a_low_threshold():
    assert REVIEW_MARGIN == 0.1
    assert [review_margin(t) for t in (0.5, 0.4, 0.2, 0.06)] == pytest.approx([0.1, 0.1, 0.1, 0.03])


def test_tint_mixes_with_white():
    assert tint("#ffffff") == "#ffffff"
    assert tint("#000000", 0.25) == "#bfbfbf"
    assert tint("#4e79a7", 1.0) == "#4e79a7"


# --- the page --------------------------------------------------------------------------------------------------

class Sentences(HTMLParser):
    """Collects each li.sentence: its id, classes, whether it is marked for review, and its text's title."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict] = []
        self._in_text = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "li" and "sentence" in classes:
            self.items.append({"id": attributes["id"], "classes": classes, "review": "data-review" in attributes,
                               "categories": attributes.get("data-categories", ""), "title": None, "text": ""})
        elif tag == "span" and "text" in classes and self.items:
            self.items[-1]["title"] = attributes.get("title")
            self._in_text = True

    def handle_endtag(self, tag):
        if tag == "span":
            self._in_text = False

    def handle_data(self, data):
        if self._in_text:
            self.items[-1]["text"] += data


def parsed(page):
    parser = Sentences()
    parser.feed(page)
    return parser.items


SUMMARY = BatchSummary(reports=2, failures=[ReportFailure("坏<文件>.docx", "坏<文件>.docx：无法读取"),
                                            ReportFailure("图.jpg", "图.jpg 不是支持的文件类型，已跳过", True)],
                       duplicates=[Duplicate("副本.txt", "<b>报告</b>&1.txt")], whole_text=["全文.txt"])


@pytest.fixture(scope="module")
def results(small_model):
    return [analyse_text(HOSTILE, "<b>报告</b>&1.txt", small_model, explained=True),
            analyse_text(NO_SECTION, "全文.txt", small_model, explained=True)]


@pytest.fixture(scope="module")
def page(results, small_model):
    return report_page(results, small_model, SUMMARY)


def test_report_text_is_escaped(page):
    assert '<script>alert("x")' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;经费保障不足&amp;记录不全。" in page
    assert "<b>报告</b>" not in page and "&lt;b&gt;报告&lt;/b&gt;&amp;1.txt" in page
    assert "坏&lt;文件&gt;.docx：无法读取" in page


def test_page_is_self_contained(page):
    references = re.findall(r'(?:src|href)="([^"]*)"', page) + re.findall(r"url\(([^)]*)\)", page)
    assert references and all(ref.startswith(("data:", "#")) for ref in references), references
    assert "@import" not in page
    assert not re.search(r"<(?:link|script|img|iframe)[^>]+(?:src|href)=\"https?:", page)
    assert page.count("<svg") == 1  # the chart, inline
    assert page.count("<html") == 1 and "@font-face" in page


def test_failures_skipped_files_duplicates_and_notes_are_named(page):
    named = (("坏&lt;文件&gt;.docx", "失败"), ("图.jpg", "跳过"), ("副本.txt", "重复"), ("全文.txt", "全文分析"))
    for file, kind in named:
        assert re.search(f"{re.escape(kind)}：{re.escape(file)}", page), (kind, file)
    assert f'<p class="note">{FALLBACK_NOTE}</p>' in page
    # the note sits in the section of the report read whole
    report = page[page.index("<h2>全文.txt</h2>"):]
    assert report.index(FALLBACK_NOTE) < report.index("</section>")


def test_every_sentence_is_shown_once(page, results):
    items = parsed(page)
    sentences = [s for result in results for s in result.sentences]
    assert [item["text"] for item in items] == [s.text for s in sentences]
    assert [item["categories"].split() for item in items] == [[c.id for c in s.categories] for s in sentences]
    assert ["categorised" in item["classes"] for item in items] == [bool(s.categories) for s in sentences]


def test_the_hover_holds_role_scores_against_thresholds_and_the_explanation(page, results, small_model):
    thresholds = {c.id: float(t) for c, t in zip(small_model.categories, small_model.thresholds, strict=True)}
    items = parsed(page)
    sentences = [s for result in results for s in result.sentences]
    assert any(s.explanations for s in sentences)
    for item, s in zip(items, sentences, strict=True):
        title = item["title"]
        assert title.startswith(s.role)
        assert f"{s.problem_score:.2f}" in title
        for category in s.categories:
            assert f"{category.name} {category.score:.2f}（阈值 {thresholds[category.id]:.2f}）" in title
        for explanation in s.explanations:
            assert explanation.describe() in title
            assert all(c.feature in title for c in explanation.contributions)


def test_the_hover_sets_p_problem_or_cause_against_the_gate_threshold(taxonomy):
    model = SimpleNamespace(categories=taxonomy, thresholds=np.full(len(taxonomy), 0.35), gate_threshold=0.55)
    result = ReportResult("甲.txt", [Section("二、存在问题", 2, 3, ((3, "…"),))],
                          [sentence("其他", 0.12), sentence("问题", 0.9, ("funding", "经费保障", 0.77))])
    [other, problem] = parsed(report_page([result], model))
    assert other["title"].startswith("其他") and "0.12" in other["title"]
    assert "经费保障 0.77（阈值 0.35）" in problem["title"]
    # the score that made the role, against its threshold (the gate), for 其他 and 问题 alike
    assert "阈值 0.55" in other["title"].splitlines()[0]
    assert "阈值 0.55" in problem["title"].splitlines()[0]


def test_sentences_to_review_are_marked_and_listed(small_model, taxonomy):
    model = SimpleNamespace(categories=small_model.categories, thresholds=np.full(len(taxonomy), 0.5),
                            gate_threshold=0.5, pipeline=small_model.pipeline)
    sections = [Section("二、存在问题", 3, 4, ((3, "…"),)), Section("问题和不足", 9, 10, ((9, "…"),))]
    sentences = [sentence("问题", 0.9, ("funding", "经费保障", 0.9)),
                 sentence("其他", 0.46),  # close to the gate
                 sentence("其他", 0.1),
                 sentence("问题", 0.9, ("funding", "经费保障", 0.55))]  # close to its threshold
    sentences = [SentenceResult(f"句子{n}。", s.line, section, s.part, s.problem, s.heading, s.kind, s.role,
                                s.problem_score, s.categories)
                 for n, (s, section) in enumerate(zip(sentences, [0, 0, 1, 1], strict=True))]
    page = report_page([ReportResult("甲.txt", sections, sentences)], model)
    items = parsed(page)
    assert [item["id"] for item in items if "unsure" in item["classes"]] == ["s-0-1", "s-0-3"]
    assert [item["id"] for item in items if item["review"]] == ["s-0-1", "s-0-3"]
    assert "待复核" in items[1]["title"] and "待复核" not in items[0]["title"]
    [listed] = re.findall(r'<section id="review">.*?<ol>(.*?)</ol>', page)
    links = re.findall(r'<a href="#(s-\d+-\d+)">([^<]*)</a>', listed)
    assert links == [("s-0-1", "甲.txt 二、存在问题 第 2 句"), ("s-0-3", "甲.txt 问题和不足 第 2 句")]
    assert "2 句待复核" in page


def test_the_page_marks_what_review_marks_says(page, results, small_model):
    expected = [f"s-{number}-{index}" for number, result in enumerate(results)
                for index, mark in enumerate(review_marks(small_model, result.sentences)) if mark is not None]
    assert [item["id"] for item in parsed(page) if item["review"]] == expected


def test_legend_and_colours_come_from_the_taxonomy(page, taxonomy):
    legend = re.findall(r'data-filter="([a-z_]+)"[^>]*style="background-color:(#[0-9a-f]{6})"', page)
    assert legend == list(category_colours(taxonomy).items())


def test_html_output_writes_the_page(tmp_path, results, small_model):
    path = tmp_path / "report.html"
    sink = HtmlOutput(small_model, path)
    for result in results:
        sink.add(result, "")
    [message] = finish([sink], SUMMARY)
    assert str(path) in message and "2" in message
    written = path.read_text(encoding="utf-8")
    assert written.startswith("<!DOCTYPE html>") and "坏&lt;文件&gt;.docx" in written
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_html_output_writes_nothing_without_reports(tmp_path, small_model):
    path = tmp_path / "report.html"
    assert finish([HtmlOutput(small_model, path)], SUMMARY) == []
    assert not path.exists()


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
def rendered(browser, tmp_path_factory, small_model_path):
    """The report command's page for two reports (and one bad file), made with the small model and open in the
    browser, with the JSON of classify for the same two reports."""
    folder = tmp_path_factory.mktemp("page")
    page = folder / "report.html"
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(SAMPLE), str(CORPUS_REPORT), str(folder / "missing.txt"),
                                 "--html", str(page), "--model", str(small_model_path), "--jobs", "1"])
    assert result.exit_code == 1, result.output  # the missing file; the other two are rendered
    assert "missing.txt" in result.stderr
    classified = runner.invoke(app, ["classify", str(SAMPLE), str(CORPUS_REPORT), "--format", "json",
                                     "--model", str(small_model_path), "--jobs", "1"])
    assert classified.exit_code == 0, classified.output
    browser.get(page.as_uri())
    return browser, json.loads(classified.stdout), browser.get_log("browser")


@pytest.mark.slow
def test_page_loads_without_console_errors(rendered):
    _, _, log = rendered
    assert [entry for entry in log if entry["level"] in ("SEVERE", "WARNING")] == []


@pytest.mark.slow
def test_every_sentence_is_shown_and_highlighted_as_in_the_json(rendered, taxonomy, small_model):
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
    thresholds = {c.id: float(t) for c, t in zip(small_model.categories, small_model.thresholds, strict=True)}
    for item, s in zip(shown, sentences, strict=True):
        title = item.find_element(By.CSS_SELECTOR, ".text").get_attribute("title")
        assert title.startswith(s["role"]) and f"{s['problem_score']:.2f}" in title
        for category in s["categories"]:
            assert f"{category['name']} {category['score']:.2f}（阈值 {thresholds[category['id']]:.2f}）" in title
        if s["categories"]:
            assert "依据" in title  # the report command explains every category


@pytest.mark.slow
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


@pytest.mark.slow
def test_review_marks_where_the_model_was_unsure(rendered, small_model):
    from selenium.webdriver.common.by import By

    driver, _, _ = rendered
    results = [analyse_text(read_report(path), str(path), small_model) for path in (SAMPLE, CORPUS_REPORT)]
    expected = [f"s-{number}-{index}" for number, result in enumerate(results)
                for index, mark in enumerate(review_marks(small_model, result.sentences)) if mark is not None]
    assert expected, "the small model is unsure of some sentences of these reports"
    unsure = driver.find_elements(By.CSS_SELECTOR, "li.sentence.unsure")
    assert [item.get_attribute("id") for item in unsure] == expected
    assert all(item.find_element(By.CSS_SELECTOR, ".review-mark").text == "待复核" for item in unsure)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#review li a")) == len(expected)
    review_button = driver.find_element(By.CSS_SELECTOR, '.legend button[data-filter="review"]')
    review_button.click()
    assert [item.get_attribute("id") for item in driver.find_elements(By.CSS_SELECTOR, "li.sentence")
            if item.is_displayed()] == expected
    review_button.click()


@pytest.mark.slow
def test_the_failed_file_is_named_on_the_page(rendered):
    from selenium.webdriver.common.by import By

    driver, _, _ = rendered
    failures = driver.find_element(By.CSS_SELECTOR, ".failures").text
    assert "missing.txt" in failures and "失败" in failures


@pytest.mark.slow
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

