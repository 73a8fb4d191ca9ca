"""Find the problem sections of 党建述职报告 and sort their sentences into a fixed taxonomy of problems."""

__version__ = "0.1.0"
