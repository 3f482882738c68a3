"""Loading the spaCy pipeline: failures name their cause instead of hiding it."""
from __future__ import annotations

import importlib
import logging
import sys

import pytest
import spacy

from workers.pipeline import extractor


def test_an_import_error_in_the_components_surfaces_as_itself(monkeypatch):
    # re-import the extractor while one component module cannot be imported (as with a
    # missing dependency); the registration module and the extractor must be imported afresh
    from workers.pipeline import components

    for name in ("workers.pipeline.extractor", "workers.pipeline.components.factories"):
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.delattr(components, "factories")
    monkeypatch.setitem(sys.modules, "workers.pipeline.components.morph_rules", None)
    with pytest.raises(ImportError, match="morph_rules"):
        importlib.import_module("workers.pipeline.extractor")


def test_a_named_model_that_is_not_there_names_its_path(tmp_path):
    missing = str(tmp_path / "no_such_model")
    with pytest.raises(extractor.ModelLoadError, match="no_such_model") as caught:
        extractor.load_nlp(missing)
    assert isinstance(caught.value.__cause__, OSError)


def test_a_model_with_an_unknown_component_names_its_path_and_the_component(tmp_path):
    nlp = spacy.blank("de")
    nlp.add_pipe("lagebild_upos_rules")
    nlp.to_disk(tmp_path / "broken")
    config = tmp_path / "broken" / "config.cfg"
    config.write_text(config.read_text(encoding="utf-8").replace('"lagebild_upos_rules"', '"lagebild_gone"'),
                      encoding="utf-8")
    with pytest.raises(extractor.ModelLoadError, match=r"broken.*lagebild_gone"):
        extractor.load_nlp(str(tmp_path / "broken"))


def test_a_missing_default_model_gives_a_blank_pipeline_and_a_warning(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(extractor, "DEFAULT_MODEL", str(tmp_path / "de_lagebild"))
    with caplog.at_level(logging.WARNING, logger=extractor.__name__):
        nlp, name = extractor.load_nlp()
    assert name == extractor.BLANK_MODEL and nlp.pipe_names == ["lagebild_sentence_rules"]
    assert "no model at" in caplog.text
