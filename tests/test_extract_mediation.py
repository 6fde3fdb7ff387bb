"""Who mediates between whom (kgo:Negotiation) and truces, from sentences written for these tests."""


def test_active_broker_with_between(read):
    r = read("Oman brokered the deal between Iran and Belgium after months of contacts.")
    assert r.pairs("Negotiation", "mediator", "party") == {("Oman", "Belgium"), ("Oman", "Iran")}


def test_passive_participle_and_clause_subjects(read):
    r = read("Armenia and Azerbaijan carried out a prisoner swap on Tuesday, in an exchange mediated by the European Union.")
    assert r.pairs("Negotiation", "mediator", "party") == {("European Union", "Armenia"), ("European Union", "Azerbaijan")}


def test_hyphenated_broker_and_list_of_mediators(read):
    r = read("Hezbollah and Israel agreed to a ceasefire in talks facilitated by France, Qatar and the United States.")
    meds = {m for m, _ in r.pairs("Negotiation", "mediator", "party")}
    assert meds == {"France", "Qatar", "United States"}
    assert {p for _, p in r.pairs("Negotiation", "mediator", "party")} == {"Hezbollah", "Israel"}


def test_mediation_noun_with_demonyms(read):
    r = read("The Houthis and Saudi Arabia exchanged 900 prisoners. The swap was arranged with Omani and Swiss help.")
    assert {m for m, _ in r.pairs("Negotiation", "mediator", "party")} == {"Oman", "Switzerland"}


def test_capital_metonym_mediates_for_its_state(read):
    r = read("Rwanda and the Congo government held talks in Luanda. Mediation by Doha continued through the winter.")
    assert ("Qatar", "Rwanda") in r.pairs("Negotiation", "mediator", "party")


def test_hedged_or_negated_mediation_makes_no_fact(read):
    assert not read("Turkey may mediate between Russia and Ukraine next year.").of("Negotiation")
    assert not read("Egypt did not broker the truce between Israel and Hamas.").of("Negotiation")


def test_a_party_is_never_also_a_mediator(read):
    r = read("Russia and Ukraine swapped 90 prisoners each. The exchange was brokered by the UAE. "
             "The two countries, which have been leading negotiations, met in Istanbul.")
    assert all(m == "United Arab Emirates" for m, _ in r.pairs("Negotiation", "mediator", "party"))


def test_truce_agreed_between_sides(read):
    r = read("Sudan's army and the Rapid Support Forces agreed a seven-day truce on Saturday.")
    truces = r.of("Truce")
    assert truces and truces[0]["status"] == "agreed"
    # the gazetteer knows "Sudan's army" as the Sudanese Armed Forces
    assert set(truces[0]["party"]) == {"Sudanese Armed Forces", "Rapid Support Forces"}


def test_go_between_whose_president(read):
    r = read("Japan and China held talks in Seoul on Monday. South Korea, whose president, Lee Jae-myung, has acted "
             "as a go-between for Tokyo and Beijing, welcomed the outcome.")
    meds = {m for m, _ in r.pairs("Negotiation", "mediator", "party")}
    assert "South Korea" in meds
    assert {p for _, p in r.pairs("Negotiation", "mediator", "party")} == {"Japan", "China"}


def test_relative_clause_on_a_list_of_mediators(read):
    r = read("Iraq and Oman, which mediated earlier rounds of talks between Riyadh and Tehran, welcomed the deal.")
    assert r.pairs("Negotiation", "mediator", "party") == {
        ("Iraq", "Saudi Arabia"), ("Iraq", "Iran"), ("Oman", "Saudi Arabia"), ("Oman", "Iran")}
