"""Values known only within bounds, carried through sums and comparisons.

A printed figure is not always the value a sentence speaks of: Table 3 prints direct cost only from
2015 on (its footnote a), so the full cost of such a project is at least the printed figure; a
stated "超过7亿" used as an input says only that the value exceeds 7亿.  Such values are intervals
[lo, hi] (None = unbounded).  Intervals are closed: "more than x" is carried as [x, ∞), which can
only make a comparison less decisive, never wrong.  A comparison returns True, False, or None when
the interval straddles the boundary and the data cannot decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

Number = int | float | Decimal | Fraction


@dataclass(frozen=True)
class Interval:
    lo: Number | None  # None: no lower bound
    hi: Number | None  # None: no upper bound

    def __post_init__(self):
        if self.lo is not None and self.hi is not None and self.lo > self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    @classmethod
    def exact(cls, value: Number) -> Interval:
        return cls(value, value)

    @classmethod
    def at_least(cls, value: Number) -> Interval:
        return cls(value, None)

    @classmethod
    def at_most(cls, value: Number) -> Interval:
        return cls(None, value)

    @classmethod
    def of(cls, value) -> Interval:
        return value if isinstance(value, Interval) else cls.exact(value)

    @property
    def is_exact(self) -> bool:
        return self.lo is not None and self.lo == self.hi

    def __add__(self, other) -> Interval:
        other = Interval.of(other)
        lo = None if self.lo is None or other.lo is None else self.lo + other.lo
        hi = None if self.hi is None or other.hi is None else self.hi + other.hi
        return Interval(lo, hi)

    __radd__ = __add__

    def __neg__(self) -> Interval:
        return Interval(None if self.hi is None else -self.hi, None if self.lo is None else -self.lo)

    def __sub__(self, other) -> Interval:
        return self + (-Interval.of(other))

    def __truediv__(self, divisor: Number) -> Interval:
        """Division by a positive exact number (a change of unit)."""
        if divisor <= 0:
            raise ValueError("only division by a positive number keeps the bounds in order")
        return Interval(
            None if self.lo is None else self.lo / divisor, None if self.hi is None else self.hi / divisor
        )

    # -- comparisons with an exact number: True, False, or None (undecided) -------------------
    def gt(self, x: Number) -> bool | None:
        if self.lo is not None and self.lo > x:
            return True
        if self.hi is not None and self.hi <= x:
            return False
        return None

    def ge(self, x: Number) -> bool | None:
        if self.lo is not None and self.lo >= x:
            return True
        if self.hi is not None and self.hi < x:
            return False
        return None

    def lt(self, x: Number) -> bool | None:
        return _negate(self.ge(x))

    def le(self, x: Number) -> bool | None:
        return _negate(self.gt(x))

    def within(self, lo: Number, hi: Number) -> bool | None:
        """Whether the value lies in [lo, hi]: True if the whole interval does, False if none of it."""
        if self.lo is not None and self.hi is not None and self.lo >= lo and self.hi <= hi:
            return True
        if (self.hi is not None and self.hi < lo) or (self.lo is not None and self.lo > hi):
            return False
        return None

    def as_float(self) -> float | None:
        """The value when exact (for reports); None when only bounds are known."""
        return float(self.lo) if self.is_exact else None

    def __str__(self) -> str:
        def num(v):
            return f"{float(v):.10g}"

        if self.is_exact:
            return num(self.lo)
        if self.hi is None:
            return "no bound" if self.lo is None else f"at least {num(self.lo)}"
        if self.lo is None:
            return f"at most {num(self.hi)}"
        return f"between {num(self.lo)} and {num(self.hi)}"


def _negate(decided: bool | None) -> bool | None:
    return None if decided is None else not decided
