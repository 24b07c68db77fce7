"""Errors of the ingest side.

Library code raises these (chained with ``from`` when another exception caused
them) and never prints; only the command line turns them into exit codes and
one-line messages. Every message names the file, so a user who passed a whole
folder can tell which file to fix.
"""

from __future__ import annotations

from os import PathLike

from techclaims.errors import TechclaimsError


class IngestError(TechclaimsError):
    """Base of the ingest side's errors: a message a user can act on (exit status 1)."""


class DigestError(IngestError):
    """A digest file cannot be read or split into entries.

    The message is ``"{path}: {problem}"`` on one line, whatever the problem text
    holds, because the command line prints it as a single line on stderr.

    >>> str(DigestError("notes/a.md", "file is empty"))
    'notes/a.md: file is empty'
    """

    def __init__(self, path: str | PathLike[str], problem: str) -> None:
        self.path = str(path)
        self.problem = " ".join(str(problem).split())
        super().__init__(f"{self.path}: {self.problem}")


class DigestNotFoundError(DigestError):
    """The path does not exist."""


class UnreadableDigestError(DigestError):
    """The path exists but is not a readable regular file (a directory, a FIFO, no permission)."""


class EmptyDigestError(DigestError):
    """The file holds no bytes, or only whitespace."""


class BinaryFileError(DigestError):
    """The file is not text (NUL bytes, a known binary signature, mostly control characters)."""


class UndecodableError(DigestError):
    """The file is text-like but not valid UTF-8 (nor UTF-16/32 with a byte-order mark)."""


class PathologicalInputError(DigestError):
    """The file is too large, or has a line too long, to be a digest worth parsing."""


class NotADigestError(DigestError):
    """The text was read but holds no entry in any known digest format."""
