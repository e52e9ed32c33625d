"""Where the command line writes: consoles that never wrap piped output, and progress bars with totals."""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

# A width no line reaches: output read by a program or saved to a file is never broken mid-sentence.
PLAIN_WIDTH = 100_000


def make_console(stderr: bool = False) -> Console:
    """A console that wraps only on a terminal, where a person reads it."""
    stream = sys.stderr if stderr else sys.stdout
    terminal = stream.isatty()
    return Console(stderr=stderr, soft_wrap=not terminal, width=None if terminal else PLAIN_WIDTH)


console = make_console()
err = make_console(stderr=True)


class RateColumn(ProgressColumn):
    """Steps per second of a task, with its unit."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} {self.unit}/s" if speed else f"- {self.unit}/s")


class CliProgress:
    """Progress of a long command, stage by stage, each with its total: a live bar on a terminal, one
    summary line per finished stage otherwise (a log keeps what the bar showed)."""

    def __init__(self, unit: str = "articles", out: Console | None = None) -> None:
        self.unit = unit
        self.out = out or err
        self.live = self.out.is_terminal
        self._bars: Progress | None = None
        self._task: TaskID | None = None
        self._stage = ""
        self._total: int | None = 0
        self._done = 0
        self._started = 0.0

    def __enter__(self) -> CliProgress:
        if self.live:
            self._bars = Progress(TextColumn("{task.description:<11}"), BarColumn(), MofNCompleteColumn(),
                                  RateColumn(self.unit), TimeElapsedColumn(), console=self.out, transient=False)
            self._bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._finish()
        if self._bars is not None:
            self._bars.stop()

    def start(self, stage: str, total: int | None) -> None:
        """A new stage of `total` steps (None: not known in advance, as for a streamed file)."""
        self._finish()
        self._stage, self._total, self._done, self._started = stage, total, 0, time.monotonic()
        if self._bars is not None:
            self._task = self._bars.add_task(stage, total=total)

    def advance(self, steps: int = 1) -> None:
        self._done += steps
        if self._bars is not None and self._task is not None:
            self._bars.advance(self._task, steps)

    def _finish(self) -> None:
        if not self._stage or self.live:
            return
        seconds = time.monotonic() - self._started
        rate = f", {self._done / seconds:.1f} {self.unit}/s" if seconds > 0 and self._done else ""
        of = f"/{self._total}" if self._total is not None else ""
        self.out.print(f"{self._stage}: {self._done}{of} {self.unit} in {seconds:.1f} s{rate}",
                       highlight=False)
        self._stage = ""
