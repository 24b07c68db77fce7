"""SPARQL the library itself runs, one file per query (no SPARQL strings inside Python)."""

from functools import cache
from importlib.resources import files


@cache
def load(name: str) -> str:
    """The text of `kg/sparql/NAME.rq`."""
    return files(__name__).joinpath(f"{name}.rq").read_text(encoding="utf-8")
