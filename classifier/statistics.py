"""Category statistics across reports, overall and per group, accumulated one report at a time so that memory
stays flat; and the comparison of two groups.

For each category: sentences given it, problems given it (a problem is one item of a report's problem list with
the sentences explaining it: see classifier.structure; it counts once however many of its sentences have the
category), reports with at least one, and its share of the problems that got any category.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from classifier.batch import BatchSummary
from classifier.output import StagedFiles, csv_text
from classifier.reports import FALLBACK_NOTE, ReportResult
from classifier.taxonomy import Category

STATISTICS_COLUMNS = ("category_id", "category", "sentences", "problems", "reports", "share")
GROUP_COLUMNS = ("group", *STATISTICS_COLUMNS)
FAILURE_COLUMNS = ("file", "kind", "message")
COMPARISON_COLUMNS = ("category_id", "category", "group_a", "problems_a", "share_a", "group_b", "problems_b",
                      "share_b", "change", "significant")
SIGNIFICANCE = 0.05


@dataclass
class Tally:
    """Counts for one set of reports (everything, or one group)."""

    sentences: Counter[str] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)
    reports: Counter[str] = field(default_factory=Counter)
    report_count: int = 0
    categorised_problems: int = 0
    categorised_sentences: int = 0

    def add(self, result: ReportResult) -> Counter[str]:
        sentences: Counter[str] = Counter()
        problem_categories: defaultdict[int, set[str]] = defaultdict(set)
        for sentence in result.sentences:
            if sentence.categories:
                self.categorised_sentences += 1
                problem_categories[sentence.problem].update(category.id for category in sentence.categories)
            sentences.update(category.id for category in sentence.categories)
        problems = Counter(category for found in problem_categories.values() for category in found)
        self.sentences.update(sentences)
        self.problems.update(problems)
        self.reports.update(sentences.keys())
        self.report_count += 1
        self.categorised_problems += len(problem_categories)
        return sentences

    def share(self, category_id: str) -> float:
        return round(self.problems[category_id] / self.categorised_problems, 4) if self.categorised_problems else 0.0


class CategoryStatistics:
    """Counts per category overall, per group and per report.  It is a batch sink that writes nothing: the
    outputs built on the counts (CSV files, workbook, chart, page) read them when the run is finished."""

    def __init__(self, categories: list[Category]) -> None:
        self.categories = list(categories)
        self.total = Tally()
        self.groups: dict[str, Tally] = {}
        self.per_report: list[tuple[str, str, Counter[str]]] = []

    @property
    def categorised_sentences(self) -> int:
        return self.total.categorised_sentences

    def add(self, report: ReportResult, group: str = "") -> None:
        counts = self.total.add(report)
        if group:
            self.groups.setdefault(group, Tally()).add(report)
        self.per_report.append((report.file, group, counts))

    def finish(self, summary: BatchSummary, files: StagedFiles) -> list[str]:
        return []

    def rows(self, tally: Tally | None = None) -> list[tuple[str, str, int, int, int, float]]:
        """One row per category (STATISTICS_COLUMNS), most problems first, ties in codebook order."""
        tally = tally or self.total
        rows = [(c.id, c.name, tally.sentences[c.id], tally.problems[c.id], tally.reports[c.id], tally.share(c.id))
                for c in self.categories]
        return sorted(rows, key=lambda row: (-row[3], -row[2]))

    def group_rows(self) -> list[tuple]:
        """One row per group and category (GROUP_COLUMNS), groups in name order."""
        return [(group, *row) for group in sorted(self.groups) for row in self.rows(self.groups[group])]

    def per_report_header(self) -> list[str]:
        return ["file", *(["group"] if self.groups else []), *[category.id for category in self.categories]]

    def per_report_rows(self) -> list[list[str | int]]:
        """One row per report: the file (and group), then the number of sentences in each category."""
        return [[file, *([group] if self.groups else []), *[counts[c.id] for c in self.categories]]
                for file, group, counts in self.per_report]

    def compare(self, group_a: str, group_b: str) -> list[tuple]:
        """The categories of two groups side by side (COMPARISON_COLUMNS): problems and shares, the change in
        percentage points, and whether the difference is beyond chance (two-sided Fisher exact test on the
        problems with and without the category, p < SIGNIFICANCE), so that a small group does not mislead."""
        a, b = self.groups[group_a], self.groups[group_b]
        rows = []
        for category in self.categories:
            share_a, share_b = a.share(category.id), b.share(category.id)
            p = fisher_exact_p(a.problems[category.id], a.categorised_problems - a.problems[category.id],
                               b.problems[category.id], b.categorised_problems - b.problems[category.id])
            rows.append((category.id, category.name, group_a, a.problems[category.id], share_a, group_b,
                         b.problems[category.id], share_b, round((share_b - share_a) * 100, 1), p < SIGNIFICANCE))
        return sorted(rows, key=lambda row: -abs(row[8]))


class GroupComparison:
    """Which two groups a grouped run compares: the two asked for, or the only two there are; it is a sink
    only to check, when the run is finished, that the groups asked for exist."""

    def __init__(self, statistics: CategoryStatistics, asked: tuple[str, str] | None = None) -> None:
        self.statistics = statistics
        self.asked = tuple(asked) if asked else None

    def add(self, result: ReportResult, group: str) -> None:
        pass

    def finish(self, summary: BatchSummary, files: StagedFiles) -> list[str]:
        missing = [group for group in self.asked or () if group not in self.statistics.groups]
        if missing:
            return [f"警告：--compare 中的组 {'、'.join(missing)} 不存在"
                    f"（现有：{'、'.join(sorted(self.statistics.groups)) or '无'}），未作比较"]
        return []

    def pair(self) -> tuple[str, str] | None:
        groups = sorted(self.statistics.groups)
        if self.asked:
            return self.asked if all(group in groups for group in self.asked) else None
        return (groups[0], groups[1]) if len(groups) == 2 else None

    def rows(self) -> list[tuple]:
        pair = self.pair()
        return self.statistics.compare(*pair) if pair else []

    def lines(self) -> list[str]:
        """The comparison in Chinese, one category per line, the largest change first."""
        pair = self.pair()
        if pair is None:
            return []
        return [f"{pair[0]} 与 {pair[1]} 的比较（按变化大小排列；问题数后是占本组有类别问题的比例）：",
                *(describe_change(row) for row in self.rows())]


def fisher_exact_p(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test on the 2x2 table [[a, b], [c, d]]."""
    from scipy.stats import fisher_exact

    if min(a + b, c + d) == 0:
        return 1.0
    return float(fisher_exact([[a, b], [c, d]])[1])


def describe_change(row: tuple) -> str:
    """One line in Chinese for a comparison row: which way the category moved, with counts and shares."""
    _, name, group_a, problems_a, share_a, group_b, problems_b, share_b, change, significant = row
    direction = "上升" if change > 0 else "下降" if change < 0 else "持平"
    verdict = "" if significant else "（差异可能是偶然的）"
    return (f"{name}：{group_a} {problems_a} 个问题（{share_a:.1%}）→ {group_b} {problems_b} 个问题（{share_b:.1%}），"
            f"{direction} {abs(change):.1f} 个百分点{verdict}")


def failure_rows(summary: BatchSummary) -> list[tuple[str, str, str]]:
    """The files a run did not count, one row each (FAILURE_COLUMNS), and the reports it read whole."""
    return ([(f.file, "失败", f.message) for f in summary.failed]
            + [(f.file, "跳过", f.message) for f in summary.skipped]
            + [(d.file, "重复", d.message) for d in summary.duplicates]
            + [(file, "全文分析", FALLBACK_NOTE) for file in summary.whole_text])


def failures_path(output: Path) -> Path:
    """Where the failures CSV goes beside a statistics CSV: stats.csv -> stats.failures.csv."""
    return output.with_name(f"{output.stem}.failures.csv")


class StatisticsFiles:
    """The CSV outputs of `stats`: the statistics (per group when grouped), with the failures CSV beside it, and
    the per-report counts."""

    def __init__(self, statistics: CategoryStatistics, output: Path | None, per_report: Path | None) -> None:
        self.statistics = statistics
        self.output = output
        self.per_report = per_report

    def add(self, result: ReportResult, group: str) -> None:
        pass  # the counts are kept by the shared CategoryStatistics

    def finish(self, summary: BatchSummary, files: StagedFiles) -> list[str]:
        written = []
        statistics = self.statistics
        if self.output is not None:
            if statistics.groups:
                files.write_text(self.output, csv_text(GROUP_COLUMNS, statistics.group_rows()))
            else:
                files.write_text(self.output, csv_text(STATISTICS_COLUMNS, statistics.rows()))
            failures, rows = failures_path(self.output), failure_rows(summary)
            files.write_text(failures, csv_text(FAILURE_COLUMNS, rows))
            groups = f"，{len(statistics.groups)} 组" if statistics.groups else ""
            written += [f"已写入 {self.output}（{statistics.total.report_count} 份报告{groups}）",
                        f"已写入 {failures}（{len(rows)} 个文件未计入或按全文分析）"]
        if self.per_report is not None:
            files.write_text(self.per_report, csv_text(statistics.per_report_header(), statistics.per_report_rows()))
            written.append(f"已写入 {self.per_report}")
        return written
