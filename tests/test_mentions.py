"""Gazetteer matching and titled-person resolution."""

import pytest

from alliance_kg.config import Settings
from alliance_kg.extract.mentions import (
    Gazetteer,
    Resolver,
    choose,
    find_people,
    fold,
    tokenize,
)
from alliance_kg.pipeline import load_lexicon


def keys(mentions):
    return [(m.surface, m.key) for m in mentions]


def test_fold_keeps_positions():
    text = "the \u201c2+2\u201d Meeting and Japan\u2013U.S. ties"
    assert len(fold(text)) == len(text)
    assert [t.text for t in tokenize("U.S.-made")][:4] == ["U", ".", "S", "."]


def test_leftmost_longest_and_case(mini_lexicon):
    g = Gazetteer(mini_lexicon)
    text = "Article 5 of the Japan-U.S. Security Treaty applies to the Senkaku Islands."
    assert keys(g.find(text)) == [
        (
            "Article 5 of the Japan-U.S. Security Treaty",
            "article/japan-us-security-treaty-article-5",
        ),
        ("Senkaku Islands", "place/senkaku-islands"),
    ]
    assert keys(g.find("a free and open Indo-Pacific")) == [
        ("free and open Indo-Pacific", "issue/free-and-open-indo-pacific")
    ]
    # Acronyms and one-word names keep their case: "us" is not the United States.
    assert g.find("let us say japan") == []
    assert keys(g.find("the SCC and FOIP")) == [
        ("SCC", "mechanism/security-consultative-committee"),
        ("FOIP", "issue/free-and-open-indo-pacific"),
    ]


def test_quotes_and_dashes_are_folded(mini_lexicon):
    g = Gazetteer(mini_lexicon)
    found = g.find("the Japan\u2013United States Security Consultative Committee")
    assert keys(found) == [
        (
            "Japan\u2013United States Security Consultative Committee",
            "mechanism/security-consultative-committee",
        )
    ]


def test_titled_people(mini_lexicon):
    resolver = Resolver.build(mini_lexicon)
    text = (
        "Defense Minister Iwaya and then Acting U.S. Secretary of Defense Shanahan held a "
        "meeting; President Trump's visit followed."
    )
    people = find_people(text, resolver)
    assert [(p.name, p.person.slug if p.person else None) for p in people] == [
        ("Iwaya", "takeshi-iwaya"),
        ("Shanahan", "patrick-shanahan"),
        ("Trump", "donald-trump"),
    ]
    iwaya, shanahan, trump = people
    assert iwaya.title == "Defense Minister" and iwaya.post.slug == "minister-of-defense-of-japan"
    assert shanahan.acting and shanahan.former and shanahan.title == "U.S. Secretary of Defense"
    assert shanahan.state == "united-states" and shanahan.post.slug == "us-secretary-of-defense"
    assert trump.possessive and not iwaya.possessive


def test_unknown_person_keeps_name_and_side(mini_lexicon):
    resolver = Resolver.build(mini_lexicon)
    (p,) = find_people("U.S. Secretary of Defense Esper held a meeting.", resolver)
    assert p.person is None and p.surname == "Esper" and p.state == "united-states"
    assert p.post.slug == "us-secretary-of-defense"


def test_words_that_are_not_names(mini_lexicon):
    resolver = Resolver.build(mini_lexicon)
    assert find_people("the President and the Prime Minister met.", resolver) == []
    assert (
        find_people("Prime Minister & Mrs. Abe visited.", resolver)[0].person.slug == "shinzo-abe"
    )


def _names(text, resolver, common=None):
    return [p.name for p in find_people(text, resolver, common=common)]


def test_table_text_after_a_title_is_not_a_name(mini_lexicon):
    resolver = Resolver.build(mini_lexicon)
    common = {"approval": 12, "since": 40, "swift": 6, "sharp": 3}
    # A capitalised common word after a title is the next cell, not a person.
    assert _names("(1) Authorized by: Prime Minister (2) Approval of the Diet", resolver) == []
    assert _names("Prime Minister Approval of the Diet: required", resolver, common) == []
    # A name stops at a common word glued on from the next cell.
    assert _names("Prime Minister Kishida Since then", resolver, common) == ["Kishida"]
    # After an initial, and for rarer words, the surname stays.
    assert _names("Admiral Scott H. Swift visited.", resolver, common) == ["Scott H. Swift"]
    assert _names("Commander Walter Sharp testified.", resolver, common) == ["Walter Sharp"]
    # "X becomes Minister of Defense" ends a chronology cell: what follows is another cell.
    assert _names("Kono becomes Minister of Defense Russian troops move", resolver) == []
    # Hyphen-joined states after a title name a meeting, not a person.
    assert _names("Visit by Minister of Defense Japan-France Defense Ministerial", resolver) == []


def test_korean_given_names_keep_their_lower_case_syllable(mini_lexicon):
    resolver = Resolver.build(mini_lexicon)
    assert _names("a promise by Chairman Kim Jong-un in writing", resolver) == ["Kim Jong-un"]


def test_names_stop_at_acronyms_states_and_stray_letters(mini_lexicon):
    resolver = Resolver.build(mini_lexicon)
    # Table rows glue the next title onto a name: "Iwaya U.S. Secretary of Defense Esper".
    assert _names("Minister of Defense Iwaya U.S. Secretary of Defense Esper", resolver) == [
        "Iwaya",
        "Esper",
    ]
    assert _names("Prime Minister Sharif G China announces", resolver) == ["Sharif"]
    # A ship named after an admiral is not the admiral.
    assert _names("Destroyer RFS \u201cAdmiral Vinogradov\u201d sailed", resolver) == []


def test_titles_that_are_complements_or_carry_honorifics(mini_lexicon):
    resolver = Resolver.build(mini_lexicon)
    # "Adviser to the Prime Minister Sonoura": Sonoura advises; he is not the Prime Minister.
    assert _names("Special Adviser to the Prime Minister Sonoura visited", resolver) == []
    # An honorific between title and name belongs to neither.
    assert _names("Singaporean Defense Minister Dr Ng spoke", resolver) == ["Ng"]
    # A rank is never a name.
    assert _names("Chairman of the Joint Chiefs Lieutenant General Yousef Huneiti", resolver) == [
        "Yousef Huneiti"
    ]


def test_a_name_before_a_document_noun_names_the_document(mini_lexicon):
    resolver = Resolver.build(mini_lexicon)
    text = "Khrushchev becomes Party General Secretary Geneva Agreement on armistice signed"
    assert _names(text, resolver) == []


def test_words_run_together_acronyms_and_regions(mini_lexicon):
    resolver = Resolver.build(mini_lexicon)
    common = {"entering": 3}
    # PDF text runs a name into the next cell's first word: the name is the first part.
    text = "then Acting U.S. Secretary of Defense ShanahanEntering into force of the ACSA"
    assert _names(text, resolver, common) == ["Shanahan"]
    # ... but only when the rest is a word the document prints in lower case.
    assert _names("Commander Walter MacArthur landed", resolver, common) == ["Walter MacArthur"]
    # An acronym alone after a title is a state or a body, not a person.
    assert _names("Administrative Vice-Minister of Defense UAE Vice-Minister", resolver) == []
    # A region completes a command's title; the name follows it.
    text = "Supreme Allied Commander Europe Philip Breedlove stated"
    assert _names(text, resolver) == ["Philip Breedlove"]
    # A title in lower case names an office, not the person after it.
    text = "Mr. Kiir serves as president and Mr. Machar as first vice president."
    found = find_people(text, resolver)
    assert [(p.name, p.title) for p in found] == [("Kiir", "Mr."), ("Machar", "Mr.")]


def test_arabic_articles_belong_to_the_name(mini_lexicon):
    resolver = Resolver.build(mini_lexicon)
    text = "In May 2014, then Defense Minister Abdel-Fattah el-Sisi was inaugurated."
    assert _names(text, resolver) == ["Abdel-Fattah el-Sisi"]


def test_a_verb_the_text_inflects_is_not_a_surname(mini_lexicon):
    resolver = Resolver.build(mini_lexicon)
    common = {"approved": 30, "approval": 12, "issue": 20}
    # A flowchart box after a title: "Prime Minister" then "Approve".
    assert _names("Report Prime Minister Approve Issue an order", resolver, common) == []
    assert _names("Secretary Carter visited.", resolver, common) == ["Carter"]


@pytest.fixture(scope="module")
def project_resolver() -> Resolver:
    return Resolver.build(load_lexicon(Settings()))


def test_initials_and_suffixes_do_not_hide_a_known_person(project_resolver):
    text = "Secretary of State Antony J. Blinken and Secretary of Defense Lloyd J. Austin III met."
    people = find_people(text, project_resolver)
    assert [(p.surname, p.person.slug) for p in people] == [
        ("Blinken", "antony-blinken"),
        ("Austin", "lloyd-austin"),
    ]


def test_a_surname_never_names_someone_who_took_office_after_the_text(project_resolver):
    def who(text: str, year: int | None) -> str | None:
        (p,) = find_people(text, project_resolver, year=year)
        return p.person.slug if p.person else None

    # Two lexicon persons are called Harris; Kamala Harris took office in 2021.
    assert who("Commander Harris of the U.S. Pacific Command stated this.", 2016) == "harry-harris"
    assert who("Commander Harris of the U.S. Pacific Command stated this.", None) is None
    assert who("Vice President Harris visited Tokyo.", 2023) == "kamala-harris"
    assert who("Vice President Harris visited Tokyo.", 2016) is None


def test_a_name_whose_last_word_is_in_the_plural_is_found(project_resolver):
    def found(text: str) -> list[tuple[str, str]]:
        return [(m.surface, m.entry.slug) for m in project_resolver.gazetteer.find(text)]

    assert ("cyber domains", "cyberspace") in found("cooperation in space and cyber domains")
    # only the last word: "cybers domain" is no name
    assert found("cooperation in cybers domain") == []


def test_two_names_sharing_their_head_are_both_found(project_resolver):
    def found(text: str) -> list[tuple[str, str]]:
        return [(m.surface, m.entry.slug) for m in project_resolver.gazetteer.find(text)]

    assert found("concern about the East and South China Seas") == [
        ("East", "east-china-sea"),
        ("South China Seas", "south-china-sea"),
    ]
    assert found("the Maritime and Air Self-Defense Forces trained") == [
        ("Maritime", "msdf"),
        ("Air Self-Defense Forces", "asdf"),
    ]
    # No shared head: "Japan and South Korea" names two states, and "Defense and Security" nothing.
    assert found("Japan and South Korea") == [
        ("Japan", "japan"),
        ("South Korea", "republic-of-korea"),
    ]
    assert found("Defense and Security Council") == []


def test_particles_do_not_count_and_a_cabinet_is_not_a_person(project_resolver):
    def names(text: str) -> list[str]:
        return [p.name for p in find_people(text, project_resolver, year=2020)]

    text = "He met Lieutenant General Hamad Mohammed Thani Al Rumaithi, chief of Staff."
    assert names(text) == ["Hamad Mohammed Thani Al Rumaithi"]
    assert names("Brezhnev becomes USSR General Secretary Sato Cabinet established") == []


def test_a_short_form_that_goes_on_as_another_title_names_none(project_resolver):
    (declaration,) = [
        e for e in project_resolver.lexicon if e.slug == "joint-declaration-on-security-1996"
    ]
    assert choose([declaration], " on the Conduct of Parties in the South China Sea", 2015) is None
    assert choose([declaration], " on Security, the two leaders", 2015) == declaration
    assert choose([declaration], ", the two leaders", 2015) == declaration
    (article,) = [e for e in project_resolver.lexicon if e.slug == "security-treaty-article-5"]
    assert choose([article], " of the JapanU.S. Security Treaty applies", 2017) == article


@pytest.mark.parametrize(
    "text, name, side, end",
    [
        (
            "Valery Gerasimov, Chief of the General Staff of the Russian Armed Forces, visited",
            "Valery Gerasimov",
            "russia",
            "Forces",
        ),
        (
            "Le Huy Vinh, Commander of Air Defense and Air Force, Vietnam, visited",
            "Le Huy Vinh",
            "vietnam",
            "Vietnam",
        ),
        (
            "Gen. John E. Hyten, Commander of the U.S. Air Force Space Command, said",
            "John E. Hyten",
            "united-states",
            "Command",
        ),
        (
            "Melvyn Ong, then Chief of the Singaporean Army, visited",
            "Melvyn Ong",
            "singapore",
            "Army",
        ),
    ],
)
def test_a_name_before_its_post_takes_the_posts_state(project_resolver, text, name, side, end):
    (p,) = find_people(text, project_resolver, year=2020)
    assert (p.name, p.state, text[p.start : p.end].split()[-1]) == (name, side, end)


def test_a_post_naming_no_state_makes_no_person_and_a_rank_takes_its_side(project_resolver):
    assert (
        find_people("Koji Yamazaki, Chief of Staff, Joint Staff, visited", project_resolver) == []
    )
    text = "Air Chief Marshal Birender Singh Dhanoa, Chief of the Air Staff, Indian Air Force, came"
    (p,) = find_people(text, project_resolver)
    assert (p.title, p.state, text[p.end :]) == ("Air Chief Marshal", "india", ", came")


def test_a_title_ending_in_the_next_persons_name_is_not_the_one_before(project_resolver):
    """In a list of people, the unlisted post after a comma that ends in a name belongs to
    that name, not to the person before the comma."""
    text = (
        "Deputy Prime Minister and Presidential Plenipotentiary Envoy to the Far Eastern Federal "
        "District Yury Trutnev, Minister for the Development of Russian Far East Galushka, and "
        "Minister of Education and Science Dmitry Livanov visited Etorofu Island."
    )
    people = find_people(text, project_resolver, year=2018)
    assert not [p.name for p in people if p.title.endswith("Galushka")]


def test_a_british_spelling_is_no_us_office(project_resolver):
    (uk,) = find_people("Defence Secretary Williamson visited Japan.", project_resolver)
    (us,) = find_people("Defense Secretary Mattis visited Japan.", project_resolver)
    assert (uk.post.slug, us.post.slug) == (
        "secretary-of-state-for-defence-of-the-united-kingdom",
        "us-secretary-of-defense",
    )


def test_ranks_forms_of_address_and_the_rest_of_a_titled_name(project_resolver):
    text = "held talks with General Milley, Chairman of the Joint Chiefs of Staff of the U.S., in"
    (milley,) = find_people(text, project_resolver, year=2020)
    assert (milley.person.slug, milley.title) == ("mark-milley", "General")
    for text in (
        "resolutions of the General Assembly were adopted",
        "NATO Secretary General Stoltenberg visited Japan",
        "IAEA Director General Amano said",
    ):
        assert all(p.title != "General" for p in find_people(text, project_resolver)), text
    (richards,) = find_people("General Sir Richards, Chief of the Defence Staff", project_resolver)
    assert richards.name == "Richards"
    text = "met the Honorable Joseph R. Biden, Jr., President of the United States, at"
    (biden,) = find_people(text, project_resolver, year=2024)
    assert (biden.person.slug, biden.post.slug) == ("joe-biden", "president-of-the-united-states")
    # The mention spans the form of address, so "with the" reads as right before it.
    assert text[biden.start :].startswith("Honorable Joseph R. Biden")
    # A document that prints "ii" often cuts the titled name before the generation: what
    # follows it is the rest of that name, not another person's.
    text = "from His Majesty King Abdullah II Ibn Al Hussein, King of the Hashemite Kingdom of"
    people = find_people(text + " Jordan, in 2019", project_resolver, common={"ii": 40})
    assert [p.name for p in people] == ["Abdullah"]


def test_a_bare_title_takes_the_post_the_lexicon_dates_the_person_in_that_year(project_resolver):
    # Iwaya was Minister of Defense in 2018-2019 and Minister for Foreign Affairs in 2024-2025.
    (then,) = find_people("Minister Iwaya visited Okinawa.", project_resolver, year=2019)
    (later,) = find_people(
        "Minister for Foreign Affairs Iwaya met Secretary of State Rubio.",
        project_resolver,
        year=2025,
    )[:1]
    assert (then.person.slug, then.post.slug) == ("takeshi-iwaya", "minister-of-defense-of-japan")
    assert later.post.slug == "minister-for-foreign-affairs-of-japan"


def test_a_family_name_that_is_also_a_word_ends_a_name_before_a_stop(project_resolver):
    common = {"mark": 30, "since": 40}
    for text in ("a courtesy call to Defence Minister Ron Mark.", "Defence Minister Ron Mark, who"):
        assert [p.name for p in find_people(text, project_resolver, common=common)] == ["Ron Mark"]
    # Not a common word that goes on ("Prime Minister Abe Since the ...").
    text = "Prime Minister Abe Since the"
    assert [p.name for p in find_people(text, project_resolver, common=common)] == ["Abe"]


def test_forms_of_address_ranks_and_letters_are_no_part_of_a_name(project_resolver):
    def named(text: str) -> list[tuple[str, str | None]]:
        found = find_people(text, project_resolver, year=2024)
        return [(p.name, p.post.slug if p.post else None) for p in found]

    # A rank between the post and the name: the post is the office held.
    assert named("Chief of Staff, Joint Staff General Yoshida Hideki met them.") == [
        ("Yoshida Hideki", "chief-of-staff-joint-staff")
    ]
    # After a comma and a form of address, the name is the title's holder; "MP" is not a name.
    assert named("Minister for Defence, the Hon Richard Marles MP, attended.") == [
        ("Richard Marles", "minister-for-defence-of-australia")
    ]
    # "Sheikh" addresses; "bin" joins the parts of one name.
    assert [n for n, _ in named("viewed by Prince Sheikh Mohammed bin Zayed Al Nahyan.")] == [
        "Mohammed bin Zayed Al Nahyan"
    ]
    # "General" after a one-word title is part of the title, not a rank to pass over: no
    # "Secretary" named Stoltenberg.
    assert named("NATO Secretary General Stoltenberg visited Japan.") == []


def test_a_known_name_runs_over_its_lower_case_rest(project_resolver):
    # A PDF breaks "Jong-un" into "Jong un": the lexicon prints the broken form, so the name
    # is the whole of it, not a person "Kim Jong".
    (p,) = find_people("Chairman Kim Jong un made clear his intention.", project_resolver)
    assert (p.name, p.person.slug if p.person else None) == ("Kim Jong un", "kim-jong-un")
    # A lower-case word that continues no known name is not taken in.
    (q,) = find_people("Chairman Kim said so.", project_resolver)
    assert q.name == "Kim"


def test_a_person_of_two_posts_holds_the_one_the_title_names(project_resolver):
    def post(text: str) -> tuple[str | None, str | None]:
        (p,) = find_people(text, project_resolver, year=2024)
        return (p.person.slug if p.person else None, p.post.slug if p.post else None)

    # Marles is Deputy Prime Minister and Minister for Defence of Australia.
    assert post("Deputy Prime Minister Marles visited Tokyo.") == (
        "richard-marles",
        "deputy-prime-minister-of-australia",
    )
    assert post("Minister for Defence Marles visited Tokyo.") == (
        "richard-marles",
        "minister-for-defence-of-australia",
    )


def test_sovereigns_are_titled_by_their_style_or_office(project_resolver):
    def named(text: str) -> list[tuple[str, str]]:
        found = find_people(text, project_resolver, common={"said": 50})
        return [(p.title, p.name) for p in found]

    # A style alone titles a name; a patronym that is also a common word stays in the name.
    assert named("Abe held a meeting with His Majesty Qaboos bin Said, the Sultan of Oman.") == [
        ("His Majesty", "Qaboos bin Said")
    ]
    assert named("a meeting with Sultan Qaboos bin Said in January 2014") == [
        ("Sultan", "Qaboos bin Said")
    ]
    # The office after the style is the title; a form of address after the state is not
    # part of the name.
    assert named("a meeting with Emir of Qatar Sheikh Tamim bin Hamad Al Thani in Tokyo") == [
        ("Emir", "Tamim bin Hamad Al Thani")
    ]
    assert named("His Royal Highness Crown Prince Mohammed bin Zayed visited.") == [
        ("Crown Prince", "Mohammed bin Zayed")
    ]


def test_a_state_after_a_title_may_be_printed_by_its_formal_name(project_resolver):
    (p,) = find_people(
        "Minister of Defense of the Republic of Finland Carl Haglund visited Japan.",
        project_resolver,
    )
    assert (p.name, p.state) == ("Carl Haglund", "finland")
