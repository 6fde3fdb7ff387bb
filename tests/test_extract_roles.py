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


def test_a_person_who_heads_or_controls_a_body(read):
    r = read("The fighting broke out between General Mohamed Dagalo, who heads the paramilitary Rapid Support "
             "Forces, and General Abdel Burhan, who is in control of the Sudanese military.")
    assert r.pairs("Role", "holder", "roleOf") == {("Mohamed Dagalo", "Rapid Support Forces"),
                                                   ("Abdel Burhan", "Sudanese Armed Forces")}


def test_a_body_named_far_back_in_a_long_sentence_is_not_the_title_holders(read):
    r = read("According to a senior official at the State Department, the talks on how to merge the armed forces, "
             "which set off the fighting in April between General Tomas Arrieta and the army, will resume.")
    assert not r.of("Role")


def test_a_portfolio_between_state_and_title(read):
    r = read("Ukraine's energy minister Herman Galushchenko met the delegation.")
    assert ("Herman Galushchenko", "Ukraine") in r.pairs("Role", "holder", "roleOf")


def test_an_apposition_list_does_not_lend_its_next_member_a_title(read):
    r = read("The team includes Gal Hirsch, the government's coordinator for hostages, Ofer Falk, adviser to Prime "
             "Minister Benjamin Netanyahu, and officials of the Mossad.")
    assert ("Ofer Falk", "Mossad") not in r.pairs("Role", "holder", "roleOf")
    assert ("Ofer Falk", "Israel") in r.pairs("Role", "holder", "roleOf")


def test_a_dictator_is_a_state_title(read):
    r = read("Alexander Lukashenko, the Belarusian dictator, met the envoy in Minsk.")
    assert r.pairs("Role", "holder", "roleOf") == {("Alexander Lukashenko", "Belarus")}


def test_a_known_head_of_state_keeps_his_state_in_an_article_about_another(read):
    r = read("Belarus freed 52 prisoners on Thursday. The group crossed safely into Lithuania, President Gitanas "
             "Nauseda said.")
    assert ("Gitanas Nauseda", "Lithuania") in r.pairs("Role", "holder", "roleOf")


def test_a_government_spokesman_speaks_for_the_government_the_article_is_about(read):
    r = read("Chad's federal government and the FACT rebels opened talks on Monday, hosted by Qatar's government. "
             "Government spokesman Abdoulaye Mahamat said the federal government wanted a ceasefire.")
    assert ("Abdoulaye Mahamat", "Chad") in r.pairs("Role", "holder", "roleOf")
