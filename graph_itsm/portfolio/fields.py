"""The constrained field types of the portfolio document, and the checks behind them.

Each check raises ``ValueError("must be ...")``: the message is reported after the field's path.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, ValidationInfo

__all__ = [
    "Id", "Ref", "Text", "Month", "Currency", "Email", "Day", "Timestamp", "Share", "NonNegative", "StrictBool",
    "given_iff",
]


def _matches(pattern: str, what: str) -> AfterValidator:
    """A validator for strings that must match ``pattern`` in full, failing with "must be <what>"."""
    regex = re.compile(pattern)

    def check(value: str) -> str:
        if not regex.fullmatch(value):
            raise ValueError(f"must be {what}; got {value!r}")
        return value

    return AfterValidator(check)


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(value: Any) -> Any:
    """Accept a date or a ``YYYY-MM-DD`` string, not the numbers pydantic would read as timestamps."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DAY.fullmatch(value):
        return value
    raise ValueError(f"must be a date as YYYY-MM-DD; got {value!r}")


def _timestamp(value: Any) -> Any:
    if not isinstance(value, (datetime, str)):
        raise ValueError(f"must be an ISO 8601 timestamp with a time zone; got {value!r}")
    return value


def _utc(value: datetime) -> datetime:
    return value.astimezone(timezone.utc)


Id = Annotated[str, _matches(r"[a-z0-9][a-z0-9_-]{0,199}", "a slug of lower-case letters, digits, '-' and '_'")]
Ref = Annotated[str, Field(min_length=1)]  # an id of another object; whether it exists is validation's business
Text = Annotated[str, Field(min_length=1)]
Month = Annotated[str, _matches(r"\d{4}-(0[1-9]|1[0-2])", "a month as YYYY-MM")]
Currency = Annotated[str, _matches(r"[A-Z]{3}", "an ISO 4217 currency code (three capital letters)")]
Email = Annotated[str, _matches(r"[^@\s]+@[^@\s]+\.[^@\s]+", "an email address")]
Day = Annotated[date, BeforeValidator(_day)]
Timestamp = Annotated[AwareDatetime, BeforeValidator(_timestamp), AfterValidator(_utc)]
Share = Annotated[float, Field(strict=True, ge=0, le=1)]
NonNegative = Annotated[float, Field(strict=True, ge=0)]
StrictBool = Annotated[bool, Field(strict=True)]


def given_iff(value: Any, info: ValidationInfo, field: str, what: str, needing: set[Any]) -> Any:
    """``value`` must be given exactly when the earlier ``field`` is one of ``needing`` (else it is left out)."""
    decider = info.data.get(field)
    if decider is None:  # the deciding field is invalid itself, and reported as such
        return value
    if decider in needing and value is None:
        raise ValueError(f"is required with {what} {decider}")
    if decider not in needing and value is not None:
        raise ValueError(f"is not used with {what} {decider}")
    return value
