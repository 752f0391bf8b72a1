"""Draw the README's picture of the co-participation network from the project's own export.

The network is exported exactly as ``alliance-kg export gexf --view coparticipation`` does,
read back with networkx (as Gephi would read it), each group of actors laid out on its own with
a seeded force-directed layout, and drawn with matplotlib: node colours from the GEXF (by
class), node size by the number of events, edge width by the number of shared events. Run by
``make figures``.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt
import networkx as nx

from alliance_kg.config import Settings
from alliance_kg.export import export_view, load_views
from alliance_kg.store import open_store


def component_layout(graph: nx.Graph, columns: int = 3) -> dict:
    """Each connected component laid out on its own (a seeded force-directed layout), largest
    first, in rows of ``columns`` cells sized by the component, so that small groups do not
    drift to the edges."""
    parts = sorted(
        (graph.subgraph(c) for c in nx.connected_components(graph)),
        key=lambda g: (-g.number_of_nodes(), sorted(g)),
    )
    layout: dict = {}
    x = y = row_height = 0.0
    for i, part in enumerate(parts):
        size = 0.4 + 0.6 * part.number_of_nodes() ** 0.5
        if part.number_of_nodes() == 1:
            local = {next(iter(part)): (0.0, 0.0)}
        else:
            local = nx.spring_layout(
                part, seed=7, scale=size, k=1.6 / part.number_of_nodes() ** 0.5, iterations=300
            )
        if i and i % columns == 0:
            x, y, row_height = 0.0, y - row_height, 0.0
        for node, (px, py) in local.items():
            layout[node] = (x + size + px, y - size + py)
        x += 2 * size + 0.8
        row_height = max(row_height, 2 * size + 0.8)
    return layout


def coparticipation_figure(build_dir: Path, out: Path) -> Path:
    """Write the co-participation network of a build as a PNG; returns its path."""
    settings = Settings(build_dir=build_dir)
    view = load_views(settings.queries_dir)["coparticipation"]
    (body,) = export_view(open_store(build_dir), view, "gexf").files.values()
    graph = nx.read_gexf(io.BytesIO(body), version="1.3")
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for a, b, data in graph.edges(data=True):
        simple.add_edge(a, b, weight=data.get("weight", 1.0))
    layout = component_layout(simple)
    colours = []
    for _, data in simple.nodes(data=True):
        c = data.get("viz", {}).get("color", {})
        colours.append((c.get("r", 128) / 255, c.get("g", 128) / 255, c.get("b", 128) / 255))
    sizes = [120 + 90 * simple.nodes[n].get("events", 1) for n in simple]
    widths = [0.8 + 1.2 * d["weight"] for _, _, d in simple.edges(data=True)]
    fig, ax = plt.subplots(figsize=(12, 9), dpi=110)
    nx.draw_networkx_edges(simple, layout, ax=ax, width=widths, edge_color="#9a9a9a", alpha=0.8)
    nx.draw_networkx_nodes(
        simple, layout, ax=ax, node_color=colours, node_size=sizes, edgecolors="white"
    )
    labels = {n: simple.nodes[n].get("label", n) for n in simple}
    nx.draw_networkx_labels(simple, layout, labels=labels, ax=ax, font_size=8)
    weights = nx.get_edge_attributes(simple, "weight")
    heavy = {e: f"{w:g}" for e, w in weights.items() if w > 1}
    nx.draw_networkx_edge_labels(simple, layout, edge_labels=heavy, ax=ax, font_size=7)
    ax.set_title(
        f"Co-participation network: {simple.number_of_nodes()} actors, "
        f"{simple.number_of_edges()} pairs who took part in the same event "
        "(edge labels: shared events when more than one)",
        fontsize=10,
    )
    ax.axis("off")
    fig.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    path = out / "coparticipation.png"
    # No timestamp in the file's metadata, so the same build draws the same bytes.
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, default=Path("build"))
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    print(f"-> {coparticipation_figure(args.build_dir, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
