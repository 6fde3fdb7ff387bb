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


# Mediators named by their role, as news reports name them (rules in data/patterns/mediation.json)

def _mediators(r) -> set:
    return {m for f in r.of("Negotiation") for m in f.get("mediator", [])}


def test_role_word_before_the_name(read):
    r = read("Mediator Norway said on Friday that the Philippine government and the NDF had agreed to meet again.")
    assert _mediators(r) == {"Norway"}


def test_role_word_then_a_list_of_names(read):
    r = read("Kenya and Ethiopia swapped 40 prisoners on Sunday. "
             "Joint mediators Uganda, the United States and Tanzania will monitor the exchange from Kampala.")
    assert {"Uganda", "United States", "Tanzania"} <= _mediators(r)


def test_role_in_apposition_after_the_name(read):
    r = read("Switzerland, a longtime mediator in the conflict, welcomed the prisoner swap between Armenia and Azerbaijan.")
    assert r.pairs("Negotiation", "mediator", "party") == {("Switzerland", "Armenia"), ("Switzerland", "Azerbaijan")}


def test_a_list_as_guarantor_countries(read):
    r = read("Ghana, Senegal and Nigeria as the guarantor countries of the Liberian peace process.")
    assert _mediators(r) == {"Ghana", "Senegal", "Nigeria"}


def test_a_list_with_no_verb_after_a_colon(read):
    r = read("Guarantor states: Ghana, Senegal and Nigeria.")
    assert _mediators(r) == {"Ghana", "Senegal", "Nigeria"}


def test_named_as_guarantors_by_a_verb(read):
    r = read("The two delegations accepted Mexico and Chile as guarantors of the talks.")
    assert _mediators(r) == {"Mexico", "Chile"}


def test_absolute_with_clause_of_go_betweens(read):
    r = read("Uganda and the rebels negotiated the handover, with the Norwegian government and the "
             "International Committee of the Red Cross serving as go-betweens, an official said.")
    meds = _mediators(r)
    assert meds == {"Norway", "International Committee of the Red Cross"}


def test_initiative_and_help_count_only_around_a_deal(read):
    r = read("The 12 detainees were freed under Kuwait's initiative, the ministry said.")
    assert _mediators(r) == {"Kuwait"}
    r = read("Three hostages were released with the help of Oman, officials said.")
    assert _mediators(r) == {"Oman"}
    assert not read("Food reached the valley with the help of Oman, officials said.").of("Negotiation")


def test_their_leaders_are_the_reporting_states(read):
    r = read("In a joint statement, Oman and Kuwait said the handover had come about thanks to mediation efforts by their leaders.")
    assert _mediators(r) == {"Oman", "Kuwait"}


def test_a_title_in_apposition_is_not_a_mediation(read):
    assert not read("The team includes Dan Levi, the government's coordinator for hostages.").of("Negotiation")


def test_sides_of_an_exchange_become_the_parties(read):
    r = read("Qatar mediated the agreement. A long-awaited prisoner exchange between Iran and Sweden went ahead on Monday.")
    assert r.pairs("Negotiation", "mediator", "party") == {("Qatar", "Iran"), ("Qatar", "Sweden")}


def test_helped_secure_a_release(read):
    r = read("Oman helped secure the release of the two aid workers held by the Houthis, the ministry said.")
    assert _mediators(r) == {"Oman"}


def test_played_a_role_in_talks(read):
    r = read("Norway played a key role in the negotiations between Colombia and the ELN.")
    assert r.pairs("Negotiation", "mediator", "party") == {("Norway", "Colombia"), ("Norway", "National Liberation Army")}


def test_thanked_for_its_efforts_around_a_deal(read):
    r = read("Kenya thanked Norway for its efforts in securing the ceasefire with the rebels.")
    assert _mediators(r) == {"Norway"}
    assert not read("Kenya thanked Norway for its efforts in the flood relief.").of("Negotiation")


def test_speaker_says_it_brokered(read):
    r = read("Kenya and Uganda swapped 20 prisoners. The two countries thanked Qatar, which stated it had brokered the deal.")
    assert r.pairs("Negotiation", "mediator", "party") >= {("Qatar", "Kenya"), ("Qatar", "Uganda")}


def test_assisted_in_mediation_efforts(read):
    r = read("Kenya and Uganda swapped 20 prisoners. The ministry noted that Qatar had assisted in the mediation efforts.")
    assert _mediators(r) == {"Qatar"}


def test_thanked_in_the_passive(read):
    r = read("Kenya and Uganda swapped 20 prisoners. Qatar was thanked by both sides for mediating the talks.")
    assert _mediators(r) == {"Qatar"}


def test_talks_aided_by_organisations(read):
    r = read("Direct talks in Muscat between the Houthis and Saudi Arabia have been under way for two weeks, "
             "aided by the UN and the International Committee of the Red Cross.")
    assert _mediators(r) == {"United Nations", "International Committee of the Red Cross"}


def test_gratitude_for_hosting_talks(read):
    r = read("The envoy expressed gratitude to Oman for hosting the talks between the Houthis and Saudi Arabia.")
    assert _mediators(r) == {"Oman"}
    assert not read("Kenya expressed gratitude to Japan for its support to flood victims.").of("Negotiation")


def test_sides_from_a_swap_with_the_other_side(read):
    r = read("Qatar mediated the deal. Russia swapped 90 prisoners with Ukraine on Friday.")
    assert r.pairs("Negotiation", "mediator", "party") == {("Qatar", "Russia"), ("Qatar", "Ukraine")}
    r = read("Oman brokered the release. Iran's prisoner swap with Belgium went ahead on Friday.")
    assert r.pairs("Negotiation", "mediator", "party") == {("Oman", "Iran"), ("Oman", "Belgium")}


def test_mediating_along_with_others(read):
    r = read("Oman, along with Kuwait and the United States, has mediated between Iran and Bahrain for months.")
    assert _mediators(r) == {"Oman", "Kuwait", "United States"}
    r = read("Oman mediated the deal, which Iran signed along with Bahrain.")
    assert _mediators(r) == {"Oman"}


def test_mediating_countries_then_names(read):
    assert _mediators(read("The mediating countries Kuwait and Oman said the truce would hold.")) == {"Kuwait", "Oman"}


def test_sides_from_who_fought_whom(read):
    r = read("Oman brokered a ceasefire. The Houthis, which fought Saudi Arabia for years, welcomed it.")
    assert r.pairs("Negotiation", "mediator", "party") == {("Oman", "Houthis"), ("Oman", "Saudi Arabia")}


def test_a_states_role_as_mediator(read):
    r = read("Kenya and Uganda swapped 20 prisoners. Qatar's role as mediator was praised by both governments.")
    assert _mediators(r) == {"Qatar"}


def test_talks_expected_to_be_run_by_someone_have_no_mediator_yet(read):
    r = read("Those talks between Sudan's army and the RSF, whenever they begin, are expected to be run by the African Union.")
    assert not r.of("Negotiation")


def test_sides_from_talks_pitting_one_against_the_other(read):
    r = read("Qatar brokered the deal. Direct negotiations pitting the Sudanese army against the Rapid Support Forces "
             "began on Saturday.")
    assert {p for _, p in r.pairs("Negotiation", "mediator", "party")} == {"Sudanese Armed Forces", "Rapid Support Forces"}


def test_guarantors_named_after_including_or_together_with(read):
    r = read("Talks between Colombia and the ELN are backed by guarantor countries including Norway and Cuba.")
    assert {m for m, _ in r.pairs("Negotiation", "mediator", "party")} == {"Norway", "Cuba"}
    r = read("Peace talks between the Philippines and the rebels resumed in Oslo. "
             "Norway is one of the facilitators together with Japan and Malaysia.")
    assert {"Norway", "Japan", "Malaysia"} <= {m for m, _ in r.pairs("Negotiation", "mediator", "party")}


def test_one_of_the_mediators(read):
    r = read("Talks between Israel and Hamas stalled in Cairo. Qatar is one of the mediators.")
    assert "Qatar" in {m for m, _ in r.pairs("Negotiation", "mediator", "party")}


def test_mediation_provided_by(read):
    r = read("Armenia and Azerbaijan swapped 12 detainees each on Monday. Mediation was provided by Georgia.")
    assert {m for m, _ in r.pairs("Negotiation", "mediator", "party")} == {"Georgia"}


def test_a_countrys_named_armed_group_acts_not_the_country(read):
    r = read("Nigeria's Boko Haram fighters released twelve hostages on Friday.")
    assert [x["releasedBy"] for x in r.of("Release")] == [["Boko Haram"]]


def test_a_states_warring_sides_are_the_sides_not_the_state(read):
    r = read("The army and the Rapid Support Forces have fought since April. "
             "Libya's warring sides sent delegations to Geneva for talks.")
    assert all("Libya" not in m.get("participant", []) for m in r.of("Meeting"))


def test_headline_sides_listed_with_a_comma(read):
    r = read("Armenia, Azerbaijan resume border talks in Almaty\n\nThe talks are the first since March.")
    assert any(set(m["participant"]) == {"Armenia", "Azerbaijan"} and m.get("location") == ["Almaty"]
               for m in r.of("Meeting"))


def test_states_that_put_a_plan_to_both_sides_mediate_between_them(read):
    r = read("Mali's government rejected the ceasefire plan on Tuesday. Algeria and Mauritania had presented "
             "the plan to both sides in Algiers last week.")
    pairs = r.pairs("Negotiation", "mediator", "party")
    assert {("Algeria", "Mali"), ("Mauritania", "Mali")} <= pairs
    assert not any(m == "Mali" for m, _ in pairs)


def test_a_group_spelled_out_stands_for_its_members(read):
    r = read("The Troika, comprising the United States, Britain and Norway, met in Oslo on Monday. "
             "Hamas accepted the ceasefire plan of the Troika countries and called on the mediators "
             "to send monitors.")
    members = {"United States", "United Kingdom", "Norway"}
    assert r.entity("Troika") is None or not any("Troika" in v for f in r.of("Meeting") for v in f.values())
    assert any(set(m["participant"]) == members and m.get("location") == ["Oslo"] for m in r.of("Meeting"))
    # "the mediators", with no mediator named, are the group the article spelled out
    assert {m for m, _ in r.pairs("Negotiation", "mediator", "party")} | \
        {m for f in r.of("Negotiation") for m in f["mediator"]} == members
    assert {p for f in r.of("Proposal") for p in f.get("proposedBy", [])} == members


def test_a_group_named_by_its_number_is_the_last_list_of_that_many(read):
    r = read("Qatar restored ties with the three states that cut them in 2019: Jordan, Oman and Kuwait. "
             "The deal was credited to mediation by Turkey between Doha and the trio.")
    assert {p for m, p in r.pairs("Negotiation", "mediator", "party") if m == "Turkey"} == \
        {"Qatar", "Jordan", "Oman", "Kuwait"}


def test_the_mediators_are_those_named_and_a_quote_is_the_speakers_word(read):
    r = read("Egypt and Qatar have mediated between Israel and Hamas since May. "
             "A Hamas delegation met the mediators in Cairo on Friday.")
    assert any(set(m["participant"]) == {"Hamas", "Egypt", "Qatar"} for m in r.of("Meeting"))
    r = read("Egypt mediated the talks. \"Both sides and (the mediators) declare a truce,\" he said.")
    assert not any("Egypt" in f["speaker"] for f in r.of("Statement"))


def test_a_release_in_coordination_with_a_third_state(read):
    r = read("Israel freed four Lebanese detainees in coordination with the United States on Monday.")
    assert {m for f in r.of("Negotiation") for m in f["mediator"]} == {"United States"}
    r = read("The Houthis released the crew, saying the move was made in coordination with Hamas.")
    assert not r.of("Negotiation")  # an armed ally is no go-between
