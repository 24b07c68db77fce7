"""The `kg` command: thin commands over library functions.

This is the one module that composes both halves (`ingest` reads digests into
records, `kg` stores and answers), and the one place where errors become
one-line messages and exit codes. Library code raises; only this prints.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from techclaims.errors import TechclaimsError
from techclaims.kg.errors import KgError, UsageError
from techclaims.kg.settings import default_store

EXIT_PARTIAL = 4  # some inputs were skipped; the rest landed

store_option = click.option(
    "--store",
    "store",
    default=None,
    metavar="STORE",
    help="Store directory, or the http(s):// URL of a SPARQL 1.1 endpoint (a remote store) "
    "(default: $KG_STORE, else ~/.local/share/techclaims/store).",
)


class _Group(click.Group):
    """Turns expected errors into `kg: error: ...` on one line, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TechclaimsError as err:  # KgError and IngestError (a spaCy setup error too)
            click.echo(f"kg: error: {err}", err=True)
            ctx.exit(err.exit_code)
        except KeyboardInterrupt:
            click.echo("kg: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="techclaims", prog_name="kg")
@click.option("-v", "--verbose", is_flag=True, help="Log what the library does (to stderr).")
def main(verbose: bool) -> None:
    """techclaims: a knowledge graph of ML-systems techniques and the claims papers make about them."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="kg: %(message)s"
    )


def _resolve(store: str | None) -> str:
    return store or default_store()


# -- ingest -----------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option(
    "--gpu", is_flag=True, help="Run spaCy on the GPU (falls back to the CPU with a notice)."
)
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Processes for the NLP on this machine.",
)
@click.option(
    "--scheduler",
    metavar="ADDR",
    default=None,
    help="Dask scheduler address to spread digests over.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar (default: when stderr is a terminal).",
)
def ingest(
    paths: tuple[Path, ...],
    store: str | None,
    gpu: bool,
    workers: int,
    scheduler: str | None,
    progress: bool | None,
) -> None:
    """Read digests (files or folders) into the store, one named graph per digest.

    Ingesting a digest again replaces its graph in one transaction (a digest of over
    50,000 statements is staged in batches, then switched). A bad file is
    reported and skipped; the others still land.

    \b
    Example:
      kg ingest examples/digests --store out/store
    """
    from techclaims.kg.ingest_job import ingest_paths

    show = sys.stderr.isatty() if progress is None else progress
    report = ingest_paths(
        list(paths),
        _resolve(store),
        gpu=gpu,
        workers=workers,
        scheduler=scheduler,
        progress=show,
        notice=lambda msg: click.echo(f"kg: {msg}", err=True),
    )
    click.echo(report.summary())
    if report.failures or any(d.dropped for d in report.digests):  # entries skipped count too
        sys.exit(EXIT_PARTIAL)


# -- repair -----------------------------------------------------------------


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
def repair(file: Path) -> None:
    """Print the text of a digest, repaired if it is mis-encoded (UTF-8 read as Windows-1254).

    \b
    Example:
      kg repair examples/digests/arxiv-bot-mojibake.md | head
    """
    from techclaims.ingest.digest.load import load_digest_text

    text, repaired, _ = load_digest_text(file)
    if not repaired:
        click.echo(f"kg: {file}: not mis-encoded; printed as it is", err=True)
    click.echo(text, nl=False)


# -- query ------------------------------------------------------------------


def _read_query(sparql: str | None, file: Path | None) -> str:
    if sparql and file:
        raise UsageError("give the query as an argument or with -f, not both")
    if file:
        try:
            return file.read_text(encoding="utf-8")
        except OSError as err:
            raise UsageError(f"{file}: cannot read the query: {err.strerror}") from err
    if sparql == "-" or (sparql is None and not sys.stdin.isatty()):
        return sys.stdin.read()
    if not sparql:
        raise UsageError(
            "no query: give SPARQL as an argument, -f FILE.rq, --saved NAME or on stdin"
        )
    return sparql


@main.command()
@click.argument("sparql", required=False)
@click.option(
    "-f", "--file", type=click.Path(path_type=Path), help="Read the query from a .rq file."
)
@click.option("--saved", metavar="NAME", help="Run a saved question (see --list).")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="Bind a saved question's parameter, or a variable of your own query "
    "(VALUE: <IRI>, kg:Name, method:NAME, a number, or text).",
)
@click.option("--list", "list_saved", is_flag=True, help="List the saved questions.")
@click.option(
    "--format",
    "fmt",
    default=None,
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld"]),
    help="Output format (default: table on a terminal, else csv; ttl for graphs).",
)
@store_option
def query(
    sparql: str | None,
    file: Path | None,
    saved: str | None,
    params: tuple[str, ...],
    list_saved: bool,
    fmt: str | None,
    store: str | None,
) -> None:
    """Run SPARQL (SELECT, ASK, CONSTRUCT, DESCRIBE) over every digest's statements, each once.

    The prefixes kg:, kgr:, dcterms:, skos:, prov:, xsd:, rdf: and rdfs: are declared.

    \b
    Examples:
      kg query 'SELECT ?title WHERE { ?p a kg:Paper ; dcterms:title ?title } LIMIT 5'
      kg query -f my.rq --format csv
      kg query --saved top-speedups-per-hardware
    """
    import pyoxigraph as ox

    from techclaims.kg.queries import list_saved_queries, saved_query
    from techclaims.kg.results import render
    from techclaims.kg.store import open_store, stale_notice

    if list_saved:
        for name, description in list_saved_queries():
            click.echo(f"{name:<36} {description}")
        return
    bindings: dict = {}
    if saved:
        text, bindings = saved_query(saved, dict(_split_param(p) for p in params))
    else:
        from techclaims.kg.sparql import parse_term

        text = _read_query(sparql, file)
        # bound in the query's text before it runs, wherever the variable occurs (kg.sparql.bind)
        bindings = {k: parse_term(v) for k, v in (_split_param(p) for p in params)}
    with open_store(_resolve(store), read_only=True) as opened:
        notice = stale_notice(opened, text, _resolve(store))
        if notice:
            click.echo(f"kg: warning: {notice}", err=True)
        result = opened.query(text, bindings=bindings)
        if fmt is None:
            if isinstance(result, ox.QueryTriples):
                fmt = "ttl"
            else:
                fmt = "table" if sys.stdout.isatty() else "csv"
        click.echo(render(result, fmt), nl=fmt == "table")


def _split_param(param: str) -> tuple[str, str]:
    key, sep, value = param.partition("=")
    if not sep or not key:
        raise UsageError(f"--param {param!r}: write it as KEY=VALUE")
    return key, value


# -- export, stats, validate ------------------------------------------------

_EXPORT_FORMATS = ("nt", "nq", "ttl", "trig", "jsonld", "graphml", "gexf")


@main.command()
@click.option(
    "--format",
    "fmt",
    default=None,
    type=click.Choice(_EXPORT_FORMATS),
    help="Default: the output file's suffix (graph.ttl is Turtle).",
)
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="File to write."
)
@store_option
def export(fmt: str | None, output: Path, store: str | None) -> None:
    """Write the graph to a file: nt/ttl (union of digests), nq/trig/jsonld (a graph per digest), graphml/gexf.

    \b
    Example:
      kg export --format trig -o graph.trig
      kg export -o graph.ttl
    """
    from techclaims.kg.store import open_store

    if fmt is None:
        fmt = output.suffix.lstrip(".").lower()
        if fmt not in _EXPORT_FORMATS:
            raise UsageError(
                f"{output}: cannot tell the format from the suffix; pass --format "
                f"({', '.join(_EXPORT_FORMATS)})"
            )
    # checked first: a missing folder is not worth a read of the store
    if not output.parent.is_dir():
        raise UsageError(f"{output}: no such directory {str(output.parent)!r}; create it first")

    with open_store(_resolve(store), read_only=True) as opened:
        if fmt in ("graphml", "gexf"):
            from techclaims.kg.viz.network import export_network

            count = export_network(opened, output, fmt)
            click.echo(f"wrote {count} nodes to {output}")
        else:
            from techclaims.kg.export import export_rdf

            count = export_rdf(opened, output, fmt)
            click.echo(f"wrote {count} statements to {output}")


@main.command()
@store_option
def stats(store: str | None) -> None:
    """Count digests, papers, claims, methods, models and hardware in the store.

    \b
    Example:
      kg stats --store out/store
    """
    from techclaims.kg.results import render_table
    from techclaims.kg.sparql import load
    from techclaims.kg.store import open_store

    with open_store(_resolve(store), read_only=True) as opened:
        click.echo(f"store: {opened.location}")
        click.echo(render_table(opened.query(load("stats"))))
        click.echo()
        click.echo(render_table(opened.query(load("papers_per_digest"))))


@main.command()
@store_option
def validate(store: str | None) -> None:
    """Check the graph against the SHACL shapes of schema/shapes.ttl (exit 1 if it does not conform).

    \b
    Example:
      kg validate --store out/store
    """
    from techclaims.kg.store import open_store
    from techclaims.kg.validate import validate as run

    with open_store(_resolve(store), read_only=True) as opened:
        conforms, text = run(opened)
    if conforms:
        click.echo("conforms to the SHACL shapes")
        return
    click.echo(text)
    raise KgError("the graph does not conform to the SHACL shapes (report above)")


def _eval_by_rule(gold: tuple[Path, ...], texts: Path | None) -> None:
    """`kg eval --by-rule`: each labelling function against the gold papers' names."""
    from techclaims.ingest.nlp.pipeline import load_nlp
    from techclaims.ingest.nlp.provenance import format_rule_table, rule_table
    from techclaims.schema.gold import find_corpus, read_gold

    pairs = []
    for path in gold:
        folder = texts or find_corpus(path)
        for paper in read_gold(path, texts):
            source = str(paper.get("source", ""))
            places = [Path(path).resolve().parent.parent / "corpus" / source]
            if folder is not None:
                places.insert(0, folder / source)
            digest = next((p for p in places if p.is_file()), None)
            if digest is None:
                raise KgError(f"{path}: digest {source!r} of a gold paper not found (give --texts)")
            pairs.append((digest, paper))
    click.echo(format_rule_table(rule_table(load_nlp(), pairs)))


@main.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option(
    "--by-source",
    is_flag=True,
    help="Also print the table per gold file (several files given) or per digest (one file).",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(path_type=Path),
    help="Write every figure to this JSON file.",
)
@click.option(
    "--texts",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder of the digests that span annotations point into (default: shared/corpus-extended beside the gold file's ancestors).",
)
@click.option(
    "--misses", is_flag=True, help="Also list the gold entities and papers that were not found."
)
@click.option(
    "--mismatches",
    is_flag=True,
    help="Also list the claim attributes that disagree with gold on matched claims.",
)
@click.option(
    "--by-rule",
    is_flag=True,
    help="Instead of scoring the store: run each rule of the NLP pipeline over the gold papers' "
    "own entries and print its precision and recall against their names (read train, not test).",
)
def eval_(
    gold: tuple[Path, ...],
    store: str | None,
    by_source: bool,
    json_path: Path | None,
    texts: Path | None,
    misses: bool,
    mismatches: bool,
    by_rule: bool,
) -> None:
    """Score the graph against gold annotations (JSONL files), as ANNOTATION.md says.

    P/R/F1 per entity type, for claims, and for the baseline, model and hardware
    of matched claims (stated values: agreeing nulls are not counted); metric
    accuracy; proposed-method recall.

    \b
    Examples:
      kg eval ../shared/gold/dev.jsonl --store out/store
      kg eval data/annotations/train/*.jsonl --by-source --json out/train.json
      kg eval data/annotations/train/*.jsonl --by-rule
    """
    import json

    if by_rule:
        _eval_by_rule(gold, texts)
        return

    from techclaims.kg.evaluate import evaluate, evaluate_groups, read_gold, read_predictions
    from techclaims.kg.store import open_store

    papers = [paper for path in gold for paper in read_gold(path, texts)]
    with open_store(_resolve(store), read_only=True) as opened:
        predicted = read_predictions(opened)
    scores = evaluate(papers, predicted)
    field = "gold_file" if len(gold) > 1 else "source"
    groups = (
        evaluate_groups(papers, predicted, lambda p: str(p.get(field, ""))) if by_source else {}
    )
    click.echo(scores.table())
    for name, group in groups.items():
        click.echo(f"\n== {name}")
        click.echo(group.table())
    if misses:
        click.echo()
        click.echo("\n".join(scores.misses))
    if mismatches:
        click.echo()
        click.echo("\n".join(scores.mismatches))
    if json_path is not None:
        figures = {
            "gold": [str(path) for path in gold],
            "overall": scores.as_dict(),
            "groups": {name: group.as_dict() for name, group in groups.items()},
        }
        try:
            json_path.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
        except OSError as err:
            raise KgError(f"{json_path}: cannot write: {err.strerror}") from err


# -- viz --------------------------------------------------------------------

from techclaims.kg.viz import CHART_NAMES, NODE_TYPE_NAMES  # noqa: E402  (names only: imports nothing heavy)


@main.command()
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="HTML file to write."
)
@store_option
@click.option(
    "--focus",
    metavar="NAME",
    help="Draw only the neighbourhood of this method, model, hardware or paper.",
)
@click.option(
    "--depth",
    type=click.IntRange(0),
    default=None,
    help="Links from --focus to include (default 1).",
)
@click.option(
    "--chart",
    type=click.Choice(["network", *CHART_NAMES]),
    help="Write one chart (or the network alone) instead of the whole page.",
)
@click.option(
    "--topic",
    "topics",
    multiple=True,
    metavar="TOPIC",
    help="Keep papers of this topic (repeatable).",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    type=click.Choice(NODE_TYPE_NAMES),
    help="Draw only nodes of this type (repeatable).",
)
@click.option(
    "--min-speedup",
    type=float,
    default=None,
    metavar="X",
    help="Keep papers and claims that claim at least this x-factor.",
)
@click.option(
    "--hardware",
    multiple=True,
    metavar="NAME",
    help="Keep papers run on this hardware (repeatable).",
)
@click.option(
    "--digest",
    "digests",
    multiple=True,
    metavar="FILE",
    help="Keep papers read from this digest (repeatable).",
)
@click.option("--title", default="techclaims", show_default=True, help="Title of the page.")
def viz(
    output: Path,
    store: str | None,
    focus: str | None,
    depth: int | None,
    chart: str | None,
    topics: tuple[str, ...],
    types: tuple[str, ...],
    min_speedup: float | None,
    hardware: tuple[str, ...],
    digests: tuple[str, ...],
    title: str,
) -> None:
    """Write an interactive page of the graph: one HTML file that opens from disk with no network.

    The page holds the network (papers, methods, models, hardware and claims; search box,
    filters, a legend that toggles types) and the charts of the claims. Filters given here
    cut the graph before it is drawn; the page has its own filters too.

    \b
    Examples:
      kg viz -o out/graph.html
      kg viz -o flashinfer.html --focus FlashInfer --depth 2
      kg viz -o speedups.html --chart speedup-by-topic
      kg viz -o h100.html --hardware H100 --min-speedup 2
    """
    from techclaims.kg.store import open_store
    from techclaims.kg.viz.graph import Filters, read_graph
    from techclaims.kg.viz.page import make_page

    if depth is not None and not focus:
        raise UsageError("--depth goes with --focus")
    filters = Filters(
        topics=frozenset(topics),
        types=frozenset(types),
        min_speedup=min_speedup,
        hardware=frozenset(hardware),
        digests=frozenset(digests),
    )
    with open_store(_resolve(store), read_only=True) as opened:
        graph = read_graph(opened)
    text, shown = make_page(
        graph,
        filters=filters,
        focus=focus,
        depth=1 if depth is None else depth,
        chart=chart,
        title=title,
    )
    data = text.encode("utf-8")
    tmp = output.with_name(output.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(output)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise KgError(f"{output}: cannot write the page: {err.strerror or err}") from err
    if shown.number_of_nodes() == 0:
        click.echo("kg: no node passes the filters; the page is empty", err=True)
    click.echo(
        f"wrote {output} ({len(data) / 1e6:.1f} MB): {shown.number_of_nodes()} nodes, "
        f"{shown.number_of_edges()} links"
    )


# -- serve ------------------------------------------------------------------


@main.command()
@store_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (another machine can reach it only if you widen this).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="Port to listen on (0: any free port, printed at start).",
)
@click.option(
    "--timeout",
    "timeout_s",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds a query may run; past it the query is stopped and the answer is 503.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(1),
    default=100_000,
    show_default=True,
    help="Largest answer in rows (or triples); a larger one is refused with 422, never cut.",
)
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=2,
    show_default=True,
    help="Query worker processes (each holds its own read-only snapshot of the store).",
)
@click.option(
    "--allow-service",
    multiple=True,
    metavar="IRI",
    help="A SPARQL endpoint that queries may call with SERVICE <IRI> (repeatable; exact IRI). "
    "Without it every SERVICE clause is refused (400): the endpoint never calls other servers.",
)
@click.option(
    "--header-timeout",
    "header_timeout_s",
    type=click.FloatRange(min=0.1),
    default=5.0,
    show_default=True,
    help="Seconds a connection may take to send a request (head, then body); idle and "
    "half-sent connections are closed after it.",
)
@click.option(
    "--max-requests",
    type=click.IntRange(1),
    default=64,
    show_default=True,
    help="Requests handled at once (idle connections do not count); more get 503 at once.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    store: str | None,
    host: str,
    port: int,
    timeout_s: float,
    max_rows: int,
    workers: int,
    allow_service: tuple[str, ...],
    header_timeout_s: float,
    max_requests: int,
) -> None:
    """Serve the store as a read-only SPARQL 1.1 endpoint, with a query page at /.

    GET or POST a query to /sparql (urlencoded or application/sparql-query); answers in
    JSON, XML, CSV or TSV (tables) and Turtle, N-Triples or JSON-LD (graphs) by the Accept
    header. Updates get 403. It runs beside `kg ingest` and picks up each digest as it lands.

    \b
    Examples:
      kg serve --store out/store
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' \\
           http://127.0.0.1:7878/sparql
    """
    from techclaims.kg.serve import Settings
    from techclaims.kg.serve import serve as run_server

    settings = Settings(
        store=_resolve(store),
        host=host,
        port=port,
        timeout_s=timeout_s,
        max_rows=max_rows,
        workers=workers,
        allow_service=allow_service,
        header_timeout_s=header_timeout_s,
        max_requests=max_requests,
    )
    verbose = bool(ctx.find_root().params.get("verbose"))
    run_server(
        settings,
        ready=lambda url: click.echo(
            f"kg: serving {settings.store} read-only at {url} "
            f"(SPARQL endpoint {url}sparql); Ctrl-C stops"
        ),
        verbose=verbose,
    )


# -- train ----------------------------------------------------------------------------


@main.command()
@click.option(
    "--texts",
    type=click.Path(path_type=Path),
    default=None,
    help="The unlabelled digests for vectors and silver data (default: ../shared/corpus-extended).",
)
@click.option(
    "--annotations",
    type=click.Path(path_type=Path),
    default=None,
    help="The annotated papers (default: data/annotations; only train/ is learnt from).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Where the pipeline goes (default: ingest/nlp/model, the one kg ingest uses).",
)
@click.option("--gpu", is_flag=True, help="Train on the GPU (falls back to the CPU with a notice).")
@click.option(
    "--max-steps",
    type=click.IntRange(1),
    default=None,
    help="Training steps (default: the config's).",
)
@click.option(
    "--recognizer",
    type=click.Choice(["ner", "stacked"]),
    default="ner",
    show_default=True,
    help="ner: reads the words (gold + silver); stacked: also reads the rules' votes "
    "(gold only; measured level with the rules, docs/evaluation.md).",
)
def train(
    texts: Path | None,
    annotations: Path | None,
    out: Path | None,
    gpu: bool,
    max_steps: int | None,
    recognizer: str,
) -> None:
    """Rebuild the recognizer: vectors, training data, spacy train, assembly.

    floret vectors from the unlabelled digests, gold names of the annotated train
    papers projected onto their entries plus rule-labelled silver entries (never the
    test months), configs/ner.cfg trained with spacy train (fixed seeds), assembled
    with the rules into the pipeline kg ingest loads. What `make model` runs.

    \b
    Example:
      kg train --texts ../shared/corpus-extended --out /tmp/model
    """
    from techclaims.ingest.nlp.train import main as train_main  # imports spaCy: only here

    argv = []
    if texts is not None:
        argv += ["--texts", str(texts)]
    if annotations is not None:
        argv += ["--annotations", str(annotations)]
    if out is not None:
        argv += ["--out", str(out)]
    if gpu:
        argv.append("--gpu")
    if max_steps is not None:
        argv += ["--max-steps", str(max_steps)]
    argv += ["--recognizer", recognizer]
    code = train_main(argv)
    if code:
        sys.exit(code)


def all_commands() -> Iterable[tuple[str, Callable]]:
    """Every command, for the test that checks each has help text and a README entry."""
    return sorted(main.commands.items())


if __name__ == "__main__":
    main()
