"""The command line's own words in Chinese: the help page's headings and usage line, and usage errors.

typer renders help and usage errors with English words of its own ("Usage:", "Options", "Missing option …").
The people who run this tool read Chinese, so the help headings are set here, commands and groups use the two
classes below (which put a Chinese usage line and help-option text in place), and `usage_error_lines` says each
kind of usage error in Chinese, with the command's usage and where to find help.
"""

from __future__ import annotations

import re

from typer.core import TyperCommand, TyperGroup

try:  # typer from 0.2x carries its own copy of click
    from typer import _click as click_api
except ImportError:  # pragma: no cover - older typer uses click itself
    import click as click_api

HELP_TEXT = "显示本帮助并退出"
USAGE_PREFIX = "用法："

# typer's help headings, set when help is first drawn: importing typer's help renderer (and rich) costs a tenth of
# a second that a command which draws no help should not pay.
HELP_HEADINGS = {"ARGUMENTS_PANEL_TITLE": "参数", "OPTIONS_PANEL_TITLE": "选项", "COMMANDS_PANEL_TITLE": "命令",
                 "ERRORS_PANEL_TITLE": "错误", "DEFAULT_STRING": "[默认：{}]", "REQUIRED_LONG_STRING": "[必填]",
                 "ENVVAR_STRING": "[环境变量：{}]"}


class _Localised:
    def format_help(self, ctx, formatter) -> None:  # type: ignore[no-untyped-def]
        import typer.rich_utils

        for name, text in HELP_HEADINGS.items():
            setattr(typer.rich_utils, name, text)
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_help_option(self, ctx):  # type: ignore[no-untyped-def]
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def get_usage(self, ctx) -> str:  # type: ignore[no-untyped-def]
        return _chinese_usage(super().get_usage(ctx))  # type: ignore[misc]


class LocalisedCommand(_Localised, TyperCommand):
    """A command whose help and usage line read in Chinese."""


class LocalisedGroup(_Localised, TyperGroup):
    """The command group, likewise."""


def _chinese_usage(usage: str) -> str:
    # typer writes a required argument as {name}; plain names read better, and required is the rule here.
    usage = re.sub(r"\{([^{}]+)\}", r"\1", usage)
    return usage.replace("Usage: ", USAGE_PREFIX).replace("[OPTIONS]", "[选项]").replace("COMMAND", "命令") \
        .replace("[ARGS]...", "[参数]...")


_KNOWN = (
    (re.compile(r"No such command '(.+)'\. Did you mean '(.+)'\?"), "没有这个命令：{0}（是不是 {1}？）"),
    (re.compile(r"No such command '(.+)'\."), "没有这个命令：{0}"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), "多余的参数：{0}"),
    (re.compile(r"Missing command\."), "缺少命令"),
    (re.compile(r"Option '(.+)' requires (?:an argument|(\d+) arguments)\."), "选项 {0} 后面需要给出值"),
    (re.compile(r"'(.+)' is not a valid integer(?: range)?\."), "“{0}” 不是整数"),
    (re.compile(r"'(.+)' is not a valid float(?: range)?\."), "“{0}” 不是数字"),
    (re.compile(r"(.+) is not in the range ([^.]+)\.?"), "{0} 超出范围 {1}"),
)


def usage_error_lines(error: Exception) -> list[str]:
    """A usage error in Chinese: the error, then the command's usage and where to find help."""
    exceptions = click_api.exceptions
    context = getattr(error, "ctx", None)
    if isinstance(error, exceptions.NoArgsIsHelpError):
        return [error.format_message()]
    if isinstance(error, exceptions.NoSuchOption):
        message = f"没有这个选项：{error.option_name}"
        if error.possibilities:
            message += f"（是不是 {'、'.join(sorted(error.possibilities))}？）"
    elif isinstance(error, exceptions.MissingParameter):
        kind = "参数" if (error.param is not None and error.param.param_type_name == "argument") else "选项"
        message = f"缺少{kind} {_hint(error)}"
    elif isinstance(error, exceptions.BadParameter):
        message = f"{_hint(error)} 的值不正确：{_translate(error.message)}"
    else:
        message = _translate(error.message)
    lines = [f"错误：{message}"]
    if context is not None:
        lines.append(_chinese_usage(context.get_usage()))
        lines.append(f"运行 {context.command_path} --help 查看帮助")
    return lines


def _hint(error) -> str:  # type: ignore[no-untyped-def]
    if error.param_hint:
        hint = error.param_hint
        return " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint)
    if error.param is not None:
        return " / ".join(error.param.opts) or str(error.param.human_readable_name)
    return ""


def _translate(message: str) -> str:
    for pattern, chinese in _KNOWN:
        found = pattern.fullmatch(message.strip())
        if found:
            return chinese.format(*found.groups())
    return message
