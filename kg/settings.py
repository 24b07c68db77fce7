"""Runtime settings: where the store lives. The NLP is configured in its own `.cfg` files."""

from __future__ import annotations

import os
from pathlib import Path


def default_store() -> str:
    """`$KG_STORE`, else `$XDG_DATA_HOME/techclaims/store` (`~/.local/share/techclaims/store`).

    One documented location, the same for every command, whatever the current directory.
    """
    if env := os.environ.get("KG_STORE"):
        return env
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(data_home) / "techclaims" / "store")
