"""The lexicon loader: what it reads, and the clear errors it gives for bad lexicon files."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance_kg.lexicon import LexiconError, read_lexicon

ROOT = Path(__file__).resolve().parents[1]
ENTRY = '[[entity]]\nkind = "{kind}"\nslug = "{slug}"\nclass = "{cls}"\nlabel = "{label}"\n'
# A post and a person who may hold it: the start of the cases about terms of office.
PM_HOLDER = (
    ENTRY.format(kind="post", slug="pm", cls="Post", label="PM")
    + ENTRY.format(kind="person", slug="x", cls="Person", label="X")
    + 'posts = ["post/pm"]\n'
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lexicon.toml"
    path.write_text(text)
    return path


def test_project_lexicon_and_domains_load():
    lexicon = read_lexicon(ROOT / "data/lexicon.toml", ROOT / "ontology/domains.ttl")
    assert lexicon.get("state/japan").label == "Japan"
    cyber = lexicon.get("domain/cyberspace")
    assert cyber is not None and "cyberspace" in cyber.hidden
    assert len(lexicon.sha256) == 64


def test_state_reference_and_closure(tmp_path):
    text = ENTRY.format(kind="state", slug="japan", cls="State", label="Japan")
    text += ENTRY.format(kind="post", slug="pm", cls="Post", label="Prime Minister")
    text += 'state = "state/japan"\n'
    text += ENTRY.format(kind="person", slug="abe", cls="Person", label="Shinzo Abe")
    text += 'posts = ["post/pm"]\nstate = "japan"\n'
    lexicon = read_lexicon(write(tmp_path, text))
    assert lexicon.get("post/pm").state == "japan" and lexicon.get("person/abe").state == "japan"
    assert lexicon.closure(["person/abe"]) == {"person/abe", "post/pm", "state/japan"}


def test_dated_terms_name_the_holder_of_a_post_on_a_day(tmp_path):
    text = ENTRY.format(kind="post", slug="pm", cls="Post", label="Prime Minister")
    text += ENTRY.format(kind="person", slug="abe", cls="Person", label="Shinzo Abe")
    text += 'posts = ["post/pm"]\n'
    text += 'terms = ["post/pm 2006-09-26/2007-09-26", "post/pm 2012-12-26/2020-09-16"]\n'
    text += ENTRY.format(kind="person", slug="suga", cls="Person", label="Yoshihide Suga")
    text += 'posts = ["post/pm"]\nterms = ["post/pm 2020-09-16/2021-10-04"]\n'
    lexicon = read_lexicon(write(tmp_path, text))
    holder = lexicon.holder
    assert holder("post/pm", "2015-04-28").slug == "abe"
    assert holder("post/pm", "2007-01-05").slug == "abe"  # the first of two terms
    assert holder("post/pm", "2020-09-16").slug == "suga"  # the day the successor took office
    assert holder("post/pm", "2010-06-01") is None  # between terms, and no one else dated
    assert holder("post/pm", "2020-09-01", "2020-09-30") is None  # a month with two holders
    assert holder("post/pm", "2021-01-01", "2021-01-31").slug == "suga"
    assert holder("post/president", "2015-04-28") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[entity]\n", "malformed TOML"),
        (
            ENTRY.format(kind="planet", slug="mars", cls="Place", label="Mars"),
            "unknown kind 'planet'",
        ),
        (
            ENTRY.format(kind="state", slug="japan", cls="Person", label="Japan"),
            "does not fit kind",
        ),
        (ENTRY.format(kind="state", slug="Japan", cls="State", label="Japan"), "slug 'Japan'"),
        (
            '[[entity]]\nkind = "state"\nslug = "japan"\nclass = "State"\n',
            "missing or empty 'label'",
        ),
        (
            ENTRY.format(kind="post", slug="pm", cls="Post", label="PM")
            + 'state = "state/nowhere"\n',
            "unknown entry 'state/nowhere'",
        ),
        (
            ENTRY.format(kind="state", slug="japan", cls="State", label="Japan") * 2,
            "duplicate state/japan",
        ),
        (
            ENTRY.format(kind="person", slug="x", cls="Person", label="X") + 'since = "2021"\n',
            "'since' must be a year",
        ),
        (
            PM_HOLDER + 'terms = ["post/pm 1996/1998"]\n',
            "is not 'post/slug START/END'",
        ),
        (
            ENTRY.format(kind="person", slug="x", cls="Person", label="X")
            + 'terms = ["post/pm 1996-01-11/1998-07-30"]\n',
            "names a post that is not in 'posts'",
        ),
        (
            PM_HOLDER + 'terms = ["post/pm 1998-07-30/1996-01-11"]\n',
            "ends before it starts",
        ),
        (
            ENTRY.format(kind="event", slug="quake", cls="Disaster", label="Q")
            + 'date = "March 2011"\n',
            "'date' 'March 2011' must be an ISO day",
        ),
        (
            ENTRY.format(kind="place", slug="tokyo", cls="Place", label="Tokyo")
            + 'date = "2011-03-11"\n',
            "only on an event",
        ),
    ],
)
def test_bad_lexicon_is_a_clear_error(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(LexiconError, match=r"lexicon\.toml") as err:
        read_lexicon(path)
    assert message in str(err.value)


def test_missing_and_non_utf8(tmp_path):
    with pytest.raises(LexiconError, match="cannot read"):
        read_lexicon(tmp_path / "absent.toml")
    path = tmp_path / "latin1.toml"
    path.write_bytes(b"# caf\xe9\n")
    with pytest.raises(LexiconError, match="not UTF-8"):
        read_lexicon(path)


def test_an_event_of_the_lexicon_is_published_with_its_date(tmp_path):
    """A disaster the lexicon names is dated as events read from the text are: ``akg:date``
    and an OWL-Time instant, so "what happened on March 11, 2011" finds it."""
    import pyoxigraph as ox

    from alliance_kg.namespaces import Namespaces
    from alliance_kg.rdf import Minter, lexicon_quads

    text = ENTRY.format(kind="event", slug="quake", cls="Disaster", label="Quake")
    lexicon = read_lexicon(write(tmp_path, text + 'date = "2011-03-11"\n'))
    store = ox.Store()
    minter = Minter(Namespaces("https://example.org/"))
    store.extend(lexicon_quads(minter, lexicon, ["event/quake"]))
    rows = store.query(
        """PREFIX akg: <https://example.org/ontology#>
        PREFIX time: <http://www.w3.org/2006/time#>
        SELECT ?date ?day WHERE { GRAPH ?g { <https://example.org/id/event/quake> a akg:Disaster ;
            akg:date ?date ; time:hasTime [ time:inXSDDate ?day ] } }"""
    )
    assert [(r["date"].value, r["day"].value) for r in rows] == [("2011-03-11", "2011-03-11")]


def test_parties_and_member_posts_are_published(tmp_path):
    """An agreement's parties (``akg:party``), a mechanism's sides (``akg:memberSide``) and
    the posts that sit on it (``akg:memberPost``) are published with the entry; a joint
    statement's ``issued`` day tells statements of one title apart and is not published."""
    import pyoxigraph as ox

    from alliance_kg.namespaces import Namespaces
    from alliance_kg.rdf import Minter, lexicon_quads

    text = ENTRY.format(kind="state", slug="j", cls="State", label="J")
    text += ENTRY.format(kind="state", slug="u", cls="State", label="U")
    text += ENTRY.format(kind="post", slug="m", cls="Post", label="M") + 'state = "state/j"\n'
    text += ENTRY.format(kind="agreement", slug="s", cls="JointStatement", label="S")
    text += 'parties = ["state/j", "state/u"]\nissued = "2024-04-10"\n'
    text += ENTRY.format(kind="mechanism", slug="c", cls="ConsultativeBody", label="C")
    text += 'parties = ["state/j", "state/u"]\nmember_posts = ["post/m"]\n'
    lexicon = read_lexicon(write(tmp_path, text))
    assert lexicon.get("agreement/s").issued == "2024-04-10"
    store = ox.Store()
    minter = Minter(Namespaces("https://example.org/"))
    store.extend(lexicon_quads(minter, lexicon, ["agreement/s", "mechanism/c"]))
    rows = store.query(
        """SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o
            FILTER(STRENDS(STR(?p), "party") || STRENDS(STR(?p), "memberSide")
                   || STRENDS(STR(?p), "memberPost") || CONTAINS(STR(?o), "2024")) } }"""
    )
    got = sorted(tuple(t.value.rsplit("/", 1)[-1].rsplit("#")[-1] for t in r) for r in rows)
    assert got == [
        ("c", "memberPost", "m"),
        ("c", "memberSide", "j"),
        ("c", "memberSide", "u"),
        ("s", "party", "j"),
        ("s", "party", "u"),
    ]
    # what they refer to is described too, so no IRI is left without a label
    labelled = {r["x"].value for r in store.query("SELECT ?x WHERE { GRAPH ?g { ?x a ?c } }")}
    assert {"https://example.org/id/state/u", "https://example.org/id/post/m"} <= labelled


@pytest.mark.parametrize(
    "line", ['issued = "2024-04"\n', "issued = 2024\n"], ids=["month", "integer"]
)
def test_issued_must_be_a_day_on_an_agreement(tmp_path, line):
    text = ENTRY.format(kind="agreement", slug="s", cls="JointStatement", label="S") + line
    with pytest.raises(LexiconError, match="'issued'"):
        read_lexicon(write(tmp_path, text))
    text = ENTRY.format(kind="event", slug="e", cls="Disaster", label="E")
    with pytest.raises(LexiconError, match="only on an agreement"):
        read_lexicon(write(tmp_path, text + 'issued = "2024-04-10"\n'))
