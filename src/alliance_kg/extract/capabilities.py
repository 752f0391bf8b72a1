"""Capabilities: who develops which system or capability.

- ``capability.development``: "Japan's development of a Deep Space Radar", "the development of
  the Quasi-Zenith Satellite System by Japan", "Japan is developing a Deep Space Radar": the
  side ``akg:develops`` the capability the lexicon names. A side and a capability only: "North
  Korea's development of nuclear weapons" names no capability of the lexicon, and "the two
  countries' development of" names no one side.
"""

from __future__ import annotations

import re
from itertools import pairwise

from .context import Extraction, Reader, fact
from .mentions import Mention

DEVELOPER_KINDS = frozenset({"state", "organization"})
CAPABILITY_KINDS = frozenset({"issue"})
# Between the side and the capability: "'s development [and deployment] of [a|an|the]",
# "is developing [a|the]", "has developed".
POSSESSIVE = re.compile(
    r"^['\u2019]s\s+(?:joint\s+)?development(?:\s+and\s+\w+)?\s+of\s+(?:an?\s+|the\s+)?$"
)
VERB = re.compile(
    r"^\s+(?:is\s+|has\s+been\s+|has\s+|will\s+)?(?:develop|develops|developing|developed)\s+"
    r"(?:an?\s+|the\s+|its\s+)?$"
)
DEVELOPMENT_OF = re.compile(r"\bdevelopment\s+of\s+(?:an?\s+|the\s+)?$")
BY_SIDE = re.compile(r"^\s+by\s+(?:the\s+)?$")


def development_facts(reader: Reader, out: Extraction) -> None:
    for sentence in reader.sentences():
        text = sentence.clean
        if "develop" not in text:
            continue
        for first, second in pairwise(reader.mentions(sentence)):
            between = text[first.end : second.start]
            if _is(first, DEVELOPER_KINDS) and _is(second, CAPABILITY_KINDS):
                if not (POSSESSIVE.match(between) or VERB.match(between)):
                    continue
                side, thing = first, second
            elif _is(first, CAPABILITY_KINDS) and _is(second, DEVELOPER_KINDS):
                lead = text[max(0, first.start - 40) : first.start]
                if not (DEVELOPMENT_OF.search(lead) and BY_SIDE.match(between)):
                    continue
                side, thing = second, first
            else:
                continue
            ev = reader.evidence(sentence, "capability.development")
            out.add(fact(reader.ref(side.entry), "develops", reader.ref(thing.entry), ev))


def _is(mention: Mention, kinds: frozenset[str]) -> bool:
    return mention.entry.kind in kinds


def extract_capabilities(reader: Reader, out: Extraction) -> None:
    development_facts(reader, out)
