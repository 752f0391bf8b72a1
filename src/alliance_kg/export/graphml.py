"""GraphML: the network for tools that read GraphML (Gephi, Cytoscape, yEd, networkx, igraph).

Attributes are declared as typed ``<key>`` elements; the label, the edge kind and weight and
the node colour (``r``, ``g``, ``b``, the names Gephi's GraphML importer reads) are keys too.
GraphML has no timeline: a dated node or edge gets ``start`` and ``end`` (its first and last
day) as plain attributes. Deterministic, like every export.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .gexf import attvalue, hex_to_rgb, number
from .network import Attribute, Network

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
MEDIA_TYPE = "application/graphml+xml"
TYPES = {
    "string": "string",
    "integer": "long",
    "double": "double",
    "boolean": "boolean",
    "anyURI": "string",
}


def write_graphml(network: Network) -> bytes:
    """The network as a GraphML document (UTF-8 bytes)."""
    root = ET.Element("graphml", {"xmlns": GRAPHML_NS})
    dated = network.dated
    node_keys = [Attribute("label", "label")]
    node_keys += [a for a in network.node_attributes if a.id not in ("label", "r", "g", "b")]
    node_keys += [Attribute(c, c, "integer") for c in ("r", "g", "b")]
    edge_keys = [Attribute("label", "label"), Attribute("kind", "kind")]
    edge_keys += [Attribute("weight", "weight", "double")]
    edge_keys += [a for a in network.edge_attributes if a.id not in ("label", "kind", "weight")]
    if dated:
        node_keys += [Attribute("start", "start"), Attribute("end", "end")]
        edge_keys += [Attribute("start", "start"), Attribute("end", "end")]
    ids: dict[tuple[str, str], str] = {}
    for domain, keys in (("node", node_keys), ("edge", edge_keys)):
        for key in keys:
            key_id = f"{domain[0]}_{key.id}"
            ids[(domain, key.id)] = key_id
            ET.SubElement(
                root,
                "key",
                {
                    "id": key_id,
                    "for": domain,
                    "attr.name": key.title,
                    "attr.type": TYPES.get(key.type, "string"),
                },
            )
    graph = ET.SubElement(
        root,
        "graph",
        {"id": network.name, "edgedefault": "directed" if network.directed else "undirected"},
    )
    for node in network.nodes:
        el = ET.SubElement(graph, "node", {"id": node.id})
        values: dict[str, object] = {"label": node.label, **node.attributes}
        values.update(zip(("r", "g", "b"), hex_to_rgb(network.colour(node)), strict=True))
        values.update(_extent(node.spells) if dated else {})
        _data(el, "node", node_keys, values, ids)
    for i, edge in enumerate(network.edges):
        el = ET.SubElement(
            graph, "edge", {"id": f"e{i}", "source": edge.source, "target": edge.target}
        )
        values = {"label": edge.label, "kind": edge.kind, "weight": edge.weight}
        values.update(edge.attributes)
        values.update(_extent(edge.spells) if dated else {})
        _data(el, "edge", edge_keys, values, ids)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _extent(spells) -> dict[str, str]:
    if not spells:
        return {}
    start, end = spells[0].iso()[0], spells[-1].iso()[1]
    return {k: v for k, v in (("start", start), ("end", end)) if v}


def _data(element, domain, keys, values, ids) -> None:
    for key in keys:
        value = values.get(key.id)
        if value is None or value == "":
            continue
        text = number(value) if isinstance(value, float) else attvalue(value)
        ET.SubElement(element, "data", {"key": ids[(domain, key.id)]}).text = text
