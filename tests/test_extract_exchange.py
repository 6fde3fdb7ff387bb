"""Releases, exchanges and hostage takings, with counts and their qualifiers."""


def test_active_release_with_count_in_words(read):
    r = read("ELN rebels freed twelve soldiers on Monday.")
    rel = r.of("Release")
    assert rel and rel[0]["count"] == 12 and rel[0]["countQualifier"] == "exact"


def test_passive_release_with_qualifier(read):
    r = read("More than 300 prisoners were released by Belarus in September.")
    assert r.values("Release", "releasedBy", "count") == {("Belarus", 300)}
    assert r.of("Release")[0]["countQualifier"] == "more than"


def test_two_releases_in_one_sentence_make_an_exchange(read):
    r = read("In the swap, 95 Ukrainians were freed by Russia and 95 Russian soldiers were handed back by Kyiv.")
    assert r.values("Release", "releasedBy", "count") == {("Russia", 95), ("Ukraine", 95)}
    ex = r.of("Exchange")
    assert ex and set(ex[0]["party"]) == {"Russia", "Ukraine"}


def test_in_return_for_makes_the_other_release(read):
    r = read("Iran and Sweden have long been at odds. Iran released the Swedish diplomat Johan Floderus "
             "in exchange for Hamid Nouri, who had been jailed in Sweden.")
    by = {b for b, _ in r.values("Release", "releasedBy", "count")}
    assert by == {"Iran", "Sweden"}
    assert r.of("Exchange")


def test_people_held_in_a_states_prisons_are_freed_by_it(read):
    r = read("Under the deal, 40 hostages were freed by the militants, and 120 detainees held in Israeli jails "
             "were released in return.")
    assert ("Israel", 120) in r.values("Release", "releasedBy", "count")


def test_hedged_release_is_not_a_release(read):
    assert not read("Hamas could free ten more hostages if the pause is extended.").of("Release")
    assert not read("Israel did not release the prisoners on Friday.").of("Release")


def test_hostage_taking_with_approximate_count(read):
    r = read("Gunmen from the Islamic State abducted about 150 villagers in northern Nigeria.")
    t = r.of("HostageTaking")
    assert t and t[0]["count"] == 150 and t[0]["countQualifier"] == "approximately"
    assert t[0]["perpetrator"] == ["Islamic State"]


def test_taking_hostage_in_passive(read):
    r = read("Some 20 aid workers were taken hostage by al-Shabaab in 2019.")
    assert r.values("HostageTaking", "perpetrator", "count") == {("al-Shabaab", 20)}


def test_absolute_participle_and_demonym_sides(read):
    r = read("Armenia and Azerbaijan exchanged prisoners on Monday, with 30 Armenians flown home in return "
             "for 8 Azerbaijanis.")
    assert r.values("Release", "releasedBy", "count") == {("Azerbaijan", 30), ("Armenia", 8)}


def test_mutual_swap_each(read):
    r = read("Russia and Ukraine swapped 95 prisoners each on Friday.")
    assert r.values("Release", "releasedBy", "count") == {("Russia", 95), ("Ukraine", 95)}
    assert r.of("Exchange")
