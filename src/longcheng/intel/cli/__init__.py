"""``longcheng intel ...``: news intelligence from the command line.

Start reading here: this file only wires the Typer sub-app. ``library`` holds ``ingest``,
``reindex`` and ``relink`` (store files, rebuild the search index, link facts again); ``extract``
prints the money facts of text files as JSON Lines without a database.
"""

from __future__ import annotations

import typer

from longcheng.intel.cli.extract import extract
from longcheng.intel.cli.library import ingest_command, reindex_command, relink_command

app = typer.Typer(help="招商情报：从新闻和简报中抽取带出处的事实。", no_args_is_help=True)
app.command("ingest")(ingest_command)
app.command("reindex")(reindex_command)
app.command("relink")(relink_command)


@app.callback()
def intel() -> None:
    """招商情报：新闻与简报 → 带出处的事实。"""


app.command("extract")(extract)
