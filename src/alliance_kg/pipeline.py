"""Run the whole pipeline: documents -> extract -> rdf -> store -> (reason, validate).

``build()`` is the one library call behind ``alliance-kg build`` and ``make run``. Once the
asserted graphs are in the store, the OWL 2 RL closure is materialised into the graph
``{base}graph/inferred`` (dumped as kg-inferred.nq) and the asserted graphs are validated
against ontology/shapes.ttl (report in validation.ttl, summary in build.json); a violation
fails the build unless ``validation="warn"``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import __version__, validate
from .config import Settings
from .corpus import DocumentInfo, load_manifest, read_corpus
from .extract import RULES, Extractor, resolve
from .extract.model import Entity, Fact, Ref, Statement
from .lexicon import Lexicon, read_lexicon
from .namespaces import Namespaces
from .rdf import (
    Minter,
    SourceText,
    build_quads,
    document_quads,
    lexicon_quads,
    ontology_quads,
    source_text,
)
from .reason import INFERRED_GRAPH, Inference, materialise
from .store import BuildPaths, read_manifest, store_quads, write_build, write_graph_nquads

VALIDATION_MODES = ("strict", "warn")


@dataclass(frozen=True)
class DocumentDone:
    """Progress report for one document."""

    position: int  # 1-based
    total: int
    info: DocumentInfo
    characters: int
    statements: int
    seconds: float


Progress = Callable[[DocumentDone], None]


def ontology_files(settings: Settings) -> list[Path]:
    """The Turtle files of the ontology (classes, properties and concept schemes).

    The SHACL shapes live beside them but are not part of the ontology graph.
    """
    return sorted(
        p for p in Path(settings.ontology_dir).glob("*.ttl") if p.name != validate.SHAPES_FILE
    )


def load_lexicon(settings: Settings) -> Lexicon:
    domains = Path(settings.ontology_dir) / "domains.ttl"
    return read_lexicon(Path(settings.lexicon_path), domains if domains.exists() else None)


def referenced_keys(statements: Sequence[Statement]) -> set[str]:
    """``kind/slug`` of every entity a list of statements mentions."""
    keys: set[str] = set()
    for st in statements:
        if isinstance(st, Entity):
            keys.add(str(st.ref))
        elif isinstance(st, Fact):
            keys.add(str(st.subject))
            if isinstance(st.object, Ref):
                keys.add(str(st.object))
    return keys


def build_id(
    infos: Sequence[DocumentInfo],
    documents_sha: Sequence[str],
    lexicon: Lexicon,
    settings: Settings,
) -> str:
    """A deterministic id of a build: same inputs, same code version, same id."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(settings.base_iri.encode())
    digest.update(lexicon.sha256.encode())
    for path in ontology_files(settings):
        digest.update(path.read_bytes())
    for info, sha in zip(infos, documents_sha, strict=True):
        digest.update(f"{info.id}\x1f{sha}".encode())
    return digest.hexdigest()[:16]


def build(
    settings: Settings,
    *,
    corpus_dir: Path | None = None,
    only: Sequence[str] | None = None,
    progress: Progress | None = None,
    validation: str = "strict",
) -> dict:
    """Build the knowledge graph of a corpus into ``settings.build_dir``; returns build.json.

    ``validation="strict"`` (the default) fails the build on a SHACL violation or an
    inconsistency the reasoner finds; ``"warn"`` builds anyway and records them.
    """
    if validation not in VALIDATION_MODES:
        raise ValueError(f"validation must be one of {', '.join(VALIDATION_MODES)}")
    corpus_dir = Path(corpus_dir or settings.corpus_dir)
    infos = load_manifest(corpus_dir)
    if only:
        wanted = set(only)
        infos = [i for i in infos if i.id in wanted]
    lexicon = load_lexicon(settings)
    minter = Minter(Namespaces(settings.base_iri))
    known = frozenset(e.key for e in lexicon)
    extractor = Extractor(lexicon)
    started = time.time()

    # Pass 1 reads every document (one at a time, releasing its text) and keeps what its
    # graph needs; events are then resolved across documents before any IRI is written.
    sources: list[SourceText] = []
    extracted: list[list[Statement]] = []
    events = []
    for position, document in enumerate(read_corpus(corpus_dir, only=only), 1):
        t0 = time.perf_counter()
        result = extractor.extract(document)
        sources.append(source_text(document, result.statements))
        extracted.append(result.statements)
        events += result.events
        if progress:
            progress(
                DocumentDone(
                    position,
                    len(infos),
                    document.info,
                    len(document.raw),
                    len(result.statements),
                    time.perf_counter() - t0,
                )
            )
    resolution = resolve.plan(events)
    extracted = [resolve.apply(statements, resolution) for statements in extracted]
    lexicon_names = {w for e in lexicon if e.kind == "person" for w in e.slug.split("-")}
    people = resolve.plan_people(extracted, lexicon_names)
    extracted = resolve.unify_labels(
        resolve.apply_people(statements, people) for statements in extracted
    )
    shas = [s.sha256 for s in sources]

    def quads() -> Iterator[ox.Quad]:
        yield from ontology_quads(minter, ontology_files(settings))
        keys: set[str] = set()
        for source, statements in zip(sources, extracted, strict=True):
            keys |= referenced_keys(statements)
            yield from document_quads(minter, source, statements, known)
        yield from lexicon_quads(minter, lexicon, keys)
        yield from build_quads(
            minter,
            build_id=build_id(infos, shas, lexicon, settings),
            version=__version__,
            documents=infos,
            lexicon=lexicon,
            rules=RULES,
        )

    manifest = {
        "version": __version__,
        "base_iri": settings.base_iri,
        "corpus": str(corpus_dir.resolve()),
        "documents": [{"id": i.id, "path": str(i.path), "title": i.title} for i in infos],
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
    }
    shapes = validate.load_shapes(Path(settings.ontology_dir), settings.base_iri)
    return write_build(
        settings.build_dir,
        quads(),
        prefixes=minter.ns.prefixes(),
        manifest=manifest,
        after_load=lambda store, paths: reason_and_validate(
            store, paths, minter.ns, shapes, strict=validation == "strict"
        ),
    )


def asserted_triples(store, ns: Namespaces) -> tuple[set[tuple], dict[str, list[tuple]]]:
    """The union of the asserted graphs (all but the inferred one), and each document graph."""
    inferred = ns.graph_iri(INFERRED_GRAPH)
    union: set[tuple] = set()
    documents: dict[str, list[tuple]] = {}
    prefix = ns.document_graph("")
    for q in store_quads(store):
        graph = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        if graph == inferred:
            continue
        triple = (q.subject, q.predicate, q.object)
        union.add(triple)
        if graph.startswith(prefix):
            documents.setdefault(graph, []).append(triple)
    return union, documents


def validate_build(store, settings: Settings) -> tuple[validate.Report, list[str]]:
    """Validate a finished build again (``alliance-kg validate``): the SHACL report and the
    inconsistencies the reasoner recorded when it was built."""
    ns = Namespaces(settings.base_iri)
    union, documents = asserted_triples(store, ns)
    shapes = validate.load_shapes(Path(settings.ontology_dir), settings.base_iri)
    manifest = read_manifest(settings.build_dir)
    return (
        validate.validate(union, documents, shapes),
        list(manifest.get("inference", {}).get("inconsistencies", [])),
    )


def reason_and_validate(store, paths: BuildPaths, ns: Namespaces, shapes, *, strict: bool) -> dict:
    """Materialise the inferred graph, validate the asserted graphs, write both reports."""
    inferred = ox.NamedNode(ns.graph_iri(INFERRED_GRAPH))
    union, documents = asserted_triples(store, ns)
    t0 = time.perf_counter()
    inference: Inference = materialise(union)
    reasoned = time.perf_counter() - t0
    store.bulk_extend(inference.quads(inferred))
    count = write_graph_nquads(store, inferred, paths.inferred)
    report = validate.validate(union, documents, shapes)
    paths.validation.write_text(report.turtle())
    summary = {
        "inference": {
            "graph": inferred.value,
            "triples": count,
            "inconsistencies": list(inference.inconsistencies),
            "seconds": round(reasoned, 3),
        },
        "validation": report.summary(),
    }
    problems = [f"Inconsistent: {i}" for i in inference.inconsistencies]
    problems += [f.line() for f in report.findings if f.severity == "Violation"]
    if strict and problems:
        shown = "\n  ".join(problems[:10])
        more = f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise validate.ValidationError(
            f"validation failed: {len(problems)} problem(s); the previous build is kept "
            f"(--validation=warn builds anyway):\n  {shown}{more}"
        )
    return summary
