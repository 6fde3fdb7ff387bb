"""The reduce step's IRIs: one per real-world entity, readable where the name allows."""
from kgbuild.facts import DocMeta, DocResult, Entity, Evidence, Fact
from kgbuild.reduce import GraphBuilder, slug


def test_names_in_other_scripts_get_iris_of_their_own():
    assert slug("Recep Tayyip Erdoğan") == "recep-tayyip-erdogan"
    assert slug("محمد") != slug("أحمد")
    assert slug("Владимир Путин") != slug("x")


def test_two_people_named_in_arabic_script_stay_two_nodes():
    text = "محمد said talks go on. أحمد said talks go on."
    ents = {"e0": Entity("e0", "person:محمد", "Person", "محمد"), "e1": Entity("e1", "person:أحمد", "Person", "أحمد")}
    facts = [Fact("f0", "Statement", args={"speaker": ["e0"]}, values={"quote": "talks go on"},
                  evidence=[Evidence(0, 22, text[0:22])], rule="test"),
             Fact("f1", "Statement", args={"speaker": ["e1"]}, values={"quote": "talks go on"},
                  evidence=[Evidence(23, 45, text[23:45])], rule="test")]
    b = GraphBuilder()
    b.add(DocResult(DocMeta(id="d"), ents, facts))
    b.finish()
    people = [e for e in b.referenced_entities() if e.cls == "Person"]
    assert len(people) == 2 and len({e.iri for e in people}) == 2
