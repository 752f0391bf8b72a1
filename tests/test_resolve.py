"""Events named at different precision in different documents become one event."""

from alliance_kg.extract import resolve
from alliance_kg.extract.model import Entity, EventKey, Evidence, Fact, Lit, Ref

EV1 = Evidence("doc-a", 0, 10, "in April 2015", "event.sentence")
EV2 = Evidence("doc-b", 5, 30, "on April 27, 2015", "event.sentence")


def key(slug: str, date: str, cls: str = "TwoPlusTwoMeeting", surnames=()) -> EventKey:
    return EventKey(
        Ref("event", slug),
        cls,
        date,
        ("japan", "united-states"),
        tuple(surnames),
        f"Meeting ({date})",
    )


def test_coarse_event_moves_to_the_unique_precise_one():
    coarse, precise = key("coarse", "2015-04"), key("precise", "2015-04-27")
    resolution = resolve.plan([coarse, precise])
    assert resolution.moves == {coarse.ref: precise}
    statements = [
        Entity(coarse.ref, "TwoPlusTwoMeeting", coarse.label, ('"2+2" Meeting (April 2015)',), EV1),
        Fact(coarse.ref, "date", Lit("2015-04", "gYearMonth"), EV1),
        Fact(Ref("affirmation", "coarse.abc"), "affirmedAt", coarse.ref, EV1),
        Fact(Ref("agreement", "guidelines-2015"), "approvedBy", Ref("mechanism", "scc"), EV1),
    ]
    out = resolve.apply(statements, resolution)
    entity = out[0]
    assert entity.ref == precise.ref and entity.label == precise.label
    assert coarse.label in entity.alt_labels and '"2+2" Meeting (April 2015)' in entity.alt_labels
    assert not any(
        isinstance(s, Fact) and s.predicate == "date" for s in out
    )  # coarse date dropped
    assert Fact(Ref("affirmation", "precise.abc"), "affirmedAt", precise.ref, EV1) in out
    assert statements[3] in out  # untouched


def test_ambiguous_or_incompatible_events_stay_apart():
    coarse = key("coarse", "2015-04")
    twins = [coarse, key("a", "2015-04-27"), key("b", "2015-04-28")]
    assert resolve.plan(twins).moves == {}  # two candidates: no guess
    other_type = [coarse, key("summit", "2015-04-27", cls="SummitMeeting")]
    assert resolve.plan(other_type).moves == {}
    people = [
        key("m1", "2019-04", "Meeting", ["Iwaya"]),
        key("m2", "2019-04-19", "Meeting", ["Kono"]),
    ]
    assert resolve.plan(people).moves == {}


def test_one_preferred_label_per_entity_across_documents():
    erdogan = Ref("person", "erdogan")
    one = [Entity(erdogan, "Person", "Erdoğan"), Entity(erdogan, "Person", "Erdoğan")]
    two = [Entity(erdogan, "Person", "Erdogan"), Entity(Ref("person", "putin"), "Person", "Putin")]
    first, second = resolve.unify_labels([one, two])
    assert {e.label for e in first + second if e.ref == erdogan} == {"Erdoğan"}
    assert second[0].alt_labels == ("Erdogan",)
    assert second[1] == two[1]  # an entity named one way is left alone


def person_statements(
    person: str, title: str, side: str | None = None, event: str = "2018-04-meeting"
) -> list:
    """A person as one document gives it: the entity, a participation and its title."""
    ev = EV1 if side else EV2
    node = Ref("participation", f"{event}.{person}")
    out = [
        Entity(Ref("person", person), "Person", person.replace("-", " ").title(), (), ev),
        Entity(node, "Participation", f"{person} in {event}", (), ev),
        Fact(Ref("event", event), "hasParticipation", node, ev),
        Fact(node, "agent", Ref("person", person), ev),
        Fact(node, "titleUsed", Ref("title", title), ev),
        Fact(Ref("holding", f"{person}.{title}"), "agent", Ref("person", person), ev),
    ]
    if side:
        out.append(Fact(node, "side", Ref("state", side), ev))
    return out


def test_a_person_named_by_one_word_joins_the_one_named_in_full():
    docs = [
        person_statements("lich", "defense-minister", "vietnam"),
        person_statements("ngo-xuan-lich", "minister-of-national-defense", "vietnam", "2019-x"),
    ]
    moves = resolve.plan_people(docs, taken=set())
    assert moves == {Ref("person", "lich"): Ref("person", "ngo-xuan-lich")}
    moved = resolve.apply_people(docs[0], moves)
    refs = {st.ref for st in moved if isinstance(st, Entity)}
    assert Ref("person", "ngo-xuan-lich") in refs and Ref("person", "lich") not in refs
    assert Ref("participation", "2018-04-meeting.ngo-xuan-lich") in refs
    subjects = {st.subject for st in moved if isinstance(st, Fact)}
    assert Ref("holding", "ngo-xuan-lich.defense-minister") in subjects


def test_people_stay_apart_on_other_offices_sides_lexicon_names_or_two_candidates():
    dung = person_statements("dung", "major-general")
    prime = person_statements("nguyen-tan-dung", "prime-minister", event="2019-x")
    assert resolve.plan_people([dung, prime], taken=set()) == {}
    saudi = person_statements("mohammed", "prince", "saudi-arabia")
    uae = person_statements("mohammed-bin-zayed", "prince", "united-arab-emirates", "2019-x")
    assert resolve.plan_people([saudi, uae], taken=set()) == {}
    singh = person_statements("singh", "minister")
    full = person_statements("birender-singh", "minister", event="2019-x")
    assert resolve.plan_people([singh, full], taken={"singh"}) == {}
    two = person_statements("kim", "minister")
    kims = [person_statements(f"kim-{n}", "minister", event=f"e{n}") for n in ("a", "b")]
    assert resolve.plan_people([two, *kims], taken=set()) == {}


def test_one_name_spelled_with_and_without_a_hyphen_is_one_person():
    a = person_statements("prayut-chan-o-cha", "prime-minister")
    b = person_statements("prayut-chan-ocha", "prime-minister", event="2019-x")
    c = person_statements("prayut", "prime-minister", event="2020-x")
    moves = resolve.plan_people([a, b, c], taken=set())
    assert moves == {
        Ref("person", "prayut-chan-ocha"): Ref("person", "prayut-chan-o-cha"),
        Ref("person", "prayut"): Ref("person", "prayut-chan-o-cha"),
    }
