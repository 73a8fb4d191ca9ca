"""The `classifier` command line: parses arguments, calls the library, prints.

Data goes to stdout or --output; messages and progress go to stderr.  Exit codes: 0 success, 1 bad input or some
files of a batch failed, 2 wrong usage, 3 some files skipped as not reports (the rest done), 130 interrupted
(Ctrl-C), 143 terminated (SIGTERM).  Usage errors and help are in Chinese (classifier.cli_text).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from classifier import __version__
from classifier.cli_text import LocalisedCommand, LocalisedGroup, usage_error_lines
from classifier.errors import InputError, OutputPathError
from classifier.readers import reader_for, supported_formats
from classifier.resources import MODEL_VARIABLE

EXIT_FAILED, EXIT_USAGE, EXIT_SKIPPED, EXIT_INTERRUPTED, EXIT_TERMINATED = 1, 2, 3, 130, 143
INTERRUPTED = "已中断，未完成的输出没有写入，已有的文件保持原样"

app = typer.Typer(cls=LocalisedGroup, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="找出党建述职报告中的“存在问题”，给每句标出角色（问题/原因/其他）和问题类别，并跨报告统计比较。")
command = app.command


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"classifier {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", "-V", callback=_show_version, is_eager=True,
                                                help="显示版本号并退出")] = False) -> None:
    # pypdf logs every repair of a damaged PDF; our own one-line messages say what the user needs to know.
    logging.getLogger("pypdf").setLevel(logging.ERROR)


DataOption = Annotated[list[Path] | None, typer.Option(
    "--data", help="带标注的句子（CSV 或工作簿，可重复；默认为随附的标注数据）", show_default=False)]
ModelOption = Annotated[Path | None, typer.Option(
    "--model", help=f"模型文件（默认取环境变量 {MODEL_VARIABLE}，否则为随附模型）", show_default=False)]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="写入此文件，而不是标准输出",
                                                   show_default=False)]
EncodingOption = Annotated[str | None, typer.Option("--encoding", help="文本和 CSV 文件的编码（默认自动识别）",
                                                    show_default=False)]
SeedOption = Annotated[int, typer.Option("--seed", help="随机种子")]
Paths = Annotated[list[Path], typer.Argument(help=f"报告文件或文件夹（读取 {supported_formats()}）", metavar="报告",
                                             show_default=False)]
AllSentences = Annotated[bool, typer.Option("--all-sentences", help="不找“存在问题”部分，对全文逐句分类")]
Strict = Annotated[bool, typer.Option("--strict", help="找不到问题部分的报告按失败处理（默认按全文分析）")]
JobsOption = Annotated[int | None, typer.Option("--jobs", "-j", min=1, show_default=False,
                                                help="最多同时使用的进程数（默认为 CPU 核数；输入较少时只用一个进程）")]
ExplainOption = Annotated[bool, typer.Option("--explain", help="列出决定每个类别的词语和上下文所占比重")]


def _fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(code)


def _say(line: str) -> None:
    typer.echo(line, err=True)


def _echo_lines(lines: list[str]) -> None:
    if lines:
        _write_stdout("\n".join(lines) + "\n")


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """Turn library errors into one line on stderr and exit code 1; print model warnings as one line too."""
    from classifier.model import ModelVersionWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        except InputError as error:
            _fail(str(error))
        finally:
            for warning in caught:
                if isinstance(warning.message, ModelVersionWarning):
                    _say(f"警告：{warning.message}")


def _model_path(model: Path | None) -> Path:
    from classifier.api import default_model_path

    return model or default_model_path()


def _load(model: Path | None):
    from classifier.api import load_model

    return load_model(model)


def _check_outputs(*outputs: tuple[Path | None, tuple[str, ...]], inputs: Sequence[Path] = ()) -> None:
    """Refuse, before any work, an output whose folder is missing, whose suffix does not fit it, that is one of
    the ``inputs`` (or lies in an input folder's files), or that another output of the run also names."""
    from classifier.output import check_writable

    taken: dict[Path, Path] = {}
    folders = [given.resolve() for given in inputs if given.is_dir()]
    for given in inputs:
        if given.is_file():
            taken[given.resolve()] = given
    for path, suffixes in outputs:
        if path is None:
            continue
        if suffixes and path.suffix.lower() not in suffixes:
            raise OutputPathError(f"{path} 的扩展名应为 {' 或 '.join(suffixes)}")
        check_writable(path)
        resolved = path.resolve()
        if resolved in taken or (resolved.is_file() and reader_for(resolved)
                                 and any(resolved.is_relative_to(folder) for folder in folders)):
            raise OutputPathError(f"输出文件 {path} 是要读取的文件之一（或与另一输出同名），请换一个文件名，以免覆盖")
        taken[resolved] = path


def _metrics_table(evaluation) -> str:
    lines = [f"{'类别':<8}{'id':<16}{'精确率':>8}{'召回率':>8}{'F1':>8}{'样本数':>8}"]
    for row in evaluation.per_category.itertuples():
        lines.append(f"{row.category:<8}{row.category_id:<16}{row.precision:>10.3f}{row.recall:>10.3f}"
                     f"{row.f1:>9.3f}{row.support:>10d}")
    summary = evaluation.summary()
    lines.append(f"micro-F1 {summary['micro_f1']:.3f}  macro-F1 {summary['macro_f1']:.3f}  "
                 f"top-1 {summary['top1_accuracy']:.3f}（{summary['problem_sentences']} 个问题/原因句，"
                 f"其中 {summary['no_category_rate']:.1%} 没有类别）  "
                 f"“其他”句误判率 {summary['other_false_rate']:.3f}（{summary['other_sentences']} 句）  "
                 f"角色正确率 {summary['role_accuracy']:.3f}")
    return "\n".join(lines) + "\n"


@command(cls=LocalisedCommand, short_help="用带标注的句子训练模型")
def train(
    data: DataOption = None,
    add: Annotated[list[Path] | None, typer.Option(
        "--add", help="追加的更正（classify 的 CSV 或 stats 的工作簿，可重复）；同一句以更正为准",
        show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="模型保存位置", show_default=False)] = None,
    taxonomy: Annotated[Path | None, typer.Option("--taxonomy", help="分类体系文件（默认为随附的 taxonomy.yaml）",
                                                  show_default=False)] = None,
    cross_validate: Annotated[bool, typer.Option(
        "--cv", help="先做按段落分组的 5 折交叉验证，打印各类别成绩（较慢）")] = False,
    encoding: EncodingOption = None,
    seed: SeedOption = 0,
) -> None:
    """用带标注的句子训练模型并保存。

    默认在随附的标注数据上训练；--add 追加更正过的句子（名称或 id 均可），--data 换掉随附数据。
    不是在随附数据上原样训练时，必须用 --output 指定保存位置：随附模型不会被覆盖。
    """
    from classifier.training import default_output, load_training_data
    from classifier.training import train as train_model

    with _user_errors():
        target = output or default_output(custom=bool(data or add))
        _check_outputs((target, (".joblib",)), inputs=[*(data or []), *(add or [])])
        categories, labelled = load_training_data(data, add or [], taxonomy, encoding)
        _say(f"已读入 {len(labelled.frame)} 句（真实报告句 {int(labelled.scored.sum())} 句），正在训练……")
        result = train_model(labelled, categories, seed, cross_validation=cross_validate)
        for message in result.warnings:
            _say(f"警告：{message}")
        if result.cross_validation is not None:
            typer.echo("模型（真实报告句，按段落分组的 5 折交叉验证，句子带上下文，嵌套选择阈值）：")
            typer.echo(_metrics_table(result.cross_validation.evaluation))
            typer.echo("同一模型对单独的句子（不带上下文，如 predict）：")
            typer.echo(_metrics_table(result.cross_validation.bare))
            typer.echo("关键词规则基线：")
            typer.echo(_metrics_table(result.baseline))
        from classifier.model import save_model

        save_model(result.model, target)
        _say(f"已保存模型 {target}")


@command(cls=LocalisedCommand, short_help="在带标注的句子上评估模型，或比较两个模型")
def evaluate(
    data: DataOption = None,
    model: ModelOption = None,
    compare: Annotated[Path | None, typer.Option("--compare", help="与此模型比较（同一批句子，逐类别并列）",
                                                 show_default=False)] = None,
    encoding: EncodingOption = None,
    seed: SeedOption = 0,
) -> None:
    """在带标注的句子上评估模型（只用真实报告句，句子带上下文）。

    用训练时没见过的句子评估才有意义。--compare 把两个模型并列，并给出 micro-F1 差值的自助法 95% 区间，
    说明数据是否足以分出两者高下。
    """
    from classifier.training import compare_models, evaluate_saved

    with _user_errors():
        first = _load(model)
        if compare is None:
            evaluation, baseline, data_size = evaluate_saved(first, data, encoding)
            typer.echo(f"模型（{data_size} 句真实报告句）：")
            typer.echo(_metrics_table(evaluation))
            typer.echo("关键词规则基线：")
            typer.echo(_metrics_table(baseline))
            cv = first.metadata.get("cross_validation")
            if cv:
                typer.echo(f"该模型训练时的分组交叉验证：micro-F1 {cv['micro_f1']:.3f}  macro-F1 {cv['macro_f1']:.3f}  "
                           f"top-1 {cv['top1_accuracy']:.3f}  “其他”句误判率 {cv['other_false_rate']:.3f}")
            return
        from classifier.model import load_model

        comparison = compare_models(first, load_model(compare), data, encoding, seed)
        typer.echo(comparison.table(_model_path(model).name, compare.name))


@command(cls=LocalisedCommand, short_help="列出交叉验证结果与标注强烈不一致的句子")
def audit(
    data: DataOption = None,
    output: OutputOption = None,
    margin: Annotated[float, typer.Option("--margin", min=0.5, max=1.0,
                                          help="交叉验证得分与标注相反到何种程度才列出")] = 0.7,
    encoding: EncodingOption = None,
    seed: SeedOption = 0,
) -> None:
    """列出交叉验证预测与人工标注强烈不一致的句子，供复核标注。"""
    from classifier.output import csv_text
    from classifier.training import audit_labels, load_training_data

    with _user_errors():
        _check_outputs((output, ()), inputs=data or [])
        categories, labelled = load_training_data(data, [], None, encoding)
        _say(f"已读入 {len(labelled.frame)} 句，正在做分组交叉验证……")
        disagreements = audit_labels(labelled, categories, margin, seed)
        _emit(csv_text(list(disagreements.columns), disagreements.itertuples(index=False)), output)
        _say(f"{len(disagreements)} 句的标注与模型强烈不一致")


def _write_stdout(text: str) -> None:
    """Data to stdout: as text on a terminal, as UTF-8 bytes when redirected (a Chinese Windows would otherwise
    encode it in GBK, which has no BOM and not every character)."""
    if sys.stdout.isatty() or not hasattr(sys.stdout, "buffer"):
        sys.stdout.write(text)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()


def _emit(text: str, output: Path | None) -> None:
    from classifier.output import write_text

    if output is None:
        _write_stdout(text)
    else:
        write_text(output, text)
        _say(f"已写入 {output}")


@contextlib.contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[], None]]:
    """Yield a function to call once per finished item; it draws a progress bar when stderr is a terminal."""
    if total > 1 and sys.stderr.isatty():
        with typer.progressbar(length=total, label=label, file=sys.stderr) as bar:
            yield lambda: bar.update(1)
    else:
        yield lambda: None


def _run(paths: list[Path], model, options, sinks, grouping=None) -> None:
    """Run the batch over ``paths`` into ``sinks``, print what happened, and exit with the code that says it."""
    from classifier.batch import finish, report_files, run_batch

    def on_report(result) -> None:
        from classifier.reports import ReportFailure

        if isinstance(result, ReportFailure):
            _say(f"{'已跳过' if result.unsupported else '错误'}：{result.message}")
        elif result.note:
            _say(f"注意：{result.file}：{result.note}")

    def on_duplicate(duplicate) -> None:
        _say(f"警告：{duplicate.message}")

    files, skipped = report_files(paths)
    with _progress(len(files), "分析报告") as advance:
        summary = run_batch(files, skipped, model, options, sinks, grouping, on_report, on_duplicate, advance)
    for file in summary.ungrouped:
        _say(f"警告：分组表中找不到 {file}，归入（未分组）")
    for line in finish(sinks, summary):
        _say(line)
    counted = summary.reports + len(summary.failures) + len(summary.duplicates)
    if summary.failures and counted > 1:
        _say(f"{counted} 个文件中，{len(summary.failed)} 个未能处理，{len(summary.skipped)} 个不是支持的格式已跳过："
             f"{'、'.join(failure.file for failure in summary.failures)}")
    if summary.failed:
        raise typer.Exit(EXIT_FAILED)
    if summary.skipped:
        raise typer.Exit(EXIT_SKIPPED)


def _options(all_sentences: bool, strict: bool, encoding: str | None, jobs: int | None, explained: bool = False):
    from classifier.batch import BatchOptions
    from classifier.encodings import check_encoding
    from classifier.parallel import available_cores

    if encoding is not None:
        check_encoding(encoding)

    return BatchOptions(all_sentences, strict, encoding, jobs or available_cores(), explained)


@command(cls=LocalisedCommand, short_help="找出报告的问题部分，给每句标出角色和类别")
def classify(
    reports: Paths,
    model: ModelOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table、json 或 csv")] = "table",
    output: OutputOption = None,
    explain: ExplainOption = False,
    all_sentences: AllSentences = False,
    strict: Strict = False,
    encoding: EncodingOption = None,
    jobs: JobsOption = None,
) -> None:
    """找出报告的问题部分，分句并给每句标出角色（问题/原因/其他）和问题类别。

    csv 格式即“问题句”表：改正其中的 role、labels 两列后，可用 train --add 训练自己的模型。
    """
    from classifier.formatting import REPORT_FORMATS, ReportsOutput

    if format not in REPORT_FORMATS:
        raise typer.BadParameter(f"应为 {'、'.join(REPORT_FORMATS)} 之一", param_hint="--format")
    with _user_errors():
        _check_outputs((output, ()), inputs=reports)
        trained = _load(model)
        sink = ReportsOutput(format, output, _write_stdout)
        _run(reports, trained, _options(all_sentences, strict, encoding, jobs, explain), [sink])


@command(cls=LocalisedCommand, short_help="直接给句子分类（不找问题部分）")
def predict(
    sentences: Annotated[Path, typer.Argument(help="句子文件：.csv、.xlsx 或每行一句的 .txt", metavar="句子文件",
                                              show_default=False)],
    text_column: Annotated[str, typer.Option("--text-column", help="CSV 中文本所在的列")] = "text",
    model: ModelOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json 或 csv")] = "json",
    output: OutputOption = None,
    encoding: EncodingOption = None,
    jobs: JobsOption = None,
) -> None:
    """直接给句子分类（不找问题部分，句子不带上下文），按输入顺序输出。"""
    from classifier.data import read_sentences
    from classifier.formatting import SENTENCE_FORMATS
    from classifier.parallel import available_cores, predict_sentences

    if format not in SENTENCE_FORMATS:
        raise typer.BadParameter(f"应为 {'、'.join(SENTENCE_FORMATS)} 之一", param_hint="--format")
    with _user_errors():
        _check_outputs((output, ()), inputs=[sentences])
        texts = read_sentences(sentences, text_column, encoding)
        trained = _load(model)
        _emit(SENTENCE_FORMATS[format](texts, predict_sentences(trained, texts, jobs or available_cores())), output)


@command(cls=LocalisedCommand, short_help="统计多份报告中各类问题，按组比较，写成 CSV、工作簿或图")
def stats(
    reports: Paths,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="类别统计 CSV（旁边另写 .failures.csv）",
                                                show_default=False)] = None,
    per_report: Annotated[Path | None, typer.Option("--per-report", help="按报告统计的 CSV",
                                                    show_default=False)] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx",
                                              help="Excel 工作簿（汇总、按组、对比、按报告、问题句、未计入文件）",
                                              show_default=False)] = None,
    chart: Annotated[Path | None, typer.Option("--chart", help="类别图（.png 或 .svg）", show_default=False)] = None,
    group_by: Annotated[str | None, typer.Option(
        "--group-by", help="分组：folder（所给文件夹下的第一级子文件夹）或一个 CSV 文件（列 file、group）",
        show_default=False)] = None,
    compare: Annotated[tuple[str, str] | None, typer.Option(
        "--compare", help="比较两个组（如 --compare 2023 2024）；只有两个组时自动比较", show_default=False)] = None,
    model: ModelOption = None,
    all_sentences: AllSentences = False,
    strict: Strict = False,
    encoding: EncodingOption = None,
    jobs: JobsOption = None,
) -> None:
    """统计多份报告中各类问题的句数、问题数和报告数，可按单位类型、乡镇或年份分组比较。

    --output、--per-report、--xlsx、--chart 至少给出一个。
    """
    from classifier.statistics import CategoryStatistics, GroupComparison, StatisticsFiles

    if not any((output, per_report, xlsx, chart)):
        raise typer.BadParameter("至少给出 --output、--per-report、--xlsx、--chart 之一", param_hint="--output")
    if compare and not group_by:
        raise typer.BadParameter("需要和 --group-by 一起使用", param_hint="--compare")
    with _user_errors(), contextlib.ExitStack() as stack:
        from classifier.charts import CHART_SUFFIXES, ChartOutput
        from classifier.statistics import failures_path

        _check_outputs((output, (".csv",)), (per_report, (".csv",)), (xlsx, (".xlsx",)), (chart, CHART_SUFFIXES),
                       (failures_path(output) if output else None, ()), inputs=reports)
        grouping = None
        if group_by:
            from classifier.grouping import grouping_for

            grouping = grouping_for(group_by, reports)
        trained = _load(model)
        statistics = CategoryStatistics(trained.categories)
        comparison = GroupComparison(statistics, compare)
        sinks = [statistics, StatisticsFiles(statistics, output, per_report), comparison]
        if xlsx is not None:
            from classifier.workbook import StatisticsWorkbook

            sinks.append(stack.enter_context(StatisticsWorkbook(statistics, xlsx, comparison)))
        if chart is not None:
            sinks.append(ChartOutput(statistics, chart))
        try:
            _run(reports, trained, _options(all_sentences, strict, encoding, jobs), sinks, grouping)
        except typer.Exit:  # some files failed or were skipped: the others were counted and compared
            _echo_lines(comparison.lines())
            raise
        _echo_lines(comparison.lines())


@command(cls=LocalisedCommand, short_help="生成一个可离线打开的 HTML 页面，查看和复核问题句")
def report(
    reports: Paths,
    html: Annotated[Path, typer.Option("--html", help="写入的 HTML 页面", show_default=False)],
    model: ModelOption = None,
    all_sentences: AllSentences = False,
    strict: Strict = False,
    encoding: EncodingOption = None,
    jobs: JobsOption = None,
) -> None:
    """把报告的问题句按类别着色，连同图例、统计图和待复核的句子，写成一个可离线打开的 HTML 页面。

    鼠标停在句子上，可看到角色、各类别得分和阈值，以及决定类别的词语。
    """
    from classifier.html_report import HtmlOutput

    with _user_errors():
        _check_outputs((html, (".html", ".htm")), inputs=reports)
        trained = _load(model)
        _run(reports, trained, _options(all_sentences, strict, encoding, jobs, explained=True),
             [HtmlOutput(trained, html)])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: sys.argv[1:]) and return the exit code."""
    import signal

    from classifier.cli_text import click_api

    def terminated(signum, frame) -> NoReturn:
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, terminated) if _is_main_thread() else None
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        # Outside standalone mode typer returns a command's exit code, Ctrl-C included (130), instead of exiting.
        code = app(args=arguments, prog_name="classifier", standalone_mode=False)
        code = code if isinstance(code, int) else 0
        if code == EXIT_INTERRUPTED:
            typer.echo(INTERRUPTED, err=True)
        return code
    except click_api.exceptions.UsageError as error:
        for line in usage_error_lines(error):
            typer.echo(line, err=True)
        return EXIT_USAGE
    except typer.Exit as done:  # raised by the --version callback, before any command runs
        return done.exit_code
    except (KeyboardInterrupt, typer.Abort):
        typer.echo(INTERRUPTED, err=True)
        return EXIT_INTERRUPTED
    except _Terminated:
        typer.echo("已终止，未完成的输出没有写入，已有的文件保持原样", err=True)
        return EXIT_TERMINATED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class _Terminated(BaseException):
    """SIGTERM, raised where the program is so that every cleanup (temporary files, workers) runs."""


def _is_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()

