"""Post holdings: a titled person outside any recorded event ("then Minister of Defense
Onodera directed ...") holds that post, as the text attests; recorded as an akg:PostHolding
(holder, post, title) so the post is never written on the person.
"""

from __future__ import annotations

from ..namespaces import slugify
from .context import Extraction, Reader, fact
from .mentions import HONORIFICS
from .model import Entity, Ref


def extract_post_holdings(reader: Reader, out: Extraction, seen: set[tuple[int, int]]) -> None:
    """A holding for each titled mention not already recorded as an event participation.

    ``seen`` holds (sentence start, mention start) of the mentions events used.
    """
    for sentence in reader.sentences():
        for person in reader.people(sentence):
            if (sentence.start, person.start) in seen:
                continue
            honorific = person.title.lower().rstrip(".") in HONORIFICS
            if person.post is None and honorific:
                continue
            ev = reader.evidence(sentence, "person.post")
            holder = reader.person_ref(person, ev, out)
            office = person.post.slug if person.post else slugify(person.title)
            ref = Ref("holding", f"{holder.slug}.{office}")
            # The holder's name in full, also where this mention gives the surname alone.
            name = reader.label(holder, out)
            what = person.post.label if person.post else person.title
            out.add(Entity(ref, "PostHolding", f"{name} as {what}", evidence=ev))
            out.add(fact(ref, "agent", holder, ev))
            if person.post is not None:
                out.add(fact(ref, "post", reader.ref(person.post), ev))
            if not honorific:
                title = Ref("title", slugify(person.title))
                out.add(Entity(title, "Title", person.title, evidence=ev))
                out.add(fact(ref, "titleUsed", title, ev))
