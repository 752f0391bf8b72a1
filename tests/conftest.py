"""Shared fixtures: settings on temporary folders, the test lexicon, ../shared discovery."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance_kg.config import Settings
from alliance_kg.lexicon import read_lexicon

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when the folder is absent (a user's clone)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared is not beside this clone")
    return path


@pytest.fixture(scope="session")
def mini_lexicon():
    return read_lexicon(DATA / "lexicon-mini.toml")


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(build_dir=tmp_path / "build")


@pytest.fixture(scope="session")
def default_build(tmp_path_factory) -> Path:
    """The default corpus (data/corpus) built once per test session."""
    from alliance_kg.pipeline import build

    out = tmp_path_factory.mktemp("default") / "build"
    build(Settings(build_dir=out))
    return out
