"""The HTML page of `classifier report`: every problem sentence highlighted by category, with its role, scores
and what decided them, a legend, the category chart and the sentences the model was unsure of, in one
self-contained file (CSS, script, chart and a font subset inline; it needs no network).

Unsure ("待复核") is defined on the model's scores and thresholds, within REVIEW_MARGIN (0.1) of a threshold, or
half the threshold when that is smaller (otherwise a threshold of 0.06 would put every score "close" to it):
- a sentence read as 其他 is unsure when its P(问题 or 原因) came within the margin of the gate threshold;
- a 问题/原因 sentence is unsure when that probability passed the gate by less than the margin, or when its top
  category scored less than threshold + margin (below its threshold even, when it was kept as the only
  category a problem has).
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template

from classifier.batch import BatchSummary
from classifier.charts import category_colours, chart_svg, svg_element
from classifier.fonts import WEB_FONT_FAMILY, web_font_css
from classifier.model import ProblemModel
from classifier.output import StagedFiles
from classifier.reports import ReportResult, SentenceResult
from classifier.statistics import CategoryStatistics, failure_rows

REVIEW_MARGIN = 0.1
TINT = 0.22  # share of the category colour in a highlighted sentence's background (the rest is white)
PROBLEM = "问题或原因"


@dataclass(frozen=True)
class ReviewMark:
    """Why a sentence needs a second look: a score (P(问题 or 原因), or a category's) close to its threshold."""

    what: str
    score: float
    threshold: float

    def describe(self) -> str:
        if self.score >= self.threshold:
            return (f"{self.what} 得分 {self.score:.2f}，只比阈值 {self.threshold:.2f} "
                    f"高 {self.score - self.threshold:.2f}")
        if self.what == PROBLEM:
            return (f"判为其他，但{PROBLEM}的概率 {self.score:.2f}，离阈值 {self.threshold:.2f} "
                    f"只差 {self.threshold - self.score:.2f}")
        return f"{self.what} 得分 {self.score:.2f}，低于阈值 {self.threshold:.2f}，因是最可能的类别而保留"


def review_margin(threshold: float) -> float:
    """The distance from a threshold within which a score counts as close: 0.1, or half a lower threshold."""
    return min(REVIEW_MARGIN, threshold / 2)


def review_marks(model: ProblemModel, sentences: Sequence[SentenceResult]) -> list[ReviewMark | None]:
    """For each sentence the ReviewMark, or None when the model was sure."""
    gate = float(model.gate_threshold)
    column = {category.id: index for index, category in enumerate(model.categories)}
    marks: list[ReviewMark | None] = []
    for sentence in sentences:
        mark = None
        if abs(sentence.problem_score - gate) < review_margin(gate):
            mark = ReviewMark(PROBLEM, sentence.problem_score, gate)
        elif sentence.categories:
            top = sentence.categories[0]
            threshold = float(model.thresholds[column[top.id]])
            if top.score < threshold + review_margin(threshold):
                mark = ReviewMark(top.name, top.score, threshold)
        marks.append(mark)
    return marks


def tint(colour: str, share: float = TINT) -> str:
    """Mix a #rrggbb colour with white, keeping ``share`` of the colour."""
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - channel) * share):02x}" for channel in channels)


def report_page(results: Sequence[ReportResult], model: ProblemModel, summary: BatchSummary | None = None) -> str:
    """Render the whole page for ``results`` (and name the files the run did not count) as HTML text."""
    statistics = CategoryStatistics(model.categories)
    for result in results:
        statistics.add(result)
    marks = [review_marks(model, result.sentences) for result in results]
    page = _Page(model, marks)
    body = "\n".join([
        page.summary(results, statistics),
        page.failures(summary),
        page.legend(statistics),
        f'<figure class="chart">{svg_element(chart_svg(statistics))}</figure>',
        page.review_list(results),
        *[page.report(number, result) for number, result in enumerate(results)],
    ])
    return PAGE.substitute(title=TITLE, font_face=web_font_css(body + SCRIPT), font_family=WEB_FONT_FAMILY,
                           style=STYLE, body=body, script=SCRIPT)


class HtmlOutput:
    """The sink of `report`: keeps the results and renders the page when the run is finished."""

    def __init__(self, model: ProblemModel, path: Path) -> None:
        self.model = model
        self.path = Path(path)
        self.results: list[ReportResult] = []

    def add(self, result: ReportResult, group: str) -> None:
        self.results.append(result)

    def finish(self, summary: BatchSummary, files: StagedFiles) -> list[str]:
        if not self.results:
            return []
        files.write_text(self.path, report_page(self.results, self.model, summary))
        return [f"已写入 {self.path}（{len(self.results)} 份报告）"]


class _Page:
    """The pieces of the page body, sharing the model's categories, their colours and the review marks."""

    def __init__(self, model: ProblemModel, marks: list[list[ReviewMark | None]]) -> None:
        self.model = model
        self.colours = category_colours(model.categories)
        self.thresholds = {category.id: float(threshold)
                           for category, threshold in zip(model.categories, model.thresholds, strict=True)}
        self.marks = marks

    def summary(self, results: Sequence[ReportResult], statistics: CategoryStatistics) -> str:
        sentences = sum(len(result.sentences) for result in results)
        review = sum(mark is not None for marks in self.marks for mark in marks)
        return (f"<header><h1>{TITLE}</h1>"
                f"<p>{len(results)} 份报告，{sentences} 句，其中 {statistics.categorised_sentences} 句有类别"
                f"（{statistics.total.categorised_problems} 个问题），"
                f'<a href="#review">{review} 句待复核</a>。句子底色是它得分最高的类别的颜色，右侧列出全部类别；'
                f"鼠标停在句子上可看角色、各类别得分与阈值，以及决定类别的词语。点图例中的类别只看该类句子。</p></header>")

    @staticmethod
    def failures(summary: BatchSummary | None) -> str:
        rows = failure_rows(summary) if summary else []
        if not rows:
            return ""
        items = "".join(f"<li>{html.escape(kind)}：{html.escape(file)}（{html.escape(message)}）</li>"
                        for file, kind, message in rows)
        return (f'<section class="failures"><h2>未计入或按全文分析的文件（{len(rows)} 个）</h2>'
                f"<ul>{items}</ul></section>")

    def legend(self, statistics: CategoryStatistics) -> str:
        counts = {row[0]: row[2] for row in statistics.rows()}  # sentences, as the page shows sentences
        buttons = [
            f'<li><button type="button" data-filter="{html.escape(category.id)}" '
            f'title="阈值 {self.thresholds[category.id]:.2f}" style="background-color:{self.colours[category.id]}">'
            f"{html.escape(category.name)}</button> <span class=\"count\">{counts[category.id]}</span></li>"
            for category in self.model.categories]
        buttons.append('<li><button type="button" data-filter="review" class="review-filter">待复核</button></li>')
        return (f'<nav class="legend" aria-label="图例"><ul>{"".join(buttons)}</ul>'
                f'<p id="filter-status" aria-live="polite"></p></nav>')

    def review_list(self, results: Sequence[ReportResult]) -> str:
        items = []
        for number, result in enumerate(results):
            for index, (mark, position) in enumerate(zip(self.marks[number], _positions(result), strict=True)):
                if mark is not None:
                    place = f"{result.file} {result.sections[result.sentences[index].section].heading} 第 {position} 句"
                    items.append(f'<li><a href="#{_anchor(number, index)}">{html.escape(place)}</a>：'
                                 f"{html.escape(mark.describe())}<br><q>{html.escape(result.sentences[index].text)}</q>"
                                 "</li>")
        rule = (f"是否问题拿不准（问题或原因的概率离阈值不到 {REVIEW_MARGIN}），或得分最高的类别离它的阈值不到 "
                f"{REVIEW_MARGIN}（阈值低于 {2 * REVIEW_MARGIN} 的类别，以阈值的一半为限）。")
        return (f'<section id="review"><h2>待复核的句子（{len(items)} 句）</h2><p>模型拿不准的句子：{rule}</p>'
                f'<ol>{"".join(items)}</ol></section>')

    def report(self, number: int, result: ReportResult) -> str:
        parts = [f'<section class="report"><h2>{html.escape(result.file)}</h2>']
        if result.note:
            parts.append(f'<p class="note">{html.escape(result.note)}</p>')
        for section_index, section in enumerate(result.sections):
            parts.append(f"<h3>{html.escape(section.heading)}"
                         f'<small>（第 {section.start_line}-{section.end_line} 行）</small></h3><ol class="sentences">')
            parts.extend(self.sentence(number, index, sentence)
                         for index, sentence in enumerate(result.sentences) if sentence.section == section_index)
            parts.append("</ol>")
        parts.append("</section>")
        return "".join(parts)

    def sentence(self, number: int, index: int, sentence: SentenceResult) -> str:
        """One <li>: the text in its top category's colour, a tag per category, a review mark when unsure; the
        hover says the role, the scores against their thresholds and what decided each category."""
        categories = sentence.categories
        mark = self.marks[number][index]
        ids = html.escape(" ".join(category.id for category in categories))
        hover = [f"{sentence.role}（问题或原因的概率 {sentence.problem_score:.2f}，"
                 f"阈值 {self.model.gate_threshold:.2f}）"]
        hover += [f"{c.name} {c.score:.2f}（阈值 {self.thresholds[c.id]:.2f}）" for c in categories]
        hover += [f"依据 {explanation.describe()}" for explanation in sentence.explanations]
        classes, review_attribute, style, review = ["sentence"], "", "", ""
        if categories:
            classes.append("categorised")
            colour = self.colours[categories[0].id]
            style = f' style="background-color:{tint(colour)};border-bottom-color:{colour}"'
        if mark is not None:
            classes.append("unsure")
            review_attribute = " data-review"
            hover.append(f"待复核：{mark.describe()}")
            review = f'<span class="review-mark" title="{html.escape(mark.describe())}">待复核</span>'
        tags = "".join(f'<span class="tag" style="background-color:{self.colours[c.id]}" '
                       f'title="得分 {c.score:.4f}，阈值 {self.thresholds[c.id]:.2f}">{html.escape(c.name)} '
                       f"{c.score:.2f}</span>" for c in categories)
        return (f'<li id="{_anchor(number, index)}" class="{" ".join(classes)}" data-categories="{ids}"'
                f'{review_attribute}><span class="text"{style} title="{html.escape(chr(10).join(hover))}">'
                f'{html.escape(sentence.text)}</span> <span class="tags">{tags}{review}</span></li>')


def _positions(result: ReportResult) -> list[int]:
    """The number each sentence has in its section's list (numbering starts again in every section)."""
    counts: Counter[int] = Counter()
    positions = []
    for sentence in result.sentences:
        counts[sentence.section] += 1
        positions.append(counts[sentence.section])
    return positions


def _anchor(number: int, index: int) -> str:
    return f"s-{number}-{index}"


TITLE = "述职报告问题归类"

PAGE = Template("""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<link rel="icon" href="data:,">
<style>
$font_face
body { font-family: "$font_family", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }
$style
</style>
</head>
<body>
$body
<script>
$script
</script>
</body>
</html>
""")

STYLE = """
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 4rem; color: #222; line-height: 1.6; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ddd; word-break: break-all; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
h3 small { font-weight: normal; color: #666; }
.legend { position: sticky; top: 0; background: #fff; padding: 0.4rem 0; z-index: 1;
          border-bottom: 1px solid #eee; }
.legend ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.3rem 0.8rem; margin: 0; padding: 0; }
.legend button { border: 2px solid transparent; border-radius: 4px; color: #fff; padding: 0.1rem 0.5rem;
                 font: inherit; cursor: pointer; }
.legend button[aria-pressed="true"] { border-color: #222; box-shadow: 0 0 0 2px #fff inset; }
.legend .review-filter { background: #fff; color: #b00020; border-color: #b00020; }
.legend .count { color: #666; font-size: 0.9rem; }
#filter-status { margin: 0.2rem 0 0; color: #444; font-size: 0.9rem; min-height: 1.2em; }
.chart { margin: 1rem 0; }
.chart svg { max-width: 100%; height: auto; }
ol.sentences { padding-left: 2.2rem; }
li.sentence { margin: 0.35rem 0; }
li.sentence .text { border-bottom: 3px solid transparent; padding: 0 0.1rem; }
li.sentence:not(.categorised) .text { color: #666; }
.tag { display: inline-block; color: #fff; border-radius: 3px; padding: 0 0.35rem; margin-left: 0.25rem;
       font-size: 0.85rem; }
.review-mark { display: inline-block; color: #b00020; border: 1px solid #b00020; border-radius: 3px;
               padding: 0 0.3rem; margin-left: 0.35rem; font-size: 0.85rem; }
li.unsure .text { outline: 2px dashed #b00020; outline-offset: 1px; }
#review li { margin: 0.4rem 0; }
#review q { color: #444; }
.failures { color: #b00020; }
.note { color: #8a5a00; }
[id] { scroll-margin-top: 7rem; }  /* anchors land below the sticky legend */
@media print { .legend { position: static; } }
"""

# Clicking a legend entry shows only the sentences of that category (or only those to review); again shows all.
SCRIPT = """
(function () {
  var buttons = document.querySelectorAll(".legend button");
  var sentences = document.querySelectorAll("li.sentence");
  var status = document.getElementById("filter-status");
  var current = "";
  function matches(sentence, filter) {
    if (filter === "") { return true; }
    if (filter === "review") { return sentence.hasAttribute("data-review"); }
    return (" " + sentence.getAttribute("data-categories") + " ").indexOf(" " + filter + " ") >= 0;
  }
  function show(filter) {
    var shown = 0;
    current = filter;
    for (var i = 0; i < sentences.length; i++) {
      var visible = matches(sentences[i], filter);
      sentences[i].hidden = !visible;
      if (visible) { shown++; }
    }
    for (var j = 0; j < buttons.length; j++) {
      buttons[j].setAttribute("aria-pressed", String(buttons[j].getAttribute("data-filter") === filter));
    }
    status.textContent = filter === "" ? "" :
      "显示 " + shown + " 句（共 " + sentences.length + " 句），再点一次显示全部";
  }
  for (var k = 0; k < buttons.length; k++) {
    buttons[k].addEventListener("click", function () {
      var filter = this.getAttribute("data-filter");
      show(current === filter ? "" : filter);
    });
  }
})();
"""
