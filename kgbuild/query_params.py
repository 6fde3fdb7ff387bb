"""Parameters of the shipped competency questions, bound as typed RDF terms.

A query in `ontology/queries/` declares its parameters in its leading comment, one a line:

    #   ?from           xsd:date     first day of the range (default: no lower bound)

and uses the variable so that the query also runs without it: `COALESCE(STR(?from), "")`. (Not
`BOUND(?from)`: Oxigraph's optimiser folds BOUND of a variable that the pattern never binds to false
before the substitution is made.) `kgbuild query --name NAME --param from=2023-11-20` checks the value against the
declared datatype and hands pyoxigraph a typed literal to substitute for the variable (SPARQL
SEP-0007): the value never becomes query text, so nothing a user or an article says can change the
query. Oxigraph substitutes only variables of the SELECT clause, so a parameterised query projects
its parameters (they echo what was asked).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
_DECLARATION = re.compile(r"^#\s+\?(\w+)\s+xsd:(\w+)\s+(.*)$")


@dataclass(frozen=True)
class Param:
    name: str
    datatype: str   # local name in XSD: date, gYear, decimal, integer, string, boolean
    help: str


def declared(sparql: str) -> dict[str, Param]:
    """The parameters a query's leading comment declares."""
    out: dict[str, Param] = {}
    for line in sparql.splitlines():
        if not line.startswith("#"):
            break
        m = _DECLARATION.match(line)
        if m:
            out[m.group(1)] = Param(m.group(1), m.group(2), m.group(3).strip())
    return out


def _lexical(value: str, datatype: str) -> str:
    """The value in the datatype's canonical lexical form; ValueError when it is not one."""
    v = value.strip()
    if datatype == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            raise ValueError("a date is written YYYY-MM-DD")
        return dt.date.fromisoformat(v).isoformat()
    if datatype == "gYearMonth":
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", v):
            raise ValueError("a month is written YYYY-MM")
        return v
    if datatype == "gYear":
        if not re.fullmatch(r"\d{4}", v):
            raise ValueError("a year is written YYYY")
        return v
    if datatype == "decimal":
        try:
            d = Decimal(v)
        except InvalidOperation:
            raise ValueError("not a decimal number") from None
        if not d.is_finite() or "e" in v.lower():
            raise ValueError("not a decimal number")
        return format(d, "f")
    if datatype == "integer":
        if not re.fullmatch(r"[+-]?\d+", v):
            raise ValueError("not an integer")
        return str(int(v))
    if datatype == "boolean":
        if v.lower() not in ("true", "false", "1", "0"):
            raise ValueError("true or false")
        return "true" if v.lower() in ("true", "1") else "false"
    if datatype == "string":
        return value
    raise ValueError(f"parameters of type xsd:{datatype} are not supported")


def substitutions(sparql: str, values: dict[str, str]) -> dict[ox.Variable, ox.Literal]:
    """Typed literals for the given parameter values, checked against the query's declarations."""
    params = declared(sparql)
    out: dict[ox.Variable, ox.Literal] = {}
    for name, raw in sorted(values.items()):
        p = params.get(name)
        if p is None:
            known = ", ".join(sorted(params)) or "none"
            raise ValueError(f"unknown parameter '{name}' (this query takes: {known})")
        try:
            lexical = _lexical(raw, p.datatype)
        except ValueError as exc:
            raise ValueError(f"parameter {name}={raw!r}: {exc}") from None
        out[ox.Variable(name)] = ox.Literal(lexical, datatype=ox.NamedNode(XSD + p.datatype))
    return out


def parse_assignments(items: list[str]) -> dict[str, str]:
    """`["from=2023-11-20", "to=2023-11-26"]` → `{"from": …, "to": …}`."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?")
        if not sep or not re.fullmatch(r"\w+", name):
            raise ValueError(f"--param takes NAME=VALUE, not {item!r}")
        if name in out:
            raise ValueError(f"parameter '{name}' given twice")
        out[name] = value
    return out
