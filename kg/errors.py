"""Errors of the graph side. The command line turns them into one-line messages and exit codes."""

from __future__ import annotations


class KgError(Exception):
    """Base class: a message a user can act on. `exit_code` is what `kg` exits with."""

    exit_code = 1


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
