"""`kg history` and `kg revert`: the journal of accepted writes, and undoing one of them."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from .cli_output import console, err
from .diffs import Change
from .journal import Activity, Journal, JournalError, agent_iri, journal_path
from .store import OxigraphStore
from .store.served import served
from .validate import DEFAULT_ENGINE, validate_change

StoreOpt = Annotated[Path, typer.Option("--store", "-s", help="Store folder.", envvar="DIPLOGRAPH_STORE")]


def undo(store: OxigraphStore, journal: Journal, activity_id: str, agent: str,
         engine: str = DEFAULT_ENGINE) -> Activity:
    """Apply the inverse of a journaled activity (what is still there of what it added goes, what it removed and
    is missing comes back) through the SHACL gate, and journal the revert itself."""
    act = journal.get(activity_id)
    change = Change([q for q in act.added if q in store], [q for q in act.removed if q not in store])
    if not change:
        raise JournalError(f"activity {act.id} has nothing left to undo")
    report = validate_change(store, change.removed, change.added, engine)
    if not report.conforms:
        problems = "; ".join(f"{r.focus} {r.path}: {r.message}" for r in report.violations[:5])
        raise JournalError(f"reverting {act.id} would leave the graph invalid: {problems}")
    store.replace_quads(change.removed, change.added)
    store.flush()
    return journal.record(agent, f"revert of {act.id}", change.removed, change.added, reverts=act.id)


def register(app: typer.Typer, default_store: Path) -> None:
    """Add `history` and `revert` to the command line."""

    @app.command()
    def history(store: StoreOpt = default_store) -> None:
        """The accepted writes to the store, oldest first: who, when, and how many quads went and came."""
        from .cli import require_store

        require_store(Path(store))
        print("activity\twhen\twho\twhat\tremoved\tadded")  # tab-separated: for people and scripts alike
        for act in Journal(journal_path(Path(store))).history():
            print(f"{act.id}\t{act.started}\t{act.agent}\t{act.description}\t{len(act.removed)}\t{len(act.added)}")

    @app.command()
    def revert(activity: Annotated[str, typer.Argument(help="The activity id (see `kg history`).")],
               store: StoreOpt = default_store) -> None:
        """Undo an accepted write: restore what it removed, remove what it added (itself journaled)."""
        from .cli import require_store

        path = require_store(Path(store))
        if served(path) is not None:
            err.print(f"[red]error[/red]: {path} is held by a running kg serve; stop it to revert (the server keeps "
                      "its own journal of HTTP writes)", highlight=False)
            raise typer.Exit(2)
        try:
            with OxigraphStore(path) as s:
                done = undo(s, Journal(journal_path(path)), activity, agent_iri("cli", getpass.getuser()))
        except JournalError as e:
            err.print(f"[red]{e}[/red]")
            raise typer.Exit(1) from None
        console.print(f"reverted {activity}: {len(done.added)} quads restored, {len(done.removed)} removed "
                      f"(journaled as {done.id})")
