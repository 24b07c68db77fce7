"""The one base of every error a user can cause, whichever part raises it.

`techclaims.kg` and `techclaims.ingest` keep their own bases (`KgError`,
`IngestError`) so each part can be caught alone, and both derive from
`TechclaimsError`, so the command line catches one class and prints one
line; anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations


class TechclaimsError(Exception):
    """A message a user can act on. `exit_code` is what `kg` exits with."""

    exit_code = 1
