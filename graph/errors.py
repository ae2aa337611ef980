"""The project's own exceptions: one small hierarchy, each with a message a user can act on."""

from __future__ import annotations

__all__ = [
    "IntegrityError",
    "PartnetError",
    "ReadOnlyError",
    "StoreAuthError",
    "StoreError",
    "StoreUnavailable",
]


class PartnetError(Exception):
    """Base of every error a user can cause; the CLI prints it without a traceback.

    ``exit_code`` is what the command line exits with when this error ends a command.
    """

    exit_code = 1

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  -> {self.hint}" if self.hint else self.message


class StoreError(PartnetError):
    """A store could not do what was asked (unwritable file, failed transaction...)."""


class StoreUnavailable(StoreError):
    """The store cannot be reached at all (server down, file cannot be opened)."""

    exit_code = 2


class StoreAuthError(StoreUnavailable):
    """The server refused the credentials."""


class IntegrityError(StoreError):
    """A write referenced records that exist neither in the batch nor in the store.

    The whole write is rolled back: the store is unchanged.
    """


class ReadOnlyError(StoreError):
    """A write was attempted on a store opened read-only."""
