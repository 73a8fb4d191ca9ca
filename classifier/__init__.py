"""Find the problem sections of 党建述职报告 and sort their sentences into a fixed taxonomy of problems.

    from classifier import load_model, analyse_report
    model = load_model()
    result = analyse_report("述职报告.docx", model)

The names below are imported when first used, so that `import classifier` (and the command line's start) stays
fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.2.0"

_EXPORTS = {
    "load_model": "classifier.api",
    "analyse_report": "classifier.api",
    "analyse_text": "classifier.api",
    "predict": "classifier.api",
    "default_model_path": "classifier.api",
    "find_problem_sections": "classifier.sections",
    "read_report": "classifier.readers",
    "ReportResult": "classifier.reports",
    "SentenceResult": "classifier.reports",
    "Prediction": "classifier.model",
    "CategoryScore": "classifier.model",
    "ProblemModel": "classifier.model",
    "InputError": "classifier.errors",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'classifier' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
