"""The one exception type the library raises for bad input, with a message meant for the user."""


class InputError(Exception):
    """Bad input: a file, a model or a CSV the tool cannot use.

    The message is one line in Chinese and names the file (and the row, for CSV), so that the command line
    can print it as it is.
    """
