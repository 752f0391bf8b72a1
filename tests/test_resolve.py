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
