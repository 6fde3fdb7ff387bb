"""Meetings with their places, and casualty reports with who reports them."""


def test_meeting_with_participants_and_place(read):
    r = read("Delegations from Armenia and Azerbaijan met in Geneva on Monday.")
    assert r.pairs("Meeting", "participant", "location") == {("Armenia", "Geneva"), ("Azerbaijan", "Geneva")}


def test_talks_between_sides_in_a_city(read):
    r = read("Negotiations between the Sudanese Armed Forces and the Rapid Support Forces in Jeddah resumed.")
    assert ("Rapid Support Forces", "Jeddah") in r.pairs("Meeting", "participant", "location")


def test_expected_meeting_is_not_a_meeting(read):
    assert not read("The two leaders are expected to meet in Ankara next week.").of("Meeting")


def test_casualties_according_to_source(read):
    r = read("The strikes killed at least 45 people, according to Lebanese health officials.")
    c = r.of("CasualtyReport")
    assert c and c[0]["count"] == 45 and c[0]["countQualifier"] == "at least" and c[0]["casualtyKind"] == "killed"
    assert c[0]["reportedBy"] == ["Lebanon"] or c[0]["reportedBy"][0].startswith("Lebanese")


def test_injured_passive_with_reporting_speaker(read):
    r = read("Nearly 90 people were wounded in the attack, the Ukrainian interior ministry said.")
    c = r.of("CasualtyReport")
    assert c and c[0]["count"] == 90 and c[0]["casualtyKind"] == "injured"


def test_the_meeting_takes_the_place_of_the_talks_just_reported(read):
    r = read("Kosovo and Serbia agreed on a plan after talks in the lakeside town of Ohrid. "
             "The meeting between Kosovo's Prime Minister Albin Kurti and Serbian President Aleksandar Vucic "
             "lasted twelve hours.")
    assert ("Albin Kurti", "Ohrid") in r.pairs("Meeting", "participant", "location")


def test_lives_claimed(read):
    r = read("The accord ends a conflict that has claimed more than 220,000 lives over five decades.")
    c = r.of("CasualtyReport")
    assert c and c[0]["count"] == 220000 and c[0]["countQualifier"] == "more than"


# Meetings as reports tell them (rules in data/patterns/meeting.json)

def test_delegation_arrives_in_a_city_for_talks(read):
    r = read("A Houthi delegation arrived in Muscat on Monday for talks with Saudi officials.")
    assert r.pairs("Meeting", "participant", "location") == {("Houthis", "Muscat"), ("Saudi Arabia", "Muscat")}


def test_delegation_flies_to_a_city_to_resume_negotiations(read):
    r = read("Envoys from Sudan's army flew to Manama on Friday to resume negotiations with the RSF.")
    assert ("Rapid Support Forces", "Manama") in r.pairs("Meeting", "participant", "location")


def test_delegation_reaches_a_city(read):
    r = read("The Ethiopian negotiating team reached Nairobi late on Sunday.")
    assert r.pairs("Meeting", "participant", "location") == {("Ethiopia", "Nairobi")}


def test_going_home_is_not_a_meeting(read):
    assert not read("The Ethiopian delegation returned to Addis Ababa on Monday.").of("Meeting")


def test_delegation_left_for_a_city_read_less_surely(read):
    r = read("On Sunday a Sudanese delegation left for Jeddah, Saudi Arabia, to restart negotiations with the RSF "
             "on a truce covering the capital, officials said.")
    m = r.of("Meeting")
    assert ("Rapid Support Forces", "Jeddah") in r.pairs("Meeting", "participant", "location")
    assert m[0]["confidence"] < 1


def test_talks_resumed_and_were_held_in_cities(read):
    r = read("Talks between the Malian government and the CMA stalled in May, but they resumed in Algiers in July "
             "and were later held in Niamey.")
    assert {("Mali", "Algiers"), ("Mali", "Niamey")} <= r.pairs("Meeting", "participant", "location")


def test_round_of_talks_began_in_a_city(read):
    r = read("The third round of negotiations between Ethiopia and Egypt began in Khartoum on Tuesday.")
    assert r.pairs("Meeting", "participant", "location") == {("Ethiopia", "Khartoum"), ("Egypt", "Khartoum")}


def test_takes_part_in_a_meeting_with_someone(read):
    r = read("Omar al-Bashir, the Sudanese president, takes part in a meeting with Vladimir Putin in Sochi, Russia.")
    assert ("Vladimir Putin", "Sochi") in r.pairs("Meeting", "participant", "location")
    assert len(r.of("Meeting")[0]["participant"]) == 2


def test_his_meeting_with_and_the_city_he_was_visiting(read):
    r = read("The news broke while UN envoy Jan Kubis was visiting Tripoli. "
             "Following his meeting with Khalifa Haftar, Kubis said the ceasefire would hold.")
    assert ("Jan Kubis", "Tripoli") in r.pairs("Meeting", "participant", "location")


def test_talks_someone_held_with_governments(read):
    r = read("He spoke of the talks Mr Grundberg held last week with the governments of Oman and Iran.")
    assert {p for f in r.of("Meeting") for p in f["participant"]} >= {"Oman", "Iran"}


def test_sitting_between_delegations(read):
    r = read("Peter Maurer, the ICRC president, sat between the Armenian and Azerbaijani delegations in Geneva.")
    assert ("Peter Maurer", "Geneva") in r.pairs("Meeting", "participant", "location")


def test_people_signing_with_people_met_without_a_place(read):
    r = read("Defence minister Ali Rahimi signed the accord with UN envoy Maria Lind.")
    assert [f["participant"] for f in r.of("Meeting")] == [["Ali Rahimi", "Maria Lind"]]
    assert not read("Chad signed a trade accord with Niger.").of("Meeting")


def test_a_delegation_in_a_city(read):
    r = read("Ali Said, who heads the Ethiopian delegation in Nairobi, said progress had been made.")
    assert ("Ethiopia", "Nairobi") in r.pairs("Meeting", "participant", "location")


def test_delegation_led_by_someone_travels_with_them(read):
    r = read("A Houthi delegation led by Mohammed Abdulsalam arrived in Muscat on Saturday for talks with Saudi officials.")
    assert ("Mohammed Abdulsalam", "Muscat") in r.pairs("Meeting", "participant", "location")


def test_delegation_members_named_in_the_next_sentence(read):
    r = read("On Monday a Sudanese delegation flew to Manama for talks with the RSF. "
             "The delegation is made up of Omar Saleh, the army's chief negotiator, and Ali Hamid.")
    assert {("Omar Saleh", "Manama"), ("Ali Hamid", "Manama")} <= r.pairs("Meeting", "participant", "location")


def test_in_the_presence_of_someone(read):
    r = read("The accord was signed in Luanda in the presence of Angolan President Joao Lourenco.")
    assert r.pairs("Meeting", "participant", "location") == {("Joao Lourenco", "Luanda")}


def test_when_he_meets_is_a_meeting_even_under_a_hedged_clause(read):
    r = read("A truce could be announced by the president when he meets Mahmoud Abbas in Cairo on Monday.")
    assert ("Mahmoud Abbas", "Cairo") in r.pairs("Meeting", "participant", "location")


def test_host_received_a_delegation(read):
    r = read("Egypt's President Sisi received a Hamas delegation led by Khalil al-Hayya in Cairo on Monday.")
    assert {("Hamas", "Cairo"), ("Khalil al-Hayya", "Cairo")} <= r.pairs("Meeting", "participant", "location")
    assert not read("Israel received the bodies of two hostages on Monday.").of("Meeting")


def test_flew_to_a_city_to_meet_someone(read):
    r = read("Antony Blinken flew to Doha on Tuesday to meet Qatar's prime minister.")
    assert ("Antony Blinken", "Doha") in r.pairs("Meeting", "participant", "location")


def test_days_of_talks_ended_in_a_city(read):
    r = read("Two days of talks between Serbia and Kosovo ended in Brussels on Friday.")
    assert r.pairs("Meeting", "participant", "location") == {("Serbia", "Brussels"), ("Kosovo", "Brussels")}
    assert len(r.of("Meeting")) == 1  # the same talks, not a second meeting without a place


def test_talks_pitting_sides_set_to_begin_in_a_city(read):
    r = read("Direct negotiations pitting the Sudanese army against the Rapid Support Forces were set to get under way "
             "in Jeddah on Saturday, officials said.")
    assert ("Rapid Support Forces", "Jeddah") in r.pairs("Meeting", "participant", "location")


def test_delegation_heads_named_after_the_meeting(read):
    r = read("Iran and Saudi Arabia held talks in Beijing. The Iranian delegation was led by Ali Shamkhani.")
    assert ("Ali Shamkhani", "Beijing") in r.pairs("Meeting", "participant", "location")


def test_chaired_a_summit_in_a_city_with_someone(read):
    r = read("Donald Trump later co-chaired a summit in Sharm el-Sheikh with Egyptian President Abdel Fattah el-Sisi.")
    assert ("Donald Trump", "Sharm el-Sheikh") in r.pairs("Meeting", "participant", "location")


def test_where_clause_hung_on_a_nearby_word(read):
    r = read("The visit followed a trip by Matteo Zuppi to Kyiv earlier this month, where he met Volodymyr Zelensky.")
    assert ("Volodymyr Zelensky", "Kyiv") in r.pairs("Meeting", "participant", "location")


def test_some_of_those_rounds_were_held_in_a_city(read):
    r = read("Iran and Saudi Arabia held talks for two years. Five of those rounds were held in Baghdad.")
    assert ("Iran", "Baghdad") in r.pairs("Meeting", "participant", "location")


def test_talks_described_are_not_talks_reported(read):
    assert not read("The swap shows how complicated negotiations between Armenia and Azerbaijan are.").of("Meeting")


def test_held_a_meeting_with_someone_attached_to_the_verb(read):
    r = read("In Moscow, UAE ambassador Mohammed Al Jaber held a meeting with deputy foreign minister Mikhail Bogdanov.")
    assert {"Mohammed Al Jaber", "Mikhail Bogdanov"} <= {p for f in r.of("Meeting") for p in f["participant"]}


def test_sides_concluded_or_began_a_round_of_talks(read):
    r = read("Kenyan and Somali officials concluded a new round of talks in Djibouti on Saturday.")
    assert r.pairs("Meeting", "participant", "location") == {("Kenya", "Djibouti"), ("Somalia", "Djibouti")}
    r = read("Colombia and the ELN began a fourth round of talks on Monday.")
    assert {p for f in r.of("Meeting") for p in f["participant"]} == {"Colombia", "National Liberation Army"}


def test_left_a_city_after_talks_there(read):
    r = read("The Houthi delegation left Muscat on Sunday after three days of talks with Saudi officials.")
    assert r.pairs("Meeting", "participant", "location") == {("Houthis", "Muscat"), ("Saudi Arabia", "Muscat")}
    assert not read("The minister left Paris after the football match.").of("Meeting")


def test_after_meeting_someone_the_subject_met_them(read):
    r = read("A Hamas delegation left on Thursday after meeting Egypt's intelligence chief Abbas Kamel.")
    assert {"Hamas", "Abbas Kamel"} <= {p for f in r.of("Meeting") for p in f["participant"]}


def test_the_capital_of_a_named_state_is_its_capital_city(read):
    r = read("A Houthi delegation arrived in the Omani capital on Thursday for talks with Saudi officials.")
    assert ("Houthis", "Muscat") in r.pairs("Meeting", "participant", "location")


def test_talks_due_to_resume_in_a_city(read):
    r = read("Talks between Israel and Hamas are due to resume in Cairo on Sunday.")
    assert r.pairs("Meeting", "participant", "location") == {("Israel", "Cairo"), ("Hamas", "Cairo")}


def test_held_talks_in_a_where_clause(read):
    r = read("Erdogan travelled to Moscow, where he held talks with Putin on the grain deal.")
    assert ("Putin", "Moscow") in r.pairs("Meeting", "participant", "location")


def test_a_toll_put_at_a_figure_and_the_lives_of_people(read):
    r = read("Georgia's health ministry has put the death toll at more than 410.")
    assert r.values("CasualtyReport", "reportedBy", "count") == {("Georgian health ministry", 410)}
    assert not read("Officials put the number of prisoners at 300.").of("CasualtyReport")
    r = read("The insurgency has claimed the lives of more than 3,000 soldiers, according to the Nigerian army.")
    assert [x["count"] for x in r.of("CasualtyReport")] == [3000]


def test_meeting_place_hung_on_the_object(read):
    r = read("The M23 rebel movement met Congolese government envoys in Doha on Friday.")
    assert any(m.get("location") == ["Doha"] for m in r.of("Meeting"))


def test_a_visit_announced_as_expected_or_due_in_a_city(read):
    r = read("A Kenyan delegation is expected in Addis Ababa on Monday, an aide said.")
    assert [(m["participant"], m["location"]) for m in r.of("Meeting")] == [(["Kenya"], ["Addis Ababa"])]
    r = read("The Norwegian envoy Tor Wennesland is due in Havana next week to meet President Miguel Diaz-Canel.")
    assert any(set(m["participant"]) >= {"Tor Wennesland", "Miguel Diaz-Canel"} and m["location"] == ["Havana"]
               for m in r.of("Meeting"))
    # a ruling or a storm is expected somewhere; nobody visits
    assert not read("A court ruling is expected in The Hague in March.").of("Meeting")


def test_travelling_to_a_town_for_talks_with_its_head(read):
    r = read("The AU envoy Joaquim Chissano travelled to Kadugli on Saturday for talks with the head of the "
             "region's interim administration, Yousif Kuwa.")
    m = [x for x in r.of("Meeting") if "Joaquim Chissano" in x["participant"]]
    assert m and m[0].get("location") == ["Kadugli"] and "Yousif Kuwa" in m[0]["participant"]


def test_those_taking_part_in_a_meeting_met(read):
    r = read("The border commission met in Tiraspol with the participation of Moldovan officers "
             "and representatives of Romania and Ukraine.")
    assert {p for m in r.of("Meeting") for p in m["participant"]} >= {"Moldova", "Romania", "Ukraine"}
    r = read("Kuwait hosted a meeting with Iraq and Jordan in Kuwait City on Sunday.")
    assert any(set(m["participant"]) == {"Iraq", "Jordan", "Kuwait"} for m in r.of("Meeting"))


def test_a_planned_meeting_and_a_delegation_led_at_talks(read):
    r = read("Serbian President Aleksandar Vucic and Kosovo Prime Minister Albin Kurti are due to meet in Brussels on Friday.")
    assert any(set(m["participant"]) >= {"Aleksandar Vucic", "Albin Kurti"} and m["location"] == ["Brussels"]
               for m in r.of("Meeting"))
    r = read("Deputy Foreign Minister Ivo Marek, who led the Czech delegation at the talks in Vienna, spoke to reporters.")
    assert any("Ivo Marek" in m["participant"] and m["location"] == ["Vienna"] for m in r.of("Meeting"))


def test_martyred_dead_and_a_sides_own_losses(read):
    r = read("Hezbollah said 11 of its fighters were martyred in the strikes.")
    assert [(c["count"], c.get("reportedBy")) for c in r.of("CasualtyReport")] == [(11, ["Hezbollah"])]
    r = read("The Taliban put their own losses at seven.")
    assert [(c["count"], c.get("reportedBy")) for c in r.of("CasualtyReport")] == [(7, ["Taliban"])]
    assert not read("The ministry put economic losses at $3 billion.").of("CasualtyReport")
