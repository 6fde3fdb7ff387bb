"""Titles held by people: before the name, in an apposition, and bare titles resolved to a name."""


def test_title_before_name_with_demonym(read):
    r = read("Turkish Foreign Minister Hakan Fidan hosted the delegations.")
    assert r.pairs("Role", "holder", "roleOf") == {("Hakan Fidan", "Turkey")}
    assert r.of("Role")[0]["title"] == "foreign minister"


def test_apposition_with_possessive_organisation(read):
    r = read("Antonio Garcia, the ELN's chief negotiator, said talks would resume.")
    assert ("Antonio Garcia", "National Liberation Army") in r.pairs("Role", "holder", "roleOf")


def test_title_first_then_name(read):
    r = read("Qatar's emir, Sheikh Tamim bin Hamad Al Thani, welcomed the deal.")
    assert r.pairs("Role", "holder", "roleOf") == {("Tamim bin Hamad Al Thani", "Qatar")}


def test_bare_title_refers_to_the_person_named_nearby(read):
    r = read("Oman's foreign minister praised the swap on Friday. Badr Albusaidi said more releases would follow.")
    assert ("Badr Albusaidi", "Oman") in r.pairs("Role", "holder", "roleOf")


def test_capital_before_title(read):
    r = read("Kremlin spokesman Dmitry Peskov declined to comment.")
    assert r.pairs("Role", "holder", "roleOf") == {("Dmitry Peskov", "Russia")}
