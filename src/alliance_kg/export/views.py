"""Networks for Gephi: the views defined in queries/views/, and any query's result.

A view is a folder ``queries/views/NAME/`` with two SELECT queries: ``nodes.rq`` (one row per
node) and ``edges.rq`` (one row per edge). Their columns follow one convention, which a user's
SELECT query given to ``alliance-kg export --query`` follows too:

- nodes: ``?node`` (the IRI, the node's id), ``?label``, ``?class`` and ``?group`` (IRIs,
  written as their local names; the group picks the colour);
- edges: ``?source``, ``?target``, ``?kind`` (parallel edges of different kinds stay apart),
  ``?label``, ``?weight`` (default 1); a SELECT export may name its nodes with
  ``?sourceLabel`` and ``?targetLabel``;
- time, on both: ``?dates`` (space-separated ``xsd:date``, ``xsd:gYearMonth`` or
  ``xsd:gYear`` values, each a spell over its period), ``?start`` and ``?end`` (one spell,
  open on a missing side);
- any other column becomes a typed attribute (integer, double, boolean, anyURI or string).

The ``nodes.rq`` header names the view (``# view:``, ``# view-description:``), the
``edges.rq`` header says whether edges are directed (``# edgetype: directed|undirected``).

A CONSTRUCT (or DESCRIBE) result becomes a network without a node per literal: ``rdf:type``
gives the class, ``rdfs:label``/``skos:prefLabel`` the label, other literals attributes (dated
literals also spells), and triples between IRIs or blank nodes labelled edges.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import RDF, RDFS, SKOS, XSD
from ..queries import Query, QueryFileError, load_queries
from ..reason import INFERRED_GRAPH
from ..store import query
from .network import (
    Edge,
    Network,
    NetworkError,
    Node,
    Uri,
    declare,
    local_name,
    short_label,
    spells_of,
)

VIEWS_FOLDER = "views"
TIME_COLUMNS = ("dates", "start", "end")
NODE_COLUMNS = ("node", "label", *TIME_COLUMNS)
EDGE_COLUMNS = (
    "source",
    "target",
    "kind",
    "label",
    "weight",
    "sourceLabel",
    "targetLabel",
    *TIME_COLUMNS,
)
LOCAL_NAME_COLUMNS = ("class", "group")
INTEGERS = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
REALS = {XSD + "double", XSD + "float", XSD + "decimal"}
DATES = {XSD + "date", XSD + "gYearMonth", XSD + "gYear", XSD + "dateTime"}
LABELS = {RDFS + "label", SKOS + "prefLabel"}


@dataclass(frozen=True)
class View:
    """A named network defined by a nodes query and an edges query."""

    name: str
    title: str
    description: str
    nodes: Query
    edges: Query

    @property
    def directed(self) -> bool:
        return self.edges.meta.get("edgetype", "directed").strip() != "undirected"


def load_views(queries_dir: Path, base_iri: str | None = None) -> dict[str, View]:
    """Every view under ``queries_dir/views``, by name, sorted."""
    pattern = f"{VIEWS_FOLDER}/*/*.rq"
    return views_from_queries(load_queries(Path(queries_dir), pattern, base_iri=base_iri))


def views_from_queries(queries: Iterable[Query]) -> dict[str, View]:
    """The views among loaded queries (those named ``views/NAME/nodes|edges``), by name."""
    found: dict[str, dict[str, Query]] = {}
    for q in queries:
        parts = q.name.split("/")
        if len(parts) == 3 and parts[0] == VIEWS_FOLDER:
            found.setdefault(parts[1], {})[parts[2]] = q
    views = {}
    for name, parts in sorted(found.items()):
        if set(parts) != {"nodes", "edges"}:
            raise QueryFileError(f"views/{name}: a view needs exactly nodes.rq and edges.rq")
        nodes = parts["nodes"]
        views[name] = View(
            name=name,
            title=nodes.meta.get("view", nodes.title),
            description=nodes.meta.get("view-description", nodes.description),
            nodes=nodes,
            edges=parts["edges"],
        )
    return views


def asserted_graphs(store: ox.Store) -> list[ox.NamedNode]:
    """Every named graph but the inferred one: networks and dumps show what the texts and the
    lexicon say; the entailments (superclass types, superproperties) would only duplicate it."""
    suffix = f"/graph/{INFERRED_GRAPH}"
    return sorted(
        (g for g in store.named_graphs() if not g.value.endswith(suffix)), key=lambda g: g.value
    )


def run_view(store: ox.Store, view: View) -> Network:
    """The view's network, from its two queries over the asserted graphs."""
    graphs = asserted_graphs(store)
    node_rows = query(store, view.nodes.text, graphs=graphs)
    edge_rows = query(store, view.edges.text, graphs=graphs)
    return rows_to_network(
        view.name,
        view.title,
        view.description,
        directed=view.directed,
        node_rows=node_rows,
        edge_rows=edge_rows,
    )


def rows_to_network(
    name: str,
    title: str,
    description: str,
    *,
    directed: bool,
    node_rows: ox.QuerySolutions | None,
    edge_rows,
) -> Network:
    """A network from query solutions that follow the column convention (module doc)."""
    nodes: list[Node] = []
    node_order: list[str] = []
    if node_rows is not None:
        variables = [v.value for v in node_rows.variables]
        if "node" not in variables:
            raise NetworkError(f"{name}: the nodes query has no ?node column")
        node_order = [v for v in variables if v not in NODE_COLUMNS]
        for row in node_rows:
            values = _row(row, variables)
            node_id = values.get("node")
            if node_id is None:
                continue
            nodes.append(
                Node(
                    id=str(node_id),
                    label=str(values.get("label") or short_label(str(node_id))),
                    attributes={k: values[k] for k in node_order if values.get(k) is not None},
                    spells=_spells(values, name),
                )
            )
    variables = [v.value for v in edge_rows.variables]
    missing = [v for v in ("source", "target") if v not in variables]
    if missing:
        raise NetworkError(
            f"{name}: an edge list needs the columns ?source and ?target "
            f"(missing: {', '.join('?' + m for m in missing)})"
        )
    edge_order = [v for v in variables if v not in EDGE_COLUMNS]
    edges: list[Edge] = []
    labels: dict[str, str] = {}
    for row in edge_rows:
        values = _row(row, variables)
        source, target = values.get("source"), values.get("target")
        if source is None or target is None:
            continue
        for end, column in ((source, "sourceLabel"), (target, "targetLabel")):
            if values.get(column) is not None:
                labels.setdefault(str(end), str(values[column]))
        weight = values.get("weight")
        if weight is not None and not isinstance(weight, int | float):
            raise NetworkError(f"{name}: ?weight must be a number, not {weight!r}")
        kind = str(values.get("kind") or "")
        edges.append(
            Edge(
                source=str(source),
                target=str(target),
                kind=kind,
                label=str(values.get("label") or kind),
                weight=float(weight) if weight is not None else 1.0,
                attributes={k: values[k] for k in edge_order if values.get(k) is not None},
                spells=_spells(values, name),
            )
        )
    known = {n.id for n in nodes}
    nodes += [Node(i, label) for i, label in sorted(labels.items()) if i not in known]
    network = Network(name, title, description, directed=directed, nodes=nodes, edges=edges)
    network.finish()
    network.node_attributes = declare(network.nodes, node_order)
    network.edge_attributes = declare(network.edges, edge_order)
    return network


def _row(solution: ox.QuerySolution, variables: Iterable[str]) -> dict[str, object]:
    values = {}
    for var in variables:
        value = term_value(solution[var])
        if var in LOCAL_NAME_COLUMNS and isinstance(value, Uri):
            value = local_name(value)
        if value == "":
            value = None
        values[var] = value
    return values


def _spells(values: Mapping[str, object], name: str):
    dates = str(values.get("dates") or "").split()
    start, end = values.get("start"), values.get("end")
    try:
        return spells_of(dates, str(start) if start else None, str(end) if end else None)
    except NetworkError as err:
        raise NetworkError(f"{name}: {err}") from None


def term_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> object:
    """A Python value for an RDF term: numbers and booleans typed, IRIs as Uri."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Uri(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in INTEGERS:
                return int(term.value)
            if datatype in REALS:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return str(term)


def _node_id(term: ox.NamedNode | ox.BlankNode) -> str:
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


def triples_to_network(
    triples: Iterable[ox.Triple],
    prefixes: Mapping[str, str],
    *,
    name: str = "query",
    title: str = "Query result",
) -> Network:
    """A network from a CONSTRUCT or DESCRIBE result (see the module doc)."""
    classes: dict[str, set[str]] = {}
    labels: dict[str, set[str]] = {}
    literals: dict[str, dict[str, set[object]]] = {}
    dates: dict[str, set[str]] = {}
    links: set[tuple[str, str, str]] = set()
    ids: set[str] = set()
    for triple in triples:
        subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
        if not isinstance(subject, ox.NamedNode | ox.BlankNode):
            continue
        s = _node_id(subject)
        ids.add(s)
        if predicate == RDF + "type" and isinstance(obj, ox.NamedNode):
            classes.setdefault(s, set()).add(local_name(obj.value))
        elif isinstance(obj, ox.Literal):
            if predicate in LABELS:
                labels.setdefault(s, set()).add(obj.value)
                continue
            if obj.datatype.value in DATES:
                dates.setdefault(s, set()).add(obj.value)
            key = _prefixed(predicate, prefixes)
            literals.setdefault(s, {}).setdefault(key, set()).add(term_value(obj))
        elif isinstance(obj, ox.NamedNode | ox.BlankNode):
            o = _node_id(obj)
            ids.add(o)
            links.add((s, predicate, o))
    nodes = []
    for node_id in sorted(ids):
        attributes: dict[str, object] = {}
        if node_id in classes:
            attributes["class"] = min(classes[node_id])
        for key, values in sorted(literals.get(node_id, {}).items()):
            attributes[key] = (
                values.pop() if len(values) == 1 else "; ".join(sorted(map(str, values)))
            )
        nodes.append(
            Node(
                node_id,
                min(labels[node_id]) if node_id in labels else short_label(node_id),
                attributes=attributes,
                spells=spells_of(sorted(dates.get(node_id, ()))),
            )
        )
    spells = {n.id: n.spells for n in nodes}
    edges = [
        Edge(
            s,
            o,
            kind=local_name(p),
            label=_prefixed(p, prefixes),
            attributes={"property": Uri(p)},
            spells=spells[s],
        )
        for s, p, o in sorted(links)
    ]
    network = Network(name, title, directed=True, nodes=nodes, edges=edges).finish()
    network.node_attributes = declare(network.nodes, ["class"])
    network.edge_attributes = declare(network.edges, ["property"])
    return network


def _prefixed(iri: str, prefixes: Mapping[str, str]) -> str:
    best = max(
        ((p, ns) for p, ns in prefixes.items() if iri.startswith(ns) and len(iri) > len(ns)),
        key=lambda item: len(item[1]),
        default=None,
    )
    return f"{best[0]}:{iri[len(best[1]) :]}" if best else iri


def result_to_network(result, prefixes: Mapping[str, str], *, name: str = "query") -> Network:
    """A network from a query result: CONSTRUCT/DESCRIBE triples, or SELECT solutions (or any
    object with their ``variables`` and rows) that have ``?source ?target``."""
    if isinstance(result, ox.QueryBoolean):
        raise NetworkError(
            "an ASK query has no graph to export: use a CONSTRUCT, or a SELECT with ?source ?target"
        )
    if hasattr(result, "variables"):
        return rows_to_network(
            name, "Query result", "", directed=True, node_rows=None, edge_rows=result
        )
    return triples_to_network(result, prefixes, name=name)
