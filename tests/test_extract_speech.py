"""Statements, demands, proposals and rejections."""


def test_statement_with_pronoun_speaker(read):
    r = read('Foreign Minister Hakan Fidan met both delegations. "We are ready to host more talks," he said.')
    assert [s["speaker"] for s in r.of("Statement")] == [["Hakan Fidan"]]


def test_demand_and_press_for(read):
    r = read("Hezbollah demanded a full Israeli withdrawal. Lebanon pressed for the release of its citizens.")
    assert {d["demandedBy"][0] for d in r.of("Demand")} == {"Hezbollah", "Lebanon"}


def test_proposal_and_its_rejection(read):
    r = read("Egypt proposed a two-week truce. Israel rejected a proposal by Hamas to end the war.")
    assert ("Israel", "Hamas") in r.pairs("Proposal", "rejectedBy", "proposedBy")
    assert {p for r_ in r.of("Proposal") for p in r_.get("proposedBy", [])} >= {"Egypt", "Hamas"}


def test_rejecting_a_groups_demand(read):
    r = read("The Houthis demanded that all detainees be freed. Saudi Arabia rejected the group's demand.")
    assert ("Saudi Arabia", "Houthis") in r.pairs("Proposal", "rejectedBy", "proposedBy")


def test_voting_against_is_a_rejection(read):
    r = read("Two ministers voted against the agreement on Thursday.")
    assert not r.of("Proposal")  # nobody named: no fact
    r = read("Israel's National Security Minister Itamar Ben-Gvir voted against the agreement.")
    assert any(p.get("rejectedBy") == ["Itamar Ben-Gvir"] for p in r.of("Proposal"))


def test_hedged_proposal_makes_no_fact(read):
    assert not read("Qatar may propose a new framework next week.").of("Proposal")


def test_denial_blocks_what_it_denies_but_not_what_follows(read):
    r = read("Cambodia denied releasing the soldiers and called on the court to rule on the border.")
    assert not r.of("Release")
    assert [d["demandedBy"] for d in r.of("Demand")] == [["Cambodia"]]


def test_a_demand_rejected_in_apposition(read):
    r = read("Moscow demanded that Ukraine withdraw its troops, a demand Kyiv rejected as unacceptable.")
    assert ("Ukraine", "Russia") in r.pairs("Proposal", "rejectedBy", "proposedBy")


def test_according_to_a_statement_or_officials_is_a_statement(read):
    r = read("According to a statement issued by the Armenian Foreign Ministry, the talks will resume in May.")
    assert {s for row in r.of("Statement") for s in row["speaker"]} == {"Armenian foreign ministry"}
    r = read("According to Azerbaijani officials, the border crossing reopened on Monday.")
    assert {s for row in r.of("Statement") for s in row["speaker"]} == {"Azerbaijan"}


def test_a_source_of_figures_is_left_to_casualty_reports(read):
    r = read("The shelling killed 12 people, according to Ukrainian officials.")
    assert not r.of("Statement")


def test_wire_services_and_platforms_make_no_statement(read):
    r = read("Reuters reported that Egypt had invited both delegations to Cairo. "
             "The minister said on Telegram that the talks would continue.")
    speakers = {s for row in r.of("Statement") for s in row["speaker"]}
    assert "Reuters" not in speakers and "Telegram" not in speakers


def test_a_statement_speaks_for_whoever_issued_it(read):
    r = read("\u201cBoth sides must stop the fighting,\u201d said a joint US-Egyptian statement, which welcomed the talks.")
    assert {s for row in r.of("Statement") for s in row["speaker"]} == {"United States", "Egypt"}


def test_more_ways_of_reporting(read):
    r = read("The Armenian foreign ministry conceded that the talks had been difficult.")
    assert r.of("Statement")
    assert not read("Israel responded with air strikes on Monday.").of("Statement")


def test_a_list_of_demands_after_the_main_clause(read):
    r = read("Big gaps remain as Hamas insists the UN must run the aid, calls for guarantees against a return to war, "
             "and wants a list of the prisoners.")
    assert ("Hamas", ) in {tuple(x["demandedBy"]) for x in r.of("Demand")}


def test_a_demand_inside_a_quote_is_the_speakers(read):
    r = read("\u201cThe Kingdom of Saudi Arabia and the US call on both sides to stop the fighting at once,\u201d "
             "said a joint US-Saudi statement.")
    got = r.of("Demand")
    assert {d for x in got for d in x["demandedBy"]} == {"United States", "Saudi Arabia"}
    assert all(x["confidence"] < 1 for x in got)


def test_a_name_after_a_day_is_the_subject_and_saying_is_the_speakers(read):
    r = read("On Friday Mykhailo Podolyak underlined that Armenia and Azerbaijan would be signing separate "
             "agreements, saying Armenia \u201csigns nothing with Azerbaijan\u201d.")
    assert {s for row in r.of("Statement") for s in row["speaker"]} == {"Mykhailo Podolyak"}


def test_a_rejected_idea_is_the_proposal_of_all_who_made_it(read):
    r = read("Egyptian and Qatari mediators have proposed extending the truce by two weeks. Hamas rejected the idea "
             "on Saturday.")
    assert r.pairs("Proposal", "rejectedBy", "proposedBy") == {("Hamas", "Egypt"), ("Hamas", "Qatar")}


def test_more_ways_of_rejecting(read):
    r = read("The ELN said no to the Colombian government's offer.")
    assert ("National Liberation Army", "Colombia") in r.pairs("Proposal", "rejectedBy", "proposedBy")
    r = read("The RSF accepted the Saudi proposal, but the Sudanese army rejected it.")
    assert ("Sudanese Armed Forces", "Saudi Arabia") in r.pairs("Proposal", "rejectedBy", "proposedBy")
    r = read("Israel rejected the changes Hamas sought to the ceasefire text.")
    assert ("Israel", "Hamas") in r.pairs("Proposal", "rejectedBy", "proposedBy")


def test_what_another_side_must_do_is_a_demand(read):
    r = read("Hezbollah leader Naim Qassem said on Sunday that Israel must withdraw from every village.")
    assert [d["demandedBy"] for d in r.of("Demand")] == [["Naim Qassem"]]
    # what the speaker's own side must do, or what talks must do, demands nothing of anyone
    assert not read("Israeli Prime Minister Benjamin Netanyahu said Israel must remain vigilant.").of("Demand")
    assert not read("Egypt said the negotiations must continue next week.").of("Demand")


def test_a_plan_made_by_several_is_rejected_as_each_ones(read):
    r = read("Niger's government on Monday rejected a peace plan put forward by Ghana, Senegal and Togo.")
    assert {p for rj, p in r.pairs("Proposal", "rejectedBy", "proposedBy")} >= {"Ghana", "Senegal", "Togo"}


def test_a_rejecting_participle_is_not_under_the_main_verbs_not(read):
    r = read('An ELN commander told reporters the rebels "will not lay down their arms," '
             "rejecting a Colombian proposal for a demobilisation zone.")
    assert ("National Liberation Army", "Colombia") in r.pairs("Proposal", "rejectedBy", "proposedBy")


def test_it_rejected_is_what_was_just_proposed(read):
    r = read("A spokesman said the Malian government had proposed a buffer zone along the river, "
             "but that the rebels of the FLA had rejected it.")
    assert any(p.get("rejectedBy") and p.get("proposedBy") == ["Mali"] for p in r.of("Proposal"))


def test_a_past_verb_after_what_would_not_happen_is_the_speakers_own_act(read):
    r = read('Prime Minister Kamla Persad of Trinidad said the government would "not give in to threats" '
             "and urged Venezuela to withdraw its ships from the gulf.")
    assert [d["demandedBy"] for d in r.of("Demand")] == [["Kamla Persad"]]


def test_what_a_side_expects_of_another_is_its_demand(read):
    r = read("Jordan expects Syria to reopen the border crossing before the harvest.")
    assert [d["demandedBy"] for d in r.of("Demand")] == [["Jordan"]]
    assert not read("Jordan expects the talks to resume next month.").of("Demand")   # a forecast


def test_a_side_bound_or_a_condition_as_the_speaker_puts_it(read):
    r = read("Under the accord, Serbia is required to return the seized trucks, Kosovo said.")
    assert [d["demandedBy"] for d in r.of("Demand")] == [["Kosovo"]]
    r = read("Georgia stressed that the return of the detained farmers remains a condition for any deal.")
    assert [d["demandedBy"] for d in r.of("Demand")] == [["Georgia"]]


def test_a_past_act_joined_to_what_the_reporter_said_is_the_reporters(read):
    r = read("Moldovan President Maia Sandu told reporters that Russia keeps troops in Transnistria, "
             "and called on the OSCE to act.")
    assert [d["demandedBy"] for d in r.of("Demand")] == [["Maia Sandu"]]
    r = read("Turkey called upon both governments to show restraint.")
    assert [d["demandedBy"] for d in r.of("Demand")] == [["Turkey"]]
