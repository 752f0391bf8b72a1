"""The examples in docstrings are run: a docstring that shows a result must still give it."""

import doctest
import importlib
import pkgutil

import pytest

import alliance_kg


def _modules_with_examples() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(alliance_kg.__path__, "alliance_kg."):
        spec = importlib.util.find_spec(info.name)
        if spec and spec.origin and spec.origin.endswith(".py"):
            with open(spec.origin, encoding="utf-8") as source:
                if ">>> " in source.read():
                    names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules_with_examples())
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
