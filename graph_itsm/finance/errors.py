"""Errors of the financial engine, as subclasses of the project's error hierarchy."""

from __future__ import annotations

from graph_itsm.errors import GraphItsmError, RuleViolation

__all__ = ["ClosedCycle", "NumericalError"]


class ClosedCycle(RuleViolation):
    """A set of services passes all its cost (or demand) around, so the roll-up has no solution.

    ``cycle`` lists the service ids, starting with one cycle in ``DEPENDS_ON`` order (each depends on the next,
    the last on the first); any further members of the closed set follow.
    """

    def __init__(self, message: str, cycle: list[str]) -> None:
        super().__init__(message, cycle=list(cycle))
        self.cycle = list(cycle)


class NumericalError(GraphItsmError):
    """A roll-up broke an invariant it checks (conservation, convergence): a bug, reported as INTERNAL."""

    code = "INTERNAL"
