"""The exceptions the library raises for bad input, each with a message meant for the user.

Every message is one line in Chinese that names the file (and the row, for a CSV) and says what to do, so the
command line prints it as it is.  The subclasses let a caller tell the kinds apart (a batch, for instance, counts
the files it skipped as unsupported apart from those that failed).
"""


class InputError(Exception):
    """Bad input: a file, a model, a CSV or an output path the tool cannot use."""


class UnreadableFileError(InputError):
    """A report or data file that is missing, empty, damaged, binary, too large or in an unknown encoding."""


class UnsupportedFormatError(InputError):
    """A file of a kind the tool does not read (or cannot read on this machine: .doc without LibreOffice)."""


class NoProblemSectionError(InputError):
    """A report without a problem section, with --strict."""


class LabelError(InputError):
    """Labelled data with a bad role, an unknown category or a missing column."""


class OutputPathError(InputError):
    """An output path that cannot be written, or whose extension does not fit the output."""


class ModelFileError(InputError):
    """A model file that is missing or is not a model of this tool."""
