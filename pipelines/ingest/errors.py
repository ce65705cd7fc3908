"""The one error every reader raises for bytes that cannot be read as their format (rule F001).

Its own module because both the readers and the container checks raise it.
"""


class UnreadableFile(Exception):
    """The file is not what its extension says (rule F001)."""
