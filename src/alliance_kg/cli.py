"""The ``alliance-kg`` command: thin, each command calls one library function."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import click
import pyoxigraph as ox

from . import __version__
from .config import Settings
from .corpus import CorpusError
from .lexicon import LexiconError
from .namespaces import Namespaces
from .pipeline import VALIDATION_MODES, DocumentDone, build, validate_build
from .queries import QueryFileError, find_query
from .rdf import StatementError
from .store import BuildError, open_store, query

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS = {
    "table": ox.RdfFormat.TURTLE,
    "json": ox.RdfFormat.JSON_LD,
    "csv": ox.RdfFormat.N_TRIPLES,
    "tsv": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
}
EXPORT_FORMATS = ("gexf", "graphml", "csv", "nquads", "trig", "turtle", "jsonld")
EXPECTED_ERRORS = (CorpusError, LexiconError, BuildError, QueryFileError, StatementError)


class Failure(click.ClickException):
    """A one-line error for the user, exit status 1."""

    def show(self, file=None) -> None:
        click.echo(f"alliance-kg: error: {self.format_message()}", err=True, file=file)


def _settings(ctx: click.Context, **overrides) -> Settings:
    base: Settings = ctx.obj
    return base.replace(**overrides)


build_dir_option = click.option(
    "--build-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Build directory (default: build/, or ALLIANCE_KG_BUILD_DIR).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="alliance-kg")
@click.pass_context
def main(ctx: click.Context) -> None:
    """alliance-kg: a knowledge graph of the Japan-U.S. alliance."""
    try:
        ctx.obj = Settings.from_env()
    except (TypeError, ValueError) as err:
        raise Failure(f"bad ALLIANCE_KG_* setting: {err}") from None


def _show_progress(done: DocumentDone) -> None:
    click.echo(
        f"[{done.position}/{done.total}] {done.info.id}: {done.characters:,} characters, "
        f"{done.statements:,} statements ({done.seconds:.1f} s)",
        err=True,
    )


@main.command("build")
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Corpus folder: a manifest.toml, or *.txt files (default: data/corpus).",
)
@build_dir_option
@click.option("--only", multiple=True, metavar="ID", help="Build only these document ids.")
@click.option("--base-iri", default=None, help="Base IRI of the graph (default: w3id.org).")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@click.option(
    "--validation",
    type=click.Choice(VALIDATION_MODES),
    default="strict",
    show_default=True,
    help="strict: SHACL violations or inconsistencies fail the build; warn: build anyway.",
)
@click.pass_context
def build_command(ctx, corpus_dir, build_dir, only, base_iri, quiet, validation) -> None:
    """Build the knowledge graph of a corpus: store, dumps, inferred graph, SHACL report."""
    try:
        settings = _settings(ctx, build_dir=build_dir, base_iri=base_iri)
        result = build(
            settings,
            corpus_dir=corpus_dir,
            only=only or None,
            progress=None if quiet else _show_progress,
            validation=validation,
        )
    except EXPECTED_ERRORS as err:
        raise Failure(str(err)) from None
    except ValueError as err:
        raise Failure(str(err)) from None
    click.echo(
        f"built {len(result['documents'])} documents, {result['quads']:,} quads in "
        f"{result['seconds']['total']:.1f} s -> {settings.build_dir}"
    )
    checked = result["validation"]
    click.echo(
        f"inferred {result['inference']['triples']:,} triples; validation: "
        f"{checked['violations']} violations, {checked['warnings']} warnings"
        + ("" if checked["conforms"] else f" (see {settings.build_dir}/validation.ttl)")
    )


@main.command("validate")
@build_dir_option
@click.pass_context
def validate_command(ctx, build_dir) -> None:
    """Validate a build against ontology/shapes.ttl; exit status 1 on violations."""
    settings = _settings(ctx, build_dir=build_dir)
    try:
        store = open_store(settings.build_dir)
        report, inconsistencies = validate_build(store, settings)
    except EXPECTED_ERRORS as err:
        raise Failure(str(err)) from None
    click.echo(report.text(), nl=False)
    for line in inconsistencies:
        click.echo(f"Inconsistent: {line}")
    if not report.conforms or inconsistencies:
        ctx.exit(1)


def _short(term, prefixes: dict[str, str]) -> str:
    if isinstance(term, ox.NamedNode):
        for prefix, ns in prefixes.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    if term is None:
        return ""
    return str(term)


def render_table(solutions: ox.QuerySolutions, prefixes: dict[str, str]) -> str:
    """A plain-text table of SELECT results, IRIs shortened with the project prefixes."""
    names = [v.value for v in solutions.variables]
    rows = [[_short(s[name], prefixes) for name in names] for s in solutions]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    widths = [min(w, 80) for w in widths]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(names), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


@main.command("query")
@click.argument("sparql", required=False)
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.Path(path_type=Path),
    help="Read the query from a .rq file.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "tsv", "xml"]),
    default="table",
    show_default=True,
)
@click.option(
    "--no-union",
    is_flag=True,
    help="Default graph = the store's default graph, not the union of all graphs.",
)
@build_dir_option
@click.pass_context
def query_command(ctx, sparql, query_file, fmt, no_union, build_dir) -> None:
    """Run a SPARQL query (text or -f FILE.rq) against a build."""
    if bool(sparql) == bool(query_file):
        raise Failure("give a query or -f FILE.rq (one of the two)")
    settings = _settings(ctx, build_dir=build_dir)
    with query_errors():
        text = read_query_file(query_file) if query_file else sparql
        store = open_store(settings.build_dir)
        prefixes = Namespaces(settings.base_iri).prefixes()
        result = query(store, text, prefixes=prefixes, union=not no_union)
    click.echo(format_result(result, fmt, prefixes), nl=False)


@contextlib.contextmanager
def query_errors(*more: type[Exception]) -> Iterator[None]:
    """Report what a bad build, query file or query raises as a one-line failure."""
    try:
        yield
    except (*EXPECTED_ERRORS, *more) as err:
        raise Failure(str(err)) from None
    except SyntaxError as err:
        raise Failure(f"query syntax: {err}") from None
    except OSError as err:
        raise Failure(f"query failed: {err}") from None


def read_query_file(path: Path) -> str:
    """A user's .rq file as text (a header comment is welcome but not required)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryFileError(f"{path}: cannot read ({err})") from None


def format_result(result, fmt: str, prefixes: dict[str, str]) -> str:
    """Serialise a query result in a CLI format."""
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return f"{'true' if bool(result) else 'false'}\n"
        return result.serialize(format=RESULT_FORMATS[fmt]).decode()
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            return render_table(result, prefixes) + "\n"
        return result.serialize(format=RESULT_FORMATS[fmt]).decode()
    out = io.BytesIO()
    kwargs = {"prefixes": prefixes} if fmt in ("table", "xml") else {}
    ox.serialize(result, out, GRAPH_FORMATS[fmt], **kwargs)
    return out.getvalue().decode()


@main.command("stats")
@build_dir_option
@click.pass_context
def stats_command(ctx, build_dir) -> None:
    """Triples per graph, entities per class and facts per extraction rule."""
    settings = _settings(ctx, build_dir=build_dir)
    prefixes = Namespaces(settings.base_iri).prefixes()
    try:
        store = open_store(settings.build_dir)
        for name in ("stats-graphs", "stats-classes", "stats-rules"):
            q = find_query(Path(settings.queries_dir), f"system/{name}")
            click.echo(f"\n{q.title}\n")
            click.echo(render_table(query(store, q.text, prefixes=prefixes), prefixes))
    except EXPECTED_ERRORS as err:
        raise Failure(str(err)) from None


@main.command("sample")
@build_dir_option
@click.option("-n", "count", type=int, default=20, show_default=True, help="How many facts.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same sample.")
@click.option("--rule", default=None, help="Only facts of this extraction rule (e.g. event.topic).")
@click.pass_context
def sample_command(ctx, build_dir, count, seed, rule) -> None:
    """Print random extracted facts with their source sentences, for a precision review."""
    from .review import sample_facts

    settings = _settings(ctx, build_dir=build_dir)
    try:
        store = open_store(settings.build_dir)
        facts_query = find_query(Path(settings.queries_dir), "system/facts-with-sources")
        facts = sample_facts(store, facts_query, count, seed, rule)
    except EXPECTED_ERRORS as err:
        raise Failure(str(err)) from None
    for i, f in enumerate(facts, 1):
        click.echo(f"{i:3}. {f.subject} | {f.predicate} | {f.object}   [{f.rule}]")
        click.echo(f"     {f.document}@{f.start}: {f.text}\n")


@main.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(EXPORT_FORMATS))
@click.option("--view", "view_name", default=None, help="A network view (see the list below).")
@click.option(
    "--query",
    "query_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Export the result of a CONSTRUCT, or of a SELECT with ?source ?target, in FILE.rq.",
)
@click.option(
    "--dynamic",
    is_flag=True,
    help="GEXF with a timeline: dated nodes and edges carry spells (Gephi's timeline).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output file (default: standard output); for csv a folder, or a .zip file.",
)
@build_dir_option
@click.pass_context
def export_command(ctx, fmt, view_name, query_file, dynamic, out, build_dir) -> None:
    """Export a view, a query's result or the whole graph.

    \b
    FORMAT: gexf, graphml, csv (Gephi); nquads, trig, turtle, jsonld (RDF).
    Views: entities, coparticipation, actor-event, lineage (queries/views/).
    Without --view or --query, an RDF format dumps the whole graph.
    """
    from .export import (
        GRAPH_FORMATS,
        ExportError,
        NetworkError,
        export_dump,
        export_query,
        export_view,
        load_views,
    )

    if view_name and query_file:
        raise Failure("give --view or --query, not both")
    if dynamic and fmt != "gexf":
        raise Failure("--dynamic is for gexf: only GEXF carries a timeline")
    if fmt == "csv" and out is None:
        raise Failure(
            "csv writes two files (nodes.csv, edges.csv): give --out FOLDER or --out FILE.zip"
        )
    settings = _settings(ctx, build_dir=build_dir)
    prefixes = Namespaces(settings.base_iri).prefixes()
    with query_errors(ExportError, NetworkError):
        views = load_views(settings.queries_dir, base_iri=settings.base_iri)
        if view_name:
            if view_name not in views:
                raise Failure(f"unknown view {view_name!r}: use one of {', '.join(views)}")
            store = open_store(settings.build_dir)
            result = export_view(store, views[view_name], fmt, dynamic=dynamic)
        elif query_file:
            text = read_query_file(query_file)
            store = open_store(settings.build_dir)
            result = export_query(store, text, fmt, prefixes, dynamic=dynamic)
        elif fmt in GRAPH_FORMATS:
            raise Failure(
                f"{fmt} exports a network: give --view ({', '.join(views)}) or --query FILE.rq"
            )
        else:
            result = export_dump(open_store(settings.build_dir), fmt, prefixes)
    try:
        written = write_export(result.files, out)
    except OSError as err:
        raise Failure(f"{out}: cannot write ({err.strerror or err})") from None
    for path in written:
        click.echo(f"-> {path}", err=True)


def write_export(files: dict[str, bytes], out: Path | None) -> list[Path]:
    """Write an export's files: one file to ``out`` or standard output; several (csv) into
    the folder ``out``, or into the zip file ``out`` when it ends with .zip."""
    from .export.tabular import zip_files

    if len(files) == 1:
        (body,) = files.values()
        if out is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(body)
            sys.stdout.buffer.flush()
            return []
        out.write_bytes(body)
        return [out]
    if out is None:
        raise Failure(f"{', '.join(files)}: give --out FOLDER or --out FILE.zip")
    if out.suffix.lower() == ".zip":
        out.write_bytes(zip_files(files))
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, body in files.items():
        (out / name).write_bytes(body)
        paths.append(out / name)
    return paths


@main.command("serve")
@build_dir_option
@click.option("--host", default=None, help="Interface to bind (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 5000).")
@click.option(
    "--data",
    "data",
    multiple=True,
    metavar="FILE[=GRAPH]",
    help="Serve these RDF files instead of a build (.nt .nq .ttl .trig .rdf .jsonld); "
    "=GRAPH puts a triple file into that named graph.",
)
@click.option(
    "--workers", type=int, default=None, help="Worker processes (default one per CPU, plus one)."
)
@click.option("--threads", type=int, default=None, help="Threads per worker (default 2).")
@click.option(
    "--store-mode",
    type=click.Choice(["memory", "disk"]),
    default=None,
    help="Load the build into memory (fast, default) or open the on-disk store read-only.",
)
@click.option(
    "--timeout",
    "query_timeout",
    type=float,
    default=None,
    help="Query time limit in seconds (default 30).",
)
@click.pass_context
def serve_command(ctx, build_dir, host, port, data, workers, threads, store_mode, query_timeout):
    """Serve a build (or RDF files) over SPARQL 1.1 and as linked data."""
    from .web.dataset import DataFile
    from .web.serve import serve

    try:
        settings = _settings(
            ctx,
            build_dir=build_dir,
            host=host,
            port=port,
            workers=workers,
            threads=threads,
            store_mode=store_mode,
            query_timeout=query_timeout,
        )
        files = [DataFile.parse(spec) for spec in data]
        serve(settings, files, announce=lambda line: click.echo(line, err=True))
    except EXPECTED_ERRORS as err:
        raise Failure(str(err)) from None
    except (ValueError, OSError) as err:
        raise Failure(str(err)) from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
