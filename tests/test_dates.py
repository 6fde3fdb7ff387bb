"""Dates: time words resolved against the document's date, the document's own date, and the dates
event facts carry into the graph."""
import datetime as dt

import pytest
from rdflib import Graph
from rdflib.namespace import XSD

from kgbuild.build import run
from kgbuild.dates import FUTURE, PAST, date_of, find_times, line_date, normalize_date, resolve
from kgbuild.facts import DocMeta
from kgbuild.ingest import Document, iter_documents
from kgbuild.namespace import KGO
from kgbuild.pipeline import extract_documents

SAT_25_NOV_2023 = dt.date(2023, 11, 25)


def when(text: str, anchor=SAT_25_NOV_2023, tense=None) -> list[str | None]:
    return [resolve(e, anchor, tense) for e in find_times(text) if e.is_point]


# ------------------------------------------------------------------ explicit dates

@pytest.mark.parametrize("text, value", [
    ("The talks resumed on 7 October 2023 in Cairo.", "2023-10-07"),
    ("The talks resumed on October 7, 2023 in Cairo.", "2023-10-07"),
    ("The talks resumed on Oct. 7 in Cairo.", "2023-10-07"),
    ("The talks resumed on Oct 7, 2023.", "2023-10-07"),
    ("The talks resumed on the 7th of October.", "2023-10-07"),
    ("The talks resumed in October 2022.", "2022-10"),
    ("The talks resumed in early 2021.", "2021"),
    ("The talks resumed in January.", "2023-01"),
    ("Envoys met on 2024-02-29 in Rome.", "2024-02-29"),
])
def test_explicit_dates_at_the_precision_they_give(text, value):
    assert when(text, tense=PAST) == [value]


def test_a_date_without_a_year_is_the_nearest_one_the_tense_allows():
    jan_3 = dt.date(2024, 1, 3)
    assert when("Both sides swapped prisoners on December 29.", jan_3, PAST) == ["2023-12-29"]
    assert when("The next round will open on January 9.", jan_3, FUTURE) == ["2024-01-09"]
    assert when("The next round will open on December 2.", dt.date(2023, 11, 28), FUTURE) == ["2023-12-02"]
    assert when("The envoy arrived in December.", jan_3, PAST) == ["2023-12"]
    assert when("Both sides swapped prisoners on January 4.", jan_3, PAST) == ["2024-01-04"]  # not a year back


def test_words_that_only_look_like_months_are_not_dates():
    assert find_times("Officials may 5 times reject it, and troops march on.") == []
    assert find_times("The 2024 prisoners were counted.") == []


# ------------------------------------------------------------------ weekdays and relative words

def test_on_friday_in_an_article_of_saturday_is_the_day_before():
    assert when("On Friday, mediators said the first group had been freed.", tense=PAST) == ["2023-11-24"]
    assert when("On Friday, mediators said the first group had been freed.") == ["2023-11-24"]


def test_a_weekday_that_is_the_document_date_is_that_day():
    assert when("Aid lorries crossed into the enclave on Saturday.", tense=PAST) == ["2023-11-25"]
    assert when("The pause takes effect on Saturday.") == ["2023-11-25"]


def test_a_weekday_in_a_future_sentence_is_the_coming_one():
    assert when("The exchange will start on Sunday.", tense=FUTURE) == ["2023-11-26"]
    assert when("The truce is due to end on Tuesday.", tense=FUTURE) == ["2023-11-28"]


def test_last_and_next_weekday_skip_the_document_date():
    assert when("They last met last Saturday.") == ["2023-11-18"]
    assert when("They meet again next Saturday.") == ["2023-12-02"]
    assert when("The envoys spoke last Monday.") == ["2023-11-20"]


def test_a_weekday_with_its_date_is_read_from_the_date():
    got = find_times("The plane landed on Tuesday (September 19) in Washington.")
    assert [(e.text, resolve(e, dt.date(2023, 9, 19), PAST)) for e in got] == [("Tuesday (September 19)", "2023-09-19")]


@pytest.mark.parametrize("text, value", [
    ("The envoy arrived yesterday.", "2023-11-24"),
    ("The envoy arrives today.", "2023-11-25"),
    ("The envoy lands tonight.", "2023-11-25"),
    ("The envoy lands tomorrow.", "2023-11-26"),
    ("Officials met last month.", "2023-10"),
    ("Officials met earlier this year.", "2023"),
    ("Officials met last year.", "2022"),
    ("Officials met this week.", "2023-11"),
    ("Fighting flared two days ago.", "2023-11-23"),
    ("Fighting flared three weeks ago.", "2023-11"),
])
def test_relative_words(text, value):
    assert when(text) == [value]


def test_year_boundaries():
    new_year = dt.date(2024, 1, 1)  # a Monday
    assert when("Talks broke down on Friday.", new_year, PAST) == ["2023-12-29"]
    assert when("Talks broke down yesterday.", new_year) == ["2023-12-31"]
    assert when("Talks broke down last month.", new_year) == ["2023-12"]
    assert when("Talks broke down in December.", new_year, PAST) == ["2023-12"]
    assert when("Talks will resume in December.", dt.date(2023, 12, 31), FUTURE) == ["2023-12"]
    assert when("Talks resume next week.", dt.date(2023, 12, 28)) == ["2024-01"]
    assert when("Talks resume next week.", dt.date(2024, 12, 26)) == [None]  # 30 December to 5 January


def test_stretches_and_bounds_are_not_points_in_time():
    assert when("It is the fourth exchange so far this year.") == []
    assert [e.bound for e in find_times("The sides have swapped 40 detainees since August.")] == ["since"]
    assert when("The sides have swapped 40 detainees since August.") == []
    assert when("At least 7,000 people were killed between January and March.") == []
    assert when("The neighbours fought a border war from 1998 to 2000.") == []


def test_the_year_of_a_thing():
    assert when("Rabat still backs its 2007 proposal for autonomy.") == ["2007"]
    assert when("Both sides met in summer 2019.") == ["2019"]


def test_days_of_a_truce_count_from_its_start():
    truce_began = dt.date(2025, 1, 19)
    day3, = find_times("More captives walked free on the third day of the truce.")
    assert day3.kind == "dayof" and resolve(day3, SAT_25_NOV_2023, base=truce_began) == "2025-01-21"
    last, = find_times("The last day of the 42-day truce passed quietly.")
    assert resolve(last, SAT_25_NOV_2023, base=truce_began) == "2025-03-01"
    span = find_times("They agreed a 42-day ceasefire.")
    assert [e.kind for e in span] == ["span"] and not span[0].is_point
    assert resolve(day3, SAT_25_NOV_2023) is None  # no start stated: no date


def test_a_sentence_without_a_parse():
    assert date_of("Negotiators will reconvene on Sunday.", "2023-11-25") == "2023-11-26"
    assert date_of("Negotiators reconvened on Sunday.", "2023-11-25") == "2023-11-19"
    assert date_of("Negotiators reconvened.", "2023-11-25") is None


# ------------------------------------------------------------------ the document's own date

@pytest.mark.parametrize("raw, value", [
    ("2024-08-24", "2024-08-24"), ("2024-08-24T09:15:00+02:00", "2024-08-24"), ("May 31, 2024", "2024-05-31"),
    ("Sat, 25 Nov 2023 10:00:00 GMT", "2023-11-25"), ("14:05 03.01.2024", "2024-01-03"),
    ("November 2023", None), ("yesterday", None), ("", None),
])
def test_document_dates_are_normalised(raw, value):
    assert normalize_date(raw) == value


def test_the_day_a_furniture_line_shows():
    # datelines: the year from the caller (the URL, the page's date line) unless the line has one
    assert line_date("CAIRO, Sept 18 (Reuters) - ", 2023) == "2023-09-18"
    assert line_date("KYIV, Ukraine, Aug 24 \u2014 ", 2024) == "2024-08-24"
    assert line_date("KYIV, Ukraine, Aug 24 \u2014 ") is None  # no year anywhere
    assert line_date("AMMAN, 3rd March, 2024 (Wire) -- ") == "2024-03-03"
    assert line_date("RIGA, 9 June (Baltic Wire) \u2013 ", 2022) == "2022-06-09"
    # date lines, in the shapes pages give them
    assert line_date("Updated 9:05 AM GMT, March 3, 2024") == "2024-03-03"
    assert line_date("Published: 24/10/2024 - 08:15") == "2024-10-24"
    assert line_date("NEWSDESK | World | 05.02.24 | 10:12") == "2024-02-05"
    assert line_date("2 June 2023 | 14:00 GMT") == "2023-06-02"
    assert line_date("By Ana Ruiz | Jan 9, 2025 | 3 min read") == "2025-01-09"
    assert line_date("WIRE | 2024-07-30 08:05") == "2024-07-30"
    assert line_date("14:05 03.01.2024") == "2024-01-03"
    assert line_date("No date here") is None


def test_ingest_normalises_the_date_line_or_reads_the_dateline(tmp_path):
    (tmp_path / "a.txt").write_text("Talks end\n\n-----\nDate: March 1, 2024\n\nOman said the talks ended.\n")
    (tmp_path / "b.txt").write_text("Talks end\n\n-----\nURL: https://example.org/world/2023/09/18/talks\n\n"
                                    "MUSCAT, Sept 18 (Wire) - Oman said the talks ended.\n")
    (tmp_path / "c.txt").write_text("Talks end\n\n-----\nDate: the other day\n\nOman said the talks ended.\n")
    (tmp_path / "d.json").write_text('{"text": "Oman said the talks ended.", "date": "2024-03-02T18:30:00Z"}')
    dates = {d.meta.id: d.meta.date for d in iter_documents([tmp_path])}
    assert dates == {"a": "2024-03-01", "b": "2023-09-18", "c": "the other day", "d": "2024-03-02"}


# ------------------------------------------------------------------ event facts get their dates

def facts_of(nlp, text: str, date: str | None):
    doc = Document(DocMeta(id="t", date=date, chars=len(text)), text)
    result, = extract_documents([doc], nlp, triage=False)
    return [f for f in result.facts if f.cls != "Role"]


def dated(facts, cls):
    return sorted(str(f.values.get("date")) for f in facts if f.cls == cls)


def test_the_contracts_friday(nlp):
    facts = facts_of(nlp, "On Friday, Hamas freed 24 hostages held in Gaza.", "2023-11-25")
    assert dated(facts, "Release") == ["2023-11-24"]
    rel = next(f for f in facts if f.cls == "Release")
    assert rel.values["timeText"] == "Friday"


def test_a_news_lead_without_time_words_is_the_document_date(nlp):
    facts = facts_of(nlp, "Armenia and Azerbaijan have swapped 32 prisoners of war in a deal brokered by Qatar.",
                     "2024-02-14")
    assert dated(facts, "Exchange") == ["2024-02-14"]
    assert set(dated(facts, "Release")) == {"2024-02-14"}


def test_background_gets_no_date(nlp):
    text = ("Armenia and Azerbaijan have swapped 32 prisoners of war. "
            "The soldiers had been captured by Azerbaijan during the fighting. "
            "The previous exchange, which Qatar mediated, freed 10 detainees held by Azerbaijan.")
    facts = facts_of(nlp, text, "2024-02-14")
    assert dated(facts, "Exchange") == ["2024-02-14"]
    assert dated(facts, "HostageTaking") == ["None"]  # past perfect: before the news
    assert dated(facts, "Negotiation") == ["None"]    # "the previous exchange"


def test_planned_events_take_the_coming_day(nlp):
    facts = facts_of(nlp, "Egypt said Hamas will release 13 hostages on Sunday under the truce.", "2023-11-23")
    assert dated(facts, "Release") == ["2023-11-26"]


def test_a_plan_is_not_dated_by_the_day_it_was_announced(nlp):
    facts = facts_of(nlp, "Qatar said on Monday that Hamas will free 13 hostages.", "2023-11-22")
    assert dated(facts, "Statement") == ["2023-11-20"]
    assert dated(facts, "Release") == ["None"]


def test_a_clause_of_its_own_does_not_date_the_event(nlp):
    text = ("Kyiv said Russia had freed 90 soldiers captured during the offensive, which began on August 6.")
    facts = facts_of(nlp, text, "2024-09-14")
    assert "2024-08-06" not in dated(facts, "Release")


def test_a_day_after_the_main_clause(nlp):
    text = "The plane landed in Doha on Tuesday. It comes a day after Iran released five detainees."
    facts = facts_of(nlp, text, "2023-09-19")
    assert dated(facts, "Release") == ["2023-09-18"]


def test_the_day_before_with_nothing_before_it_is_the_day_before_the_news(nlp):
    text = ("Sudan's army has freed 30 aid workers, a spokesman said. "
            "The day before, army commanders met the Saudi envoy in Port Sudan.")
    assert dated(facts_of(nlp, text, "2024-05-09"), "Meeting") == ["2024-05-08"]


def test_a_release_told_when_reported_happened_by_the_freed_persons_arrival(nlp):
    text = ("Belarus has freed Anna Kowalska, a Polish journalist, in exchange for a Belarusian officer, "
            "Warsaw said on Saturday. Kowalska arrived in Vilnius on Thursday night aboard a US embassy car.")
    facts = facts_of(nlp, text, "2024-06-15")
    assert dated(facts, "Release") == ["2024-06-13"]
    # a release its own words date keeps its day; an arrival long after it says nothing of it
    text = ("Belarus freed Anna Kowalska on Saturday, Warsaw said. "
            "Kowalska arrived in Vilnius on Thursday night aboard a US embassy car.")
    assert dated(facts_of(nlp, text, "2024-06-15"), "Release") == ["2024-06-15"]
    text = ("Belarus has freed Anna Kowalska, Warsaw said on Saturday. "
            "Kowalska arrived in Minsk in March 2021 to report on the protests.")
    assert dated(facts_of(nlp, text, "2024-06-15"), "Release") == ["2024-06-15"]


def test_the_rest_of_the_lead_happened_on_the_leads_day(nlp):
    text = ("Colombian and ELN envoys met in Oslo on Wednesday, Norway said. "
            "The delegations held talks with Norway's foreign minister, Espen Barth Eide.")
    assert dated(facts_of(nlp, text, "2024-03-08"), "Meeting") == ["2024-03-06", "2024-03-06"]


def test_a_toll_of_an_earlier_war_is_not_the_days_news(nlp):
    text = ("Armenia and Azerbaijan swapped 32 prisoners on Monday. The two countries fought a war in 2020. "
            "The war killed about 6,500 people, officials said later.")
    facts = facts_of(nlp, text, "2023-12-14")
    assert dated(facts, "Exchange") == ["2023-12-11"]
    assert dated(facts, "CasualtyReport") == ["None"]


def test_a_day_of_the_truce_once_its_start_is_stated(nlp):
    text = ("Qatar has mediated between Israel and Hamas since the talks in February. The truce began on Friday. "
            "Hamas freed 13 hostages on the third day of the truce.")
    facts = facts_of(nlp, text, "2023-11-28")
    assert dated(facts, "Release") == ["2023-11-26"]
    assert dated(facts, "Negotiation") == ["None"]  # "since …": a stretch up to now


def test_no_document_date_leaves_relative_words_unresolved(nlp):
    facts = facts_of(nlp, "On Friday, Hamas freed 24 hostages. Egypt released 39 prisoners on 24 November 2023.", None)
    assert dated(facts, "Release") == ["2023-11-24", "None"]


def test_the_graph_types_each_date_by_its_precision(tmp_path):
    arts = tmp_path / "in"
    arts.mkdir()
    (arts / "swap.txt").write_text(
        "Prisoners swapped\n\n-----\nDate: 2024-01-03\n\n"
        "Russia and Ukraine exchanged prisoners on Wednesday, with 230 Ukrainians freed by Russia and "
        "248 Russians freed by Ukraine. In August, Russia had freed 22 Ukrainian soldiers. "
        "In 2022, Ukraine released 50 Russian soldiers.\n")
    run([arts], tmp_path / "out", html=False)
    g = Graph().parse(tmp_path / "out" / "graph.ttl")
    got = {(str(o), o.datatype) for o in g.objects(None, KGO.date)}
    assert ("2024-01-03", XSD.date) in got
    assert ("2023-08", XSD.gYearMonth) in got
    assert ("2022", XSD.gYear) in got
    exchange = next(g.subjects(predicate=None, object=KGO.Exchange))
    assert [str(d) for d in g.objects(exchange, KGO.date)] == ["2024-01-03"]


def test_skipping_patterns_a_sentence_cannot_match_changes_nothing(monkeypatch):
    """find_times skips a pattern when the sentence lacks a word (or digit) the pattern needs;
    over sentences full of time words it finds exactly what running every pattern finds."""
    import random

    from kgbuild import dates as D

    words = ("on Tuesday last week the 3rd day of the truce over the weekend two weeks ago 10-day "
             "ceasefire in mid-March 2024 since 7 October Oct. 9 , 2023 yesterday the day before "
             "yesterday later today this evening three days later day two of the pause early "
             "2025 their 2019 deal next Friday morning earlier this month ſeptember Sept 12 "
             "2024-05-01 a year after four-day hours-long talks at the weekend").split()
    rng = random.Random(7)
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))) for _ in range(3000)]
    gated = [D.find_times(t) for t in texts]
    every = {k: (False, ()) for k in D._needs()}
    monkeypatch.setattr(D, "_needs", lambda: every)
    assert [D.find_times(t) for t in texts] == gated
    assert sum(map(len, gated)) > 3000  # the sentences do name times


def test_a_page_is_dated_by_the_line_its_furniture_rules_find(tmp_path):
    """One recogniser: the line ingest blanks as the page's date line or dateline is the line the
    document's date is read from; a sentence that names a date is neither."""
    pages = {
        "a": "Skip to content\nBy A WRITER\nUpdated 9:05 AM GMT, March 3, 2024\n\nOman said the talks ended.\n",
        "b": "Talks stall\nPublished: 24/10/2024 - 08:15\n\nKYIV (AFP) \u2013 Oman said the talks ended on Friday.\n",
        "c": "NEWSDESK | World | 05.02.24 | 10:12\n\nOman said the talks ended on Friday.\n",
        "d": "Talks end in Muscat\nBy Ana Ruiz | Jan 9, 2025 | 3 min read\n\nOman said the talks ended.\n",
        # the dateline's day, in the year of the page's date line
        "e": "Talks end in Muscat\nJan 2, 2025 10:15 AM GMT+4\n\nMUSCAT, Dec 31 (Wire) - Oman said the talks ended.\n",
        "f": "Envoys said on 4 May 2023 that the talks in Jeddah would resume soon.\n\nNo one else spoke.\n",
    }
    for name, text in pages.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    docs = {d.meta.id: d for d in iter_documents([tmp_path])}
    assert {k: d.meta.date for k, d in docs.items()} == {
        "a": "2024-03-03", "b": "2024-10-24", "c": "2024-02-05", "d": "2025-01-09", "e": "2024-12-31", "f": None}
    for name in "abcde":  # and the line it was read from is page furniture, blanked for the parser
        d = docs[name]
        assert not any(ch.isdigit() for ch in d.nlp_text()[:d.text.index("Oman said")]), name
    assert not docs["f"].furniture
