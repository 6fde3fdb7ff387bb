"""The package's data files (gazetteers, lexicons, patterns), loaded once and cached.

Rules live in `kgbuild/data/*.json` so that a reader can review and extend them without
reading code; this module only parses them into lookup tables.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any


def load_json(name: str) -> Any:
    return json.loads(resources.files("kgbuild.data").joinpath(name).read_text(encoding="utf-8"))


def norm(s: str) -> str:
    """Comparison form of a name: curly quotes straightened, leading 'the', trailing possessive and
    full stops removed, spaces folded, lower case (the same folding the scorer applies)."""
    s = s.replace("\u2019", "'").replace("\u2018", "'").strip().lower()
    s = re.sub(r"'s$|'$", "", s)
    s = s.replace(".", "")
    s = re.sub(r"^the\s+", "", s)
    return re.sub(r"\s+", " ", s).strip()


class Gazetteer:
    """Known names → (entity key, class, canonical label), with capitals and demonyms kept apart
    because they stand for their state only in some positions."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}        # normalised name → key
        self.demonyms: dict[str, str] = {}     # normalised demonym → country key
        self.capitals: dict[str, str] = {}     # normalised capital → country key
        self.entries: dict[str, dict] = {}     # key → {label, cls, tags, demonym}
        countries = load_json("countries.json")["countries"]
        for c in countries:
            key = f"country:{c['id']}"
            self.entries[key] = {"label": c["label"], "cls": "Country", "tags": set(c.get("tags", [])),
                                 "demonym": (c.get("demonyms") or [None])[0], "aliases": c.get("aliases", [])}
            for a in [c["label"], *c.get("aliases", [])]:
                self.names[norm(a)] = key
            for d in c.get("demonyms", []):
                self.demonyms[norm(d)] = key
            for cap in c.get("capitals", []):
                self.capitals[norm(cap)] = key
        orgs = load_json("organizations.json")
        for o in orgs["organizations"]:
            key = f"org:{o['id']}"
            self.entries[key] = {"label": o["label"], "cls": "Organization", "tags": set(o.get("tags", [])),
                                 "aliases": o.get("aliases", [])}
            for a in [o["label"], *o.get("aliases", [])]:
                self.names[norm(a)] = key
        for g in orgs["groups"]:
            key = f"group:{g['id']}"
            self.entries[key] = {"label": g["label"], "cls": "Group", "tags": set(), "aliases": g.get("aliases", [])}
            for a in [g["label"], *g.get("aliases", [])]:
                self.names[norm(a)] = key

    def ruler_patterns(self) -> list[dict]:
        """EntityRuler patterns: exact-case phrases, labelled so the NER model cannot mislabel them."""
        out = []
        for c in load_json("countries.json")["countries"]:
            key = f"country:{c['id']}"
            for a in [c["label"], *c.get("aliases", [])]:
                out.append({"label": "GPE", "pattern": a, "id": key})
            for d in c.get("demonyms", []):
                out.append({"label": "NORP", "pattern": d, "id": key})
            for cap in c.get("capitals", []):
                out.append({"label": "GPE", "pattern": cap, "id": f"capital:{c['id']}"})
        orgs = load_json("organizations.json")
        for o in orgs["organizations"]:
            for a in [o["label"], *o.get("aliases", [])]:
                if len(a) > 2 or a.isupper():
                    out.append({"label": "ORG", "pattern": a, "id": f"org:{o['id']}"})
        for g in orgs["groups"]:
            for a in [g["label"], *g.get("aliases", [])]:
                out.append({"label": "KG_GROUP", "pattern": a, "id": f"group:{g['id']}"})
                out.append({"label": "KG_GROUP", "pattern": a[0].upper() + a[1:], "id": f"group:{g['id']}"})
        return out


@lru_cache(maxsize=None)
def gazetteer() -> Gazetteer:
    return Gazetteer()


@lru_cache(maxsize=None)
def lexicon() -> dict:
    return load_json("lexicon.json")


@lru_cache(maxsize=None)
def titles() -> dict:
    return load_json("titles.json")


@lru_cache(maxsize=None)
def known_people() -> dict[str, str]:
    """Normalised name → the state or organisation a well-known person belongs to."""
    return {norm(p["name"]): p["of"] for p in load_json("people.json")["people"]}
