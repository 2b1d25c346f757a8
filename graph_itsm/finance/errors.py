"""Errors of the financial engine, as subclasses of the project's error hierarchy."""

from __future__ import annotations

from graph_itsm.errors import GraphItsmError, RuleViolation

__all__ = ["ClosedCycle", "NumericalError"]

_SHOWN = 12  # ids named in a message; the error's extensions carry them all


class ClosedCycle(RuleViolation):
    """A set of services passes all its cost (or demand) around, so the roll-up has no solution.

    ``cycle`` lists the service ids, starting with one cycle in ``DEPENDS_ON`` order (each depends on the next,
    the last on the first); any further members of the closed set follow.
    """

    def __init__(self, message: str, cycle: list[str], cycle_length: int | None = None) -> None:
        super().__init__(message, cycle=list(cycle))
        self.cycle = list(cycle)
        self.cycle_length = len(cycle) if cycle_length is None else cycle_length

    @classmethod
    def naming(cls, what: str, members: list[str], cycle_length: int) -> "ClosedCycle":
        """The error with a message naming the cycle (``a -> b -> a``) and any other members of the set."""
        cycle = members[:cycle_length]
        if len(cycle) <= _SHOWN:
            path = " -> ".join(cycle + cycle[:1])
        else:  # a message a person reads: the start of a long cycle, the rest counted (all in extensions.cycle)
            path = " -> ".join(cycle[:_SHOWN]) + f" -> ... ({len(cycle) - _SHOWN} more) -> {cycle[0]}"
        text = f"{what} has no solution: the cycle {path}"
        others = members[cycle_length:]
        if others:
            shown = ", ".join(others[:_SHOWN]) + (f" and {len(others) - _SHOWN} more" if len(others) > _SHOWN else "")
            text += f" (with {shown})"
        text += " passes everything around without end; lower a share or factor on one of its dependencies"
        return cls(text, members, cycle_length)


class NumericalError(GraphItsmError):
    """A roll-up broke an invariant it checks (conservation, convergence): a bug, reported as INTERNAL."""

    code = "INTERNAL"
