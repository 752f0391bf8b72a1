"""GEXF 1.3 for Gephi: declared typed attributes, colours by class, edge kinds, timelines.

The writer follows the official 1.3 schema (``gexf.rng``; the tests validate against it):
the ``http://gexf.net/1.3`` namespace with ``viz`` at ``http://gexf.net/1.3/viz``, node and
edge attributes declared with their types before use, ``viz:color`` from the node's class
group, and ``kind`` on edges so that parallel relations of different kinds stay apart.

In dynamic mode the graph is ``mode="dynamic"`` with ``timeformat="date"``, and every dated
node or edge carries ``<spells>``: Gephi's timeline then plays the alliance's history. Undated
nodes and edges have no spell and are there all the time.

Output is deterministic: nodes and edges sorted, edge ids their rank, no timestamps.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from .network import Network

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
MEDIA_TYPE = "application/gexf+xml"


def text(value: str) -> str:
    """Whitespace collapsed: labels are XML Schema tokens in GEXF."""
    return " ".join(str(value).split())


def number(value: float) -> str:
    """A number as GEXF writes it: integers without a fraction, others in full precision."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def attvalue(value: object) -> str:
    if isinstance(value, bool | int | float):
        return number(value)
    return str(value)


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """'#1f77b4' -> (31, 119, 180)."""
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def write_gexf(network: Network, *, dynamic: bool = False) -> bytes:
    """The network as a GEXF 1.3 document (UTF-8 bytes)."""
    root = ET.Element("gexf", {"xmlns": GEXF_NS, "xmlns:viz": VIZ_NS, "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "alliance-kg"
    ET.SubElement(meta, "description").text = (
        f"{network.title}: {network.description}" if network.description else network.title
    )
    graph_attrs = {
        "defaultedgetype": "directed" if network.directed else "undirected",
        "idtype": "string",
    }
    if dynamic:
        graph_attrs.update(
            {"mode": "dynamic", "timeformat": "date", "timerepresentation": "interval"}
        )
    else:
        graph_attrs["mode"] = "static"
    graph = ET.SubElement(root, "graph", graph_attrs)
    for cls, declared in (("node", network.node_attributes), ("edge", network.edge_attributes)):
        if not declared:
            continue
        block = ET.SubElement(graph, "attributes", {"class": cls, "mode": "static"})
        for a in declared:
            ET.SubElement(block, "attribute", {"id": a.id, "title": a.title, "type": a.type})

    nodes = ET.SubElement(graph, "nodes", {"count": str(len(network.nodes))})
    for node in network.nodes:
        el = ET.SubElement(nodes, "node", {"id": node.id, "label": text(node.label)})
        _attvalues(el, node.attributes, [a.id for a in network.node_attributes])
        if dynamic:
            _spells(el, node.spells)
        r, g, b = hex_to_rgb(network.colour(node))
        ET.SubElement(el, "viz:color", {"r": str(r), "g": str(g), "b": str(b)})

    edges = ET.SubElement(graph, "edges", {"count": str(len(network.edges))})
    for i, edge in enumerate(network.edges):
        attrs = {"id": str(i), "source": edge.source, "target": edge.target}
        if edge.kind:
            attrs["kind"] = text(edge.kind)
        if edge.label:
            attrs["label"] = text(edge.label)
        attrs["weight"] = number(edge.weight)
        el = ET.SubElement(edges, "edge", attrs)
        _attvalues(el, edge.attributes, [a.id for a in network.edge_attributes])
        if dynamic:
            _spells(el, edge.spells)

    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _attvalues(element: ET.Element, values: dict[str, object], order: list[str]) -> None:
    present = [k for k in order if values.get(k) is not None]
    if not present:
        return
    block = ET.SubElement(element, "attvalues")
    for key in present:
        ET.SubElement(block, "attvalue", {"for": key, "value": attvalue(values[key])})


def _spells(element: ET.Element, spells) -> None:
    if not spells:
        return
    block = ET.SubElement(element, "spells")
    for spell in spells:
        start, end = spell.iso()
        attrs = {}
        if start:
            attrs["start"] = start
        if end:
            attrs["end"] = end
        ET.SubElement(block, "spell", attrs)
