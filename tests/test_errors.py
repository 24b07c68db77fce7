"""Every error a user can cause derives from one base, and `kg` prints it as one line."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, kg

import techclaims.ingest
import techclaims.kg
import techclaims.schema
from techclaims.errors import TechclaimsError
from techclaims.ingest.errors import IngestError
from techclaims.ingest.nlp.gazetteer import GazetteerError
from techclaims.ingest.nlp.pipeline import NlpSetupError
from techclaims.kg.errors import KgError


def _package_exceptions() -> list[type[BaseException]]:
    """Every exception class defined in the package's modules."""
    found: dict[str, type[BaseException]] = {}
    for package in (techclaims.kg, techclaims.ingest, techclaims.schema):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                if (
                    inspect.isclass(value)
                    and issubclass(value, BaseException)
                    and value.__module__ == module.__name__
                ):
                    found[f"{module.__name__}.{name}"] = value
    return list(found.values())


def test_every_error_class_of_the_package_derives_from_the_one_base() -> None:
    classes = _package_exceptions()
    assert GazetteerError in classes and NlpSetupError in classes  # the walk reached ingest/nlp
    outside = [c.__qualname__ for c in classes if not issubclass(c, TechclaimsError)]
    assert outside == []
    assert issubclass(KgError, TechclaimsError) and issubclass(IngestError, TechclaimsError)
    # still what callers caught before
    assert issubclass(GazetteerError, ValueError) and issubclass(NlpSetupError, RuntimeError)


def test_a_pipeline_that_cannot_be_loaded_is_one_line_and_exit_status_1(tmp_path: Path) -> None:
    done = kg(
        "ingest",
        EXAMPLES / "arxiv-bot.md",
        "--store",
        tmp_path / "store",
        check=False,
        env={"TECHCLAIMS_NLP_MODEL": str(tmp_path / "no-such-model")},
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"kg: error: no spaCy pipeline at {tmp_path / 'no-such-model'}; "
        "train one or leave model_path out"
    ]


@pytest.mark.parametrize("error", [GazetteerError("patterns/x.jsonl:3: not JSON"), KgError("x")])
def test_the_command_line_catches_the_base(error: TechclaimsError) -> None:
    """The group's handler catches `TechclaimsError` itself, so an error of either part that a
    command lets through becomes `kg: error: ...` and the class's exit status."""
    import click
    from click.testing import CliRunner

    from techclaims.kg.cli import main

    @click.group(cls=type(main))  # the class of `kg`'s group, which prints errors
    def group() -> None:
        pass

    @group.command()
    def fail() -> None:
        raise error

    done = CliRunner().invoke(group, ["fail"])
    assert done.exit_code == error.exit_code == 1
    assert done.output.strip() == f"kg: error: {error}"
