"""The GPU path without a GPU: every command falls back to the CPU with one notice."""

from __future__ import annotations

import pytest
import spacy
from click.testing import CliRunner

import techclaims.ingest.nlp.pipeline as pipeline
from techclaims.ingest.nlp import NlpSetupError, make_nlp
from techclaims.ingest.nlp.train import use_gpu


@pytest.fixture
def no_gpu(monkeypatch):
    """Make `spacy.require_gpu` fail as it does on a machine without CUDA or cupy."""

    def refuse(gpu_id: int = 0) -> bool:
        raise ValueError("GPU is not accessible. Was the library installed correctly?")

    monkeypatch.setattr(spacy, "require_gpu", refuse)
    monkeypatch.setattr(pipeline, "_LOADED", {})


def test_load_nlp_falls_back_with_one_notice(no_gpu) -> None:
    notices: list[str] = []
    nlp = pipeline.load_nlp(gpu=True, notice=notices.append)
    assert len(notices) == 1 and "no usable GPU" in notices[0] and "CPU" in notices[0]
    assert "\n" not in notices[0]
    doc = nlp("相比vLLM，在H100上提升2倍。")
    assert {e.label_ for e in doc.ents} >= {"METHOD", "HARDWARE", "SPEEDUP"}
    from thinc.api import NumpyOps, get_current_ops

    assert isinstance(get_current_ops(), NumpyOps)


def test_make_nlp_gpu_is_an_error_without_one(no_gpu) -> None:
    with pytest.raises(NlpSetupError, match="no GPU is usable"):
        make_nlp(gpu=True)


def test_training_falls_back(no_gpu) -> None:
    notices: list[str] = []
    assert use_gpu(True, notice=notices.append) == -1
    assert len(notices) == 1 and "training on the CPU" in notices[0]
    assert use_gpu(False, notice=notices.append) == -1 and len(notices) == 1


def test_kg_ingest_gpu_falls_back(no_gpu, tmp_path, examples_dir) -> None:
    from techclaims.kg.cli import main

    result = CliRunner().invoke(
        main,
        ["ingest", str(examples_dir / "arxiv-bot.md"), "--store", str(tmp_path / "s"), "--gpu"],
    )
    assert result.exit_code == 0, result.output
    notices = [line for line in result.output.splitlines() if "GPU" in line]
    assert len(notices) == 1 and notices[0].startswith("kg: no usable GPU")
