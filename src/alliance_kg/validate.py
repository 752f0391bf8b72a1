"""SHACL validation of a build against ontology/shapes.ttl (pySHACL).

The union of the asserted graphs (ontology included, so that class targets follow
``rdfs:subClassOf``) is validated in one pySHACL run without inference. Shapes marked
``sh:deactivated true`` hold per named graph (a document's facts have their assertions in the
same graph): their SPARQL constraints (``sh:sparql`` with ``sh:select``, focus nodes from
``sh:targetClass``) are evaluated by Oxigraph on each document graph by itself, which is two
orders of magnitude faster than rdflib's engine on a whole document. All results are merged
into one ``sh:ValidationReport``: ``sh:Violation`` fails the build, ``sh:Warning`` and
``sh:Info`` are reported only.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from .config import DEFAULT_BASE_IRI
from .namespaces import RDF
from .reason import Triple, to_rdflib
from .store import BuildError

SHAPES_FILE = "shapes.ttl"
RDF_TYPE = RDF + "type"
SEVERITIES = ("Violation", "Warning", "Info")


class ValidationError(BuildError):
    """A build breaks the shapes (or the ontology's axioms); the message lists the first few."""


@dataclass(frozen=True)
class Finding:
    """One validation result, as a person reads it."""

    severity: str  # Violation, Warning or Info
    focus: str
    path: str
    message: str
    shape: str

    def line(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: <{self.focus}>{where}: {self.message} [{self.shape}]"


@dataclass(frozen=True)
class Report:
    """The outcome of a validation: the SHACL report graph and its findings."""

    graph: rdflib.Graph
    findings: tuple[Finding, ...]
    seconds: float

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)

    def counts(self) -> dict[str, int]:
        counted = Counter(f.severity for f in self.findings)
        return {s.lower() + "s": counted.get(s, 0) for s in SEVERITIES}

    def summary(self, limit: int = 20) -> dict:
        """A short account for build.json: counts per severity and per shape, first lines."""
        by_shape = Counter(f"{f.severity} {f.shape}" for f in self.findings)
        return {
            "conforms": self.conforms,
            **self.counts(),
            "by_shape": dict(sorted(by_shape.items())),
            "first": [f.line() for f in sorted(self.findings, key=_order)[:limit]],
            "seconds": round(self.seconds, 3),
        }

    def text(self) -> str:
        """The report as lines of text, violations first."""
        counts = self.counts()
        head = "conforms" if self.conforms else "does not conform"
        lines = [
            f"validation: {head}: {counts['violations']} violations, "
            f"{counts['warnings']} warnings, {counts['infos']} infos"
        ]
        lines += [f.line() for f in sorted(self.findings, key=_order)]
        return "\n".join(lines) + "\n"

    def turtle(self) -> str:
        return self.graph.serialize(format="turtle")


def _order(f: Finding) -> tuple:
    return (SEVERITIES.index(f.severity), f.shape, f.focus, f.path, f.message)


def load_shapes(ontology_dir: Path, base_iri: str = DEFAULT_BASE_IRI) -> rdflib.Graph:
    """The shapes graph, with the default base IRI replaced by the build's."""
    path = Path(ontology_dir) / SHAPES_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise BuildError(f"{path}: cannot read the shapes ({err.strerror or err})") from None
    if base_iri != DEFAULT_BASE_IRI:
        # The regular expression of the IRI pattern escapes the dots of the base.
        text = text.replace(DEFAULT_BASE_IRI.replace(".", "\\\\."), _escaped(base_iri))
        text = text.replace(DEFAULT_BASE_IRI, base_iri)
    graph = rdflib.Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=path.as_uri())
    except Exception as err:  # rdflib raises many kinds of parse errors
        raise BuildError(f"{path}: malformed shapes: {err}") from None
    return graph


def _escaped(base: str) -> str:
    special = set(".^$*+?()[]{}|\\")
    return "".join("\\\\" + c if c in special else c for c in base)


def _graph(triples: Iterable[Triple]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for s, p, o in triples:
        graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return graph


@dataclass(frozen=True)
class _GraphConstraint:
    """A SPARQL constraint of a deactivated shape, checked on each document graph."""

    shape: rdflib.URIRef
    target_class: str
    select: str
    message: str
    prefixes: dict[str, str]


def _per_graph_constraints(shapes: rdflib.Graph) -> list[_GraphConstraint]:
    out = []
    for shape in sorted(shapes.subjects(SH.deactivated, rdflib.Literal(True))):
        prefixes = {}
        for decl_owner in shapes.subjects(SH.declare, None):
            for decl in shapes.objects(decl_owner, SH.declare):
                prefix = shapes.value(decl, SH.prefix)
                namespace = shapes.value(decl, SH.namespace)
                if prefix is not None and namespace is not None:
                    prefixes[str(prefix)] = str(namespace)
        for target in shapes.objects(shape, SH.targetClass):
            for constraint in shapes.objects(shape, SH.sparql):
                select = shapes.value(constraint, SH.select)
                message = shapes.value(constraint, SH.message)
                if select is not None:
                    out.append(
                        _GraphConstraint(
                            shape, str(target), str(select), str(message or ""), prefixes
                        )
                    )
    return out


def _check_graph(
    triples: Iterable[Triple], constraints: list[_GraphConstraint], report: rdflib.Graph, node
) -> list[Finding]:
    """Evaluate per-graph SPARQL constraints on one graph; results go into ``report``."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(s, p, o) for s, p, o in triples)
    found = []
    for c in constraints:
        focus_nodes = [
            q.subject
            for q in store.quads_for_pattern(
                None, ox.NamedNode(RDF_TYPE), ox.NamedNode(c.target_class)
            )
        ]
        for focus in focus_nodes:
            rows = store.query(
                c.select, prefixes=c.prefixes, substitutions={ox.Variable("this"): focus}
            )
            for row in rows:
                bound = {v.value: row[v.value] for v in rows.variables if row[v.value] is not None}
                message = re.sub(
                    r"\{[?$](\w+)\}",
                    lambda m, bound=bound: (
                        str(bound[m.group(1)].value) if m.group(1) in bound else m.group(0)
                    ),
                    c.message,
                )
                result = rdflib.BNode()
                report.add((node, SH.result, result))
                report.add((result, rdflib.RDF.type, SH.ValidationResult))
                report.add((result, SH.focusNode, to_rdflib(focus)))
                report.add((result, SH.resultSeverity, SH.Violation))
                report.add((result, SH.sourceShape, c.shape))
                report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
                report.add((result, SH.resultMessage, rdflib.Literal(message)))
                if "value" in bound:
                    report.add((result, SH.value, to_rdflib(bound["value"])))
                found.append(Finding("Violation", focus.value, "", message, str(c.shape)))
    return found


def _run(data: rdflib.Graph, shapes: rdflib.Graph) -> rdflib.Graph:
    from pyshacl import validate as shacl

    _, report, _ = shacl(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,
    )
    if not isinstance(report, rdflib.Graph):  # pySHACL's ValidationFailure: a broken shape
        raise BuildError(f"{SHAPES_FILE}: cannot validate with these shapes: {report}")
    return report


def _findings(report: rdflib.Graph, shapes: rdflib.Graph) -> list[Finding]:
    out = []
    for result in report.objects(None, SH.result):
        severity = report.value(result, SH.resultSeverity)
        path = report.value(result, SH.resultPath)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        shape = report.value(result, SH.sourceShape)
        if not isinstance(shape, rdflib.URIRef):  # a property shape: name the shape it is in
            shape = shapes.value(None, SH.property, shape) or shape
        out.append(
            Finding(
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                focus=str(report.value(result, SH.focusNode)),
                path=str(path) if isinstance(path, rdflib.URIRef) else "",
                message="; ".join(messages) or "constraint not met",
                shape=str(shape)
                if isinstance(shape, rdflib.URIRef)
                else _component(report, result),
            )
        )
    return out


def _component(report: rdflib.Graph, result) -> str:
    component = report.value(result, SH.sourceConstraintComponent)
    return str(component).rsplit("#", 1)[-1] if component else "shape"


def validate(
    union: Iterable[Triple],
    document_graphs: Mapping[str, Iterable[Triple]],
    shapes: rdflib.Graph,
) -> Report:
    """Validate the union of the asserted graphs, and each document graph by itself."""
    started = time.perf_counter()
    merged = rdflib.Graph()
    merged.bind("sh", SH)
    report_node = rdflib.BNode()
    merged.add((report_node, rdflib.RDF.type, SH.ValidationReport))
    findings: list[Finding] = []

    def take(report: rdflib.Graph) -> None:
        findings.extend(_findings(report, shapes))
        for old in report.subjects(rdflib.RDF.type, SH.ValidationReport):
            for result in report.objects(old, SH.result):
                merged.add((report_node, SH.result, result))
        for triple in report:
            if triple[1] not in (SH.result, SH.conforms):
                merged.add(triple)

    take(_run(_graph(union), shapes))
    constraints = _per_graph_constraints(shapes)
    if constraints:
        for triples in document_graphs.values():
            findings += _check_graph(triples, constraints, merged, report_node)
    conforms = not any(f.severity == "Violation" for f in findings)
    merged.add((report_node, SH.conforms, rdflib.Literal(conforms)))
    return Report(merged, tuple(findings), time.perf_counter() - started)
