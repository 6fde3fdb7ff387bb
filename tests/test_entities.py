"""One entity per real-world thing: names, demonyms, capitals, name fragments and references."""


def test_demonym_and_alias_are_the_state(read):
    r = read("The US welcomed the deal. American officials said Washington would help.")
    us = r.entity("United States")
    assert us is not None
    assert {"US", "American officials"} <= us.alt_labels
    assert sum(1 for e in r.ents.entities.values() if e.key == "country:united-states") == 1


def test_capital_as_venue_is_a_place(read):
    r = read("The delegations met in Doha. Doha said the talks were constructive.")
    assert r.entity("Doha").cls == "Place"
    assert r.entity("Qatar") is not None  # the second Doha acts for the state


def test_name_fragments_merge(read):
    r = read("Sheikh Mohammed bin Abdulrahman bin Jassim al Thani arrived in Cairo. Al Thani met the delegations.")
    people = [e for e in r.ents.entities.values() if e.cls == "Person"]
    assert len(people) == 1
    assert people[0].label == "Mohammed bin Abdulrahman bin Jassim al Thani"
    assert "Al Thani" in people[0].alt_labels


def test_the_group_is_the_armed_organisation(read):
    r = read("Hezbollah fired rockets overnight. The group said it targeted a military base.")
    assert r.of("Statement")[0]["speaker"] == ["Hezbollah"]


def test_the_gulf_state(read):
    r = read("Qatar hosted the talks. The Gulf state said it would keep mediating.")
    assert [s["speaker"] for s in r.of("Statement")] == [["Qatar"]]


def test_the_two_sides_without_a_list_are_the_main_parties(read):
    r = read("Colombia and the ELN signed a ceasefire in Havana. The two sides said they would meet again.")
    speakers = {x for s in r.of("Statement") for x in s["speaker"]}
    assert speakers == {"Colombia", "National Liberation Army"}


def test_pronouns_are_never_labels(read):
    r = read("Netanyahu spoke on Sunday. He said the war would continue.")
    for e in r.ents.entities.values():
        assert e.label.lower() not in ("he", "she", "the group")
        assert not any(a.lower() in ("he", "she") for a in e.alt_labels)


def test_a_name_cut_after_al_goes_on_with_the_glued_word(read):
    r = read("Houthi leader Abdul Malik al-Houthi said the group would free the crew.")
    assert r.entity("Abdul Malik al-Houthi") is not None
    assert r.entity("Abdul Malik al-") is None
    assert ("Abdul Malik al-Houthi", "Houthis") in r.pairs("Role", "holder", "roleOf")


def test_a_bare_ministry_is_the_ministry_named_before(read):
    r = read("The Ministry of Foreign Affairs announced the release of nine sailors on Monday. "
             "The Ministry said the sailors were in good health.")
    assert r.entity("Ministry") is None
    assert {s for f in r.of("Statement") for s in f["speaker"]} == {"Ministry of Foreign Affairs"}
