"""Errors of the graph side. The command line turns them into one-line messages and exit codes."""

from __future__ import annotations

from techclaims.errors import TechclaimsError


class KgError(TechclaimsError):
    """Base of the graph side's errors: a message a user can act on (exit status 1 unless a
    subclass says otherwise)."""


class StoreError(KgError):
    """The store cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process writes to the same on-disk store (one writer per directory)."""

    exit_code = 3


class QueryError(KgError):
    """A SPARQL query is malformed or cannot be run."""

    exit_code = 2


class UsageError(KgError):
    """The command was called with arguments that do not fit together."""

    exit_code = 2
