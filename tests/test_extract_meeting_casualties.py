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


def test_a_toll_put_at_a_figure_and_the_lives_of_people(read):
    r = read("Georgia's health ministry has put the death toll at more than 410.")
    assert r.values("CasualtyReport", "reportedBy", "count") == {("Georgian health ministry", 410)}
    assert not read("Officials put the number of prisoners at 300.").of("CasualtyReport")
    r = read("The insurgency has claimed the lives of more than 3,000 soldiers, according to the Nigerian army.")
    assert [x["count"] for x in r.of("CasualtyReport")] == [3000]
