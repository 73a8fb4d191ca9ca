"""The `classifier` command line: parses arguments, calls the library, prints.

Data goes to stdout or --output; messages and progress go to stderr.  Exit codes: 0 success, 1 bad input
(or some files of a batch failed), 2 wrong usage.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from classifier.errors import InputError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="找出党建述职报告中的“存在问题”，并按问题类别归类统计。")



@app.callback()
def _quiet_libraries() -> None:
    # pypdf logs every repair of a damaged PDF; our own one-line messages say what the user needs to know.
    logging.getLogger("pypdf").setLevel(logging.ERROR)


DataOption = Annotated[Path | None, typer.Option("--data", help="带标注的句子 CSV（默认 data/labeled/sentences.csv）")]
ModelOption = Annotated[Path | None, typer.Option("--model", help="模型文件（默认 models/default.joblib）")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="写入此文件，而不是标准输出")]
EncodingOption = Annotated[str | None, typer.Option("--encoding", help=".txt 文件的编码（默认自动识别）")]
SeedOption = Annotated[int, typer.Option("--seed", help="随机种子")]


def _fail(message: str) -> NoReturn:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(1)


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """Turn library errors into one line on stderr and exit code 1; print warnings as one line too."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        except InputError as error:
            _fail(str(error))
        except KeyboardInterrupt:
            _fail("已中断，未写入任何结果")
        finally:
            from classifier.model import ModelVersionWarning

            for warning in caught:
                if isinstance(warning.message, ModelVersionWarning):
                    typer.echo(f"警告：{warning.message}", err=True)


def _emit(text: str, output: Path | None) -> None:
    from classifier.output import write_text

    if output is None:
        sys.stdout.write(text)
    else:
        write_text(output, text)
        typer.echo(f"已写入 {output}", err=True)


def _load(model_path: Path | None):
    from classifier.model import DEFAULT_MODEL, load_model

    return load_model(model_path or DEFAULT_MODEL)


def _metrics_table(evaluation) -> str:
    lines = [f"{'类别':<8}{'id':<16}{'精确率':>8}{'召回率':>8}{'F1':>8}{'样本数':>8}"]
    for row in evaluation.per_category.itertuples():
        lines.append(f"{row.category:<8}{row.category_id:<16}{row.precision:>10.3f}{row.recall:>10.3f}"
                     f"{row.f1:>9.3f}{row.support:>10d}")
    summary = evaluation.summary()
    lines.append(f"micro-F1 {summary['micro_f1']:.3f}  macro-F1 {summary['macro_f1']:.3f}  "
                 f"top-1 {summary['top1_accuracy']:.3f}（{summary['problem_sentences']} 个问题/原因句）  "
                 f"“其他”句误判率 {summary['other_false_rate']:.3f}（{summary['other_sentences']} 句）")
    return "\n".join(lines) + "\n"


@app.command()
def train(
    data: DataOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="模型保存位置")] = None,
    taxonomy: Annotated[Path | None, typer.Option("--taxonomy", help="分类体系文件（默认 data/taxonomy.yaml）")] = None,
    seed: SeedOption = 0,
) -> None:
    """用带标注的句子训练模型：先做按段落分组的交叉验证并打印各类别成绩，再用全部数据训练并保存。"""
    from classifier.data import DEFAULT_DATA
    from classifier.training import load_training_data, train_on

    with _user_errors():
        categories, labelled = load_training_data(data, taxonomy)
        typer.echo(f"已读入 {len(labelled.frame)} 句，正在做分组交叉验证并训练模型……", err=True)
        _, evaluation, baseline, path = train_on(labelled, categories, (data or DEFAULT_DATA).name, output, seed)
        typer.echo("模型（分组 5 折交叉验证，嵌套选择阈值）：")
        typer.echo(_metrics_table(evaluation))
        typer.echo("关键词规则基线：")
        typer.echo(_metrics_table(baseline))
        typer.echo(f"已保存模型 {path}", err=True)


@app.command()
def evaluate(data: DataOption = None, model: ModelOption = None) -> None:
    """在带标注的数据上评估模型（若数据即训练数据，成绩偏高；交叉验证成绩见 train 的输出）。"""
    from classifier.training import evaluate_model

    with _user_errors():
        trained = _load(model)
        evaluation, baseline = evaluate_model(trained, data)
        typer.echo("模型：")
        typer.echo(_metrics_table(evaluation))
        typer.echo("关键词规则基线：")
        typer.echo(_metrics_table(baseline))
        cv = trained.metadata.get("cross_validation")
        if cv:
            typer.echo(f"该模型训练时的分组交叉验证：micro-F1 {cv['micro_f1']:.3f}  macro-F1 {cv['macro_f1']:.3f}  "
                       f"top-1 {cv['top1_accuracy']:.3f}  “其他”句误判率 {cv['other_false_rate']:.3f}")


@app.command()
def audit(
    data: DataOption = None,
    output: OutputOption = None,
    margin: Annotated[float, typer.Option("--margin", min=0.5, max=1.0,
                                          help="交叉验证得分与标注相反到何种程度才列出")] = 0.7,
    seed: SeedOption = 0,
) -> None:
    """列出交叉验证预测与人工标注强烈不一致的句子，供复核标注。"""
    from classifier.output import csv_text
    from classifier.training import audit_labels, load_training_data

    with _user_errors():
        categories, labelled = load_training_data(data)
        typer.echo(f"已读入 {len(labelled.frame)} 句，正在做分组交叉验证……", err=True)
        disagreements = audit_labels(labelled, categories, margin, seed)
        _emit(csv_text(list(disagreements.columns), disagreements.itertuples(index=False)), output)
        typer.echo(f"{len(disagreements)} 句的标注与模型强烈不一致", err=True)


@contextlib.contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[], None]]:
    """Yield a function to call once per finished item; it draws a progress bar when stderr is a terminal."""
    if total > 1 and sys.stderr.isatty():
        with typer.progressbar(length=total, label=label, file=sys.stderr) as bar:
            yield lambda: bar.update(1)
    else:
        yield lambda: None


def _report_files(paths: list[Path]) -> list[Path]:
    from classifier.reading import find_report_files

    files = find_report_files(paths)
    if not files:
        raise InputError(f"在 {'、'.join(map(str, paths))} 中没有找到 .txt/.docx/.pdf 报告")
    return files


def _analyse(files: list[Path], model, all_sentences: bool, encoding: str | None, jobs: int | None,
             failures: list):
    """Yield the result of every report; print each failure as it happens and collect it in ``failures``."""
    from classifier.parallel import analyse_reports_in_parallel, available_cores
    from classifier.reports import ReportFailure

    with _progress(len(files), "分析报告") as advance:
        for result in analyse_reports_in_parallel(files, model, all_sentences, encoding, jobs or available_cores()):
            advance()
            if isinstance(result, ReportFailure):
                failures.append(result)
                typer.echo(f"错误：{result.message}", err=True)
            else:
                yield result


def _exit_if_failed(failures: list, files: list[Path]) -> None:
    if failures and len(files) > 1:
        typer.echo(f"{len(files)} 个文件中有 {len(failures)} 个未能处理：{'、'.join(f.file for f in failures)}",
                   err=True)
    if failures:
        raise typer.Exit(1)


Paths = Annotated[list[Path], typer.Argument(help="报告文件或文件夹（.txt/.docx/.pdf）", show_default=False)]
AllSentences = Annotated[bool, typer.Option("--all-sentences", help="不找“存在问题”部分，对全文逐句分类")]
JobsOption = Annotated[int | None, typer.Option("--jobs", "-j", min=1, show_default=False,
                                                help="最多同时使用的进程数（默认为 CPU 核数；输入较少时只用一个进程）")]


@app.command()
def classify(
    reports: Paths,
    model: ModelOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table、json 或 csv")] = "table",
    output: OutputOption = None,
    all_sentences: AllSentences = False,
    encoding: EncodingOption = None,
    jobs: JobsOption = None,
) -> None:
    """找出报告的问题部分，分句并给每句标出问题类别。"""
    from classifier.formatting import REPORT_FORMATS

    if format not in REPORT_FORMATS:
        raise typer.BadParameter(f"应为 {'、'.join(REPORT_FORMATS)} 之一", param_hint="--format")

    failures: list = []
    with _user_errors():
        files = _report_files(reports)
        trained = _load(model)
        results = list(_analyse(files, trained, all_sentences, encoding, jobs, failures))
        if results:
            _emit(REPORT_FORMATS[format](results), output)
    _exit_if_failed(failures, files)


@app.command()
def predict(
    sentences: Annotated[Path, typer.Argument(help="句子文件：.csv 或每行一句的 .txt", show_default=False)],
    text_column: Annotated[str, typer.Option("--text-column", help="CSV 中文本所在的列")] = "text",
    model: ModelOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json 或 csv")] = "json",
    output: OutputOption = None,
    encoding: EncodingOption = None,
    jobs: JobsOption = None,
) -> None:
    """直接给句子分类（不找问题部分），按输入顺序输出。"""
    from classifier.data import read_sentences
    from classifier.formatting import SENTENCE_FORMATS
    from classifier.parallel import available_cores, predict_sentences

    if format not in SENTENCE_FORMATS:
        raise typer.BadParameter(f"应为 {'、'.join(SENTENCE_FORMATS)} 之一", param_hint="--format")
    with _user_errors():
        texts = read_sentences(sentences, text_column, encoding)
        trained = _load(model)
        _emit(SENTENCE_FORMATS[format](texts, predict_sentences(trained, texts, jobs or available_cores())), output)


@app.command()
def stats(
    reports: Paths,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="类别统计 CSV")] = None,
    per_report: Annotated[Path | None, typer.Option("--per-report", help="按报告统计的 CSV")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Excel 工作簿：汇总、按报告、问题句三张表")] = None,
    chart: Annotated[Path | None, typer.Option("--chart", help="各类别句数与报告数的条形图（PNG）")] = None,
    model: ModelOption = None,
    all_sentences: AllSentences = False,
    encoding: EncodingOption = None,
    jobs: JobsOption = None,
) -> None:
    """统计多份报告中各类问题出现的句数和报告数，写成 CSV、Excel 工作簿或图。

    --output、--per-report、--xlsx、--chart 至少给出一个。
    """
    from classifier.output import check_writable, csv_text, write_bytes, write_text
    from classifier.statistics import STATISTICS_COLUMNS, CategoryStatistics

    targets = [path for path in (output, per_report, xlsx, chart) if path is not None]
    if not targets:
        raise typer.BadParameter("至少给出 --output、--per-report、--xlsx、--chart 之一", param_hint="--output")
    failures: list = []
    with _user_errors(), contextlib.ExitStack() as stack:
        for target in targets:  # a mistyped path should fail now, not after an hour of reading
            check_writable(target)
        files = _report_files(reports)
        trained = _load(model)
        statistics = CategoryStatistics(trained.categories)
        workbook = None
        if xlsx is not None:
            from classifier.workbook import StatisticsWorkbook

            workbook = stack.enter_context(StatisticsWorkbook())
        for result in _analyse(files, trained, all_sentences, encoding, jobs, failures):
            statistics.add(result)
            if workbook is not None:
                workbook.add(result)
        if statistics.per_report:
            if output is not None:
                write_text(output, csv_text(STATISTICS_COLUMNS, statistics.rows()))
                typer.echo(f"已写入 {output}（{len(statistics.per_report)} 份报告）", err=True)
            if per_report is not None:
                write_text(per_report, csv_text(statistics.per_report_header(), statistics.per_report_rows()))
                typer.echo(f"已写入 {per_report}", err=True)
            if workbook is not None:
                workbook.save(xlsx, statistics)
                typer.echo(f"已写入 {xlsx}（{workbook.sentence_rows} 句）", err=True)
            if chart is not None:
                from classifier.charts import chart_png

                write_bytes(chart, chart_png(statistics))
                typer.echo(f"已写入 {chart}", err=True)
    _exit_if_failed(failures, files)


@app.command()
def report(
    reports: Paths,
    html: Annotated[Path, typer.Option("--html", help="写入的 HTML 页面", show_default=False)],
    model: ModelOption = None,
    all_sentences: AllSentences = False,
    encoding: EncodingOption = None,
    jobs: JobsOption = None,
) -> None:
    """把报告的问题句按类别着色，连同图例、统计图和待复核的句子，写成一个可离线打开的 HTML 页面。"""
    from classifier.output import check_writable, write_text

    failures: list = []
    with _user_errors():
        check_writable(html)
        files = _report_files(reports)
        trained = _load(model)
        results = list(_analyse(files, trained, all_sentences, encoding, jobs, failures))
        if results:
            from classifier.html_report import report_page

            write_text(html, report_page(results, trained, failures))
            typer.echo(f"已写入 {html}（{len(results)} 份报告）", err=True)
    _exit_if_failed(failures, files)


def main() -> None:
    app(prog_name="classifier")
