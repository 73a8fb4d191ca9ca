"""Category statistics across many reports, accumulated one report at a time so that memory stays flat."""

from __future__ import annotations

from collections import Counter

from classifier.reports import ReportResult
from classifier.taxonomy import Category

STATISTICS_COLUMNS = ("category_id", "category", "sentences", "reports", "share")


class CategoryStatistics:
    """Counts per category: sentences assigned it, reports with at least one such sentence, and per report."""

    def __init__(self, categories: list[Category]) -> None:
        self.categories = list(categories)
        self.sentences: Counter[str] = Counter()
        self.reports: Counter[str] = Counter()
        self.categorised_sentences = 0
        self.per_report: list[tuple[str, Counter[str]]] = []

    def add(self, report: ReportResult) -> None:
        counts: Counter[str] = Counter()
        for sentence in report.sentences:
            if sentence.categories:
                self.categorised_sentences += 1
            counts.update(category.id for category in sentence.categories)
        self.sentences.update(counts)
        self.reports.update(counts.keys())
        self.per_report.append((report.file, counts))

    def rows(self) -> list[tuple[str, str, int, int, float]]:
        """One row per category (STATISTICS_COLUMNS), most frequent first, ties in codebook order."""
        total = self.categorised_sentences
        rows = [(c.id, c.name, self.sentences[c.id], self.reports[c.id],
                 round(self.sentences[c.id] / total, 4) if total else 0.0) for c in self.categories]
        return sorted(rows, key=lambda row: -row[2])

    def per_report_header(self) -> list[str]:
        return ["file", *[category.id for category in self.categories]]

    def per_report_rows(self) -> list[list[str | int]]:
        """One row per report: the file, then the number of sentences in each category."""
        return [[file, *[counts[c.id] for c in self.categories]] for file, counts in self.per_report]
