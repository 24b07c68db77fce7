"""The contract shared by `ingest` and `kg`: records, IRIs, ontology and shapes.

This folder is installed as `techclaims.schema`. The Turtle files beside this
module ship as package data.
"""

from importlib.resources import files
from pathlib import Path

SCHEMA_DIR = Path(str(files(__name__)))
ONTOLOGY = SCHEMA_DIR / "ontology.ttl"
SHAPES = SCHEMA_DIR / "shapes.ttl"
TOPICS = SCHEMA_DIR / "topics.ttl"
