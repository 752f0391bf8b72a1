"""Extraction: pure functions from a parsed document (and the lexicon) to statements.

``Extractor(lexicon).extract(document)`` runs every rule family and returns entities and
facts with their evidence. ``RULES`` names and describes every rule id that may appear in
a statement's evidence; the build publishes it as ``akg:ExtractionRule`` resources.
"""

from __future__ import annotations

from ..corpus import Document
from ..lexicon import Lexicon
from .agreements import extract_agreements
from .capabilities import extract_capabilities
from .context import Extraction, Reader
from .events import extract_events
from .exercises import extract_exercises
from .guidelines import extract_guidelines
from .mechanisms import extract_mechanisms
from .mentions import Resolver, TitleIndex
from .model import Entity, EventKey, Evidence, Extracted, Fact, Lit, Ref, Statement
from .people import extract_post_holdings
from .weapons import extract_weapons_events

RULES: dict[str, str] = {
    "event.heading": "A section heading that ends in a date names an event: its type, states "
    "and date come from the heading.",
    "event.caption": "A dated photo caption names an event and, with titles, its participants.",
    "event.readout": "A document titled by one meeting (a readout: 'Japan-U.S. Defense "
    "Ministerial Meeting') that opens on the sentence recording it records that meeting: its "
    "date, participants and venue from that sentence, what was said from the rest of the text.",
    "event.document": "A document that is a meeting's joint statement ('Joint Statement of the "
    "Security Consultative Committee', a leaders' joint statement, 'Joint Statement' on a line "
    "above or below the meeting's name) records that meeting: its date "
    "from the title or the dateline, its participants and venue from the sentence that convenes "
    "it, what was said from the rest of the text.",
    "event.sentence": "An event named in running text and followed by its date ('at the "
    "\u201c2+2\u201d Meeting in October 2013'); printed in lower case after 'held', whose "
    "meeting it was only by the paragraph's pairing with Japan ('Japan and Israel held the "
    "first defense ministerial meeting in October 2018'); a meeting of a body Japan is a party "
    "of, between its parties ('the Quad Leaders\u2019 Summit').",
    "event.held": "A meeting recorded by who held it with whom ('In November 2014, Defense "
    "Minister Eto held a meeting with Defense Minister Wai Lwin of Myanmar', 'met with', "
    "'held a telephone conversation with', 'received a courtesy call from', 'paid a courtesy "
    "call on'): the two titled people of different sides (a counterpart whose title names no "
    "state is of the state the host visited, or of the paragraph's or section's other state; a "
    "host named by a Japanese office alone, 'the Minister of Defense held talks with ...', is "
    "the person the lexicon dates in it over the sentence's one date), the one date of the "
    "sentence, the venue, what they discussed.",
    "event.session": "A session of a consultative body, recorded by the body's name and that "
    "it was held or met ('The Japan-U.S. Extended Deterrence Dialogue (EDD) was held in Tokyo in "
    "June 2024', 'the Japan-Australia Defence Policy Dialogue was held in Canberra', 'the "
    "Japan-U.S.-ROK Defense Trilateral Talks were held in Seoul', 'The SCWG held its first "
    "meeting in October 2015 and its second meeting in February 2016'): a meeting of the body when "
    "the lexicon lists it, its sides, date, venue and attendees.",
    "event.stage": "A dated stage of a process a sentence lists ('announcement of the results "
    "of the examination of the roles, missions, and capabilities ... (second stage) in October "
    "2005'): an event named by its phrase, typed by its head noun, dated by its date.",
    "event.visit": "A visit recorded by who visited which country ('In February 2019, Finnish "
    "Minister of Defense Jussi Niinisto visited Japan', '... made an official visit to the United "
    "States'): the titled visitor of a known side, the "
    "states visited (the first another side; each a venue), the one date of the sentence, whom "
    "the visitor met there ('paid a courtesy call on ...'), what the visitor did there; not "
    "when the sentence names its meeting or says who met whom.",
    "event.timeline": "A row of a chronology table: the year in the first column (and the month "
    "in a cell of its own), talks between two leaders and what they agreed on in the last, or a "
    "meeting named with its sides that opens the last, with the venue in parentheses.",
    "event.table": "A row of a table of consultations: the date opening the row, the meeting "
    "named after it with its venue after a slash, the titled people of the participants column, "
    "the topics of the outline column.",
    "event.participant": "A titled person in the lead paragraph of an event's section, or opening "
    "a sentence of it, took part in the event in the post the title names.",
    "event.office-holder": "A statement that names its leaders only by office ('the Prime "
    "Minister and the President', dated April 17, 1996) records the persons the lexicon dates "
    "in those offices on the statement's date, for the sides the statement is between.",
    "event.office-implied": "A summit, defense or foreign ministerial meeting or '2+2' of two "
    "sides or more (held in person, or a call or video conference its name gives that level: "
    "'a Japan-U.S. Summit Telephone Talk') whose text names no participant of Japan or the "
    "United States "
    "records, for that side, the person the lexicon dates in the office the meeting's type "
    "implies (the Prime Minister at a summit, the Minister of Defense at a defense ministerial "
    "meeting) over the whole of the meeting's day or month.",
    "event.launch": "A missile launch the text dates ('North Korea launched a ballistic missile "
    "on July 4, 2017', 'the May 14, July 4, and November 29, 2017 launches'): one event per "
    "date, the launching state named before the launch or by the section's title as its "
    "participant.",
    "event.nuclear-test": "A nuclear test the text dates ('North Korea conducted its sixth "
    "nuclear test in September 2017', 'nuclear tests in October 2006, May 2009, ... and "
    "September 2017'): one event per date, the testing state as its participant.",
    "event.exercise": "An exercise running text dates ('a Japan-Australia bilateral cruising "
    "exercise was held ... in September 2018', 'In November 2018, the MSDF conducted a bilateral "
    "exercise with the Indian Navy'): the states that took part (from the compound before it, "
    "the forces named before it in its clause, what follows 'with') as its participants, a name "
    "that follows it.",
    "event.location": "The place, state or government body after 'in', 'at' or 'to' in a sentence "
    "saying the event was held or a visit was made.",
    "event.coreference": "Who said what an event's section records when the sentence names "
    "no one: 'the two leaders', 'the Ministers', 'both sides' are the event's participants, 'the "
    "two governments' its states, 'he' the person opening the previous sentence, 'the Minister' "
    "the one participant so titled.",
    "event.topic": "An issue, domain, agreement, place or third state mentioned in an event's "
    "section or sentence is a topic of the event.",
    "event.issued": "A joint document that a sentence about an event says was issued, named "
    "right after the verb ('the three leaders issued a joint statement titled \"The Spirit of "
    "Camp David.\"', 'issued the Japan-U.S. Joint Vision Statement'), is issued by the event "
    "and formulated on its date.",
    "agreement.title": "A title the lexicon does not list names an agreement: 'the Agreement "
    "between ... Concerning ...', a memorandum whose title names its two sides ('the Memorandum "
    "on Japan-Spain Defense Cooperation and Exchanges', with the sides as parties), an "
    "instrument named by its sides' compound and capitalised words before 'Agreement' or "
    "'Arrangement' ('the Japan-U.S. Security of Supply Arrangement (SOSA)', its sides as "
    "parties), or a quoted title after 'announced'.",
    "agreement.memorandum": "A memorandum a sentence says was signed with a state, its subject "
    "in lower case ('Japan signed a memorandum on defense exchanges with Bahrain in April 2012, "
    "with Qatar in February 2015'): one agreement per state, with the signer and that state as "
    "parties and the date after the state.",
    "agreement.signatories": "An instrument whose name does not say between whom, signed by "
    "the states or people of states before 'signed' and the state after 'with' ('Japan and "
    "Malaysia signed the Memorandum on Defense Cooperation and Exchanges'): one agreement per "
    "pair, both as parties, the date after the name.",
    "agreement.lifecycle": "An agreement signed, entered into force, approved, formulated or "
    "revised, dated by the date after the verb or the sentence's opening date; steps joined in "
    "the passive ('was signed in ... and entered into force in ...') each by its own date.",
    "agreement.relation": "Two agreements joined by 'which replace', 'based on', 'revises', one "
    "set forth, formulated or adopted 'in line with' another (based on it), or an agreement "
    "'approved' or 'recommended by' a mechanism.",
    "agreement.dateline": "The date a policy document or agreement prints under or in its own "
    "title ('December 18, 2018' under the National Defense Program Guidelines) is the date it was "
    "formulated.",
    "agreement.timeline": "A chronology table row: an agreement signed, entering into force or "
    "formulated in the row's year; a joint statement issued at leaders' talks.",
    "agreement.revision": "The revision of an agreement named in a sentence ('the revision of "
    "the 1997 Guidelines', 'to revise ...') is an event concerning it; a sentence-initial 'Based "
    "on A' names what the revision is based on.",
    "article.application": "A treaty article named with its treaty, and what it 'applies to' "
    "('extends to', 'covers') or "
    "what 'could constitute an armed attack for the purposes of' it or 'lead to the invocation "
    "of' it ('attacks to, from, or within space').",
    "mechanism.table": "A row of a table of consultative forums: members by side, purpose, "
    "establishment date, parent body and legal basis.",
    "mechanism.establishment": "A mechanism 'established' by the governments, or that 'was "
    "established', with the date, the place it was established at or in (its seat) and the "
    "agreement it is 'based on'; a body the lexicon does not "
    "list, named in full with its establishment date or with the states it is 'between' (who "
    "established it, and whose names prefix its own); a government body or force that is the "
    "subject of 'was established' ('The JSDF Joint Operations Command (JJOC) was established in "
    "March 2025').",
    "mechanism.series": "A recurring meeting a text says is organized or held 'between' two "
    "posts ('Japan-U.S. defense ministerial meetings between the Japanese Minister of Defense and "
    "the U.S. Secretary of Defense'): a body with the two posts as members.",
    "mechanism.members": "The posts a text says chair a body, right after its name ('the "
    "Extended Deterrence Dialogue, co-chaired by the Director General of ... and the Deputy "
    "Assistant Secretary of Defense for East Asia'), and the bodies it is composed of.",
    "mechanism.utilization": "A mechanism utilized 'in response to' listed events.",
    "mechanism.purpose": "What a mechanism is for: what 'will' be done 'through' it, or the "
    "'purpose' its establishment states.",
    "guidelines.responsibility": "Who has primary responsibility for an operation, who supports "
    "and supplements whom, who provides appropriate support, in which situation.",
    "guidelines.undertaking": "What else one side 'will' do under the Guidelines, when the side "
    "opens its clause: the action as printed, what it names, in which situation.",
    "capability.development": "A side that develops a capability the lexicon names: 'Japan's "
    "development of a Deep Space Radar', 'the development of X by Japan', 'Japan is developing X'.",
    "event.list": "An entry of a reference list of defense exchanges: a month and year, then the "
    "event's name naming two or more sides, with the venue in parentheses.",
    "person.post": "A person named after a title outside any recorded event holds the post "
    "the title names, as the text attests ('then Minister of Defense Onodera').",
    "guidelines.cooperation": "The areas of cooperation the Guidelines list for a situation, as "
    "sub-headings or as a numbered enumeration introduced as one ('Common areas for cooperation "
    "will include: (1) ...').",
}

__all__ = [
    "RULES",
    "Entity",
    "EventKey",
    "Evidence",
    "Extracted",
    "Extractor",
    "Fact",
    "Lit",
    "Ref",
    "Statement",
    "extract_document",
]


class Extractor:
    """Runs every rule over documents with one lexicon (indexes are built once)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.resolver = Resolver.build(lexicon)
        self.titles = TitleIndex(self.resolver)

    def extract(self, document: Document) -> Extracted:
        """Every statement the rules read in one document, and its events' identities."""
        reader = Reader(document, self.lexicon, self.resolver, self.titles)
        out = Extraction()
        extract_weapons_events(reader, out)  # first: meetings discuss launches and tests
        extract_exercises(reader, out)
        participants = extract_events(reader, out)
        extract_post_holdings(reader, out, participants)
        extract_agreements(reader, out)
        extract_mechanisms(reader, out)
        extract_guidelines(reader, out)
        extract_capabilities(reader, out)
        for st in out.statements:
            ev = st.evidence
            if ev is not None and ev.rule not in RULES:
                raise ValueError(f"rule {ev.rule!r} is not described in RULES")
        return Extracted(out.statements, out.events)


def extract_document(document: Document, lexicon: Lexicon) -> Extracted:
    """Convenience: extract one document with a fresh Extractor."""
    return Extractor(lexicon).extract(document)
