"""Norwegian number formatting for the site, via Babel: decimal comma and the true minus sign
(U+2212), which is also what the charts' d3 number format writes."""

from __future__ import annotations

import decimal
import math
import numbers
import re

from babel.lists import format_list
from babel.numbers import format_decimal

LOCALE = "nb_NO"
MINUS = "\u2212"
P_FLOOR = 0.0001  # recomputed p-values below this are given as '< 0,0001' (four decimals)
DECIMAL_POINT = re.compile(r"(?<![^\W\d_])\.(?=\d)")  # before a digit, not after a letter


def num(value: float | int | None, decimals: int = 2) -> str:
    """3.4658 -> '3,47'; -0.032 -> '−0,032'; None/NaN -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    # Halves round up (4,325 -> 4,33), as Norwegian tables do; Babel's default would round them
    # to the even digit. repr: the shortest decimal that is the float (4.325, not 4.32499...).
    with decimal.localcontext() as context:
        context.rounding = decimal.ROUND_HALF_UP
        exact = int(value) if isinstance(value, numbers.Integral) else float(value)
        text = format_decimal(decimal.Decimal(repr(exact)), format=pattern, locale=LOCALE)
    return MINUS + text[1:] if text.startswith("-") else text


def p_value(p: float | None) -> str:
    """Recomputed p-values: four decimals (one more than the thesis prints), '< 0,0001' below."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    if p < P_FLOOR:
        return "< " + num(P_FLOOR, 4)
    return num(p, 4)


def p_is(p: float | None) -> str:
    """'p = 0,0016', or 'p < 0,0001' below that (for running text)."""
    text = p_value(p)
    return "p " + text if text.startswith("<") else "p = " + text


def interval(low: float, high: float, decimals: int = 2) -> str:
    """A confidence interval as '[0,45; 0,76]' (semicolon, since the comma is the decimal mark)."""
    return f"[{num(low, decimals)}; {num(high, decimals)}]"


def printed(token: str) -> str:
    """A value exactly as the thesis printed it, shown with a decimal comma: '0.645' -> '0,645',
    'p < 0.005' -> 'p < 0,005'. A point after a letter is no decimal point ('n.s' stays)."""
    text = DECIMAL_POINT.sub(",", str(token))
    return MINUS + text[1:] if re.match(r"-[\d,]", text) else text


def percent(share: float, decimals: int = 0) -> str:
    return num(100 * share, decimals) + "\u00a0%"


def line_range(lines: object) -> str:
    """Source lines as given ('6537-6541'), with a one-line range shown as one line ('4339')."""
    first, dash, last = str(lines).partition("-")
    return first if dash and first.strip() == last.strip() else str(lines)


NUMBER_WORDS = dict(enumerate(["to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti",
                               "elleve", "tolv"], start=2))


def words(count: int) -> str:
    """A count from 2 to 12 in words, as Norwegian text writes it ('disse to faktorene'); other
    counts as digits (one needs the noun's gender, so 'én'/'ett' is left to the sentence)."""
    return NUMBER_WORDS.get(int(count), str(count))


def listing(names: list[str]) -> str:
    """['A', 'B', 'C'] -> 'A, B og C', as Norwegian writes a list."""
    return format_list(list(names), locale=LOCALE)
