"""Python's cycle collector, run on the GUI thread only.

Left automatic, the collector runs in whichever thread happens to allocate when a generation fills
up, often a thread-pool worker loading a screen. It then frees every unreachable cycle it finds,
Qt wrappers included, and a widget or QObject destroyed off the GUI thread crashes the process
(seen in CI: a segmentation fault "Garbage-collecting" inside a follow-ups load on a worker).
Here the automatic collector is off and a timer on the GUI thread collects instead, the generation
Python would have collected, as soon as the counts say it is due. Reference counting still frees
everything outside cycles at once, in any thread, as before.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

# Often enough that a burst of allocation (an import reading 100,000 rows) leaves little garbage
# waiting; rarely enough that an idle window costs nothing to notice.
CHECK_EVERY_MS = 500


class GuiThreadCollector(QObject):
    """Owns the cycle collector for as long as it lives: `stop()` hands it back to Python."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(CHECK_EVERY_MS)

    def collect_due(self) -> int:
        """Collect the oldest generation whose count has passed Python's own threshold; -1 if none.

        The same rule the automatic collector follows, so the heap is walked no more often than before."""
        due = -1
        for generation, (count, threshold) in enumerate(zip(gc.get_count(), self._thresholds, strict=True)):
            if threshold and count > threshold:
                due = generation
        if due >= 0:
            gc.collect(due)
        return due

    def stop(self) -> None:
        """Collect what is left here, on the GUI thread, and give collection back to Python."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
