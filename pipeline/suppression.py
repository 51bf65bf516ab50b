"""The small-number rule for tables that involve equality data, at every level, national included (DESIGN.md
section 4), and for the tables published beside them.

- Primary suppression: a count from 1 to 7 shows as ``*``.
- Every other count is rounded to the nearest 5 (0 stays 0; 8 becomes 10, so no shown number is ever 1 to 7).
- No line gives its people's answer away (homogeneity). A line (a row or a column) whose total is known and not 0
  keeps at least two cells *possible*: hidden, or shown non-zero. A shown 0 is exact, so a column showing one
  number beside zeros says that everyone counted in it, and so everyone in any list of those people, gave that
  one answer. When only one cell of such a line is possible, it is hidden (if it is not already) together with the
  line's next smallest cell, a zero included. This runs once over every line before the next step: hiding never
  makes a cell impossible again, so a line protected here stays protected.
- Secondary suppression: a line whose total is known must never have exactly one hidden entry, or the hidden one
  could be worked out as the total minus the others. While some line has exactly one, the smallest shown cell of
  that line is hidden too (zeros included: "0 men" next to a hidden count of women in a known total would give the
  women away); a line with no other cell hides its total instead.

So a ``*`` is not always small: it is a count from 1 to 7, or a count (any number, 0 included) hidden so that
another cannot be worked out.

``totals_known`` says the totals are published elsewhere exactly (the dashboard's funnel shows how many clinicians
there are), so they never count as hidden: only cells are hidden to protect a line. Without it, a line's total counts
as known (for the homogeneity step) when it is shown, that is when it is not 1 to 7.

``known_zero`` names cells a reader knows to be 0 from elsewhere (how many leaders gave an answer, where the whole
pipeline shows 0 for it): hiding one protects nothing, so they are never hidden to protect a line and never count
as possible.
"""

from dataclasses import dataclass

HIDDEN = "*"
SMALLEST_SHOWN = 8


def round_to_five(value: int) -> int:
    return 5 * ((value + 2) // 5)


def is_primary(value: int) -> bool:
    return 1 <= value < SMALLEST_SHOWN


def shown(value: int) -> str:
    """One count on its own (no line to protect): ``*`` for 1 to 7, else rounded to the nearest 5."""
    return HIDDEN if is_primary(value) else str(round_to_five(value))


@dataclass(frozen=True)
class SuppressedTable:
    cells: list[list[str]]
    row_totals: list[str]
    column_totals: list[str]
    grand_total: str
    hidden: frozenset[tuple[int, int]]


def suppress_table(
    counts: list[list[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    totals_known: bool = False,
    known_zero: frozenset[tuple[int, int]] = frozenset(),
) -> SuppressedTable:
    """Apply the small-number rule to a table of counts (rows of equal length).

    Rows are lines when ``row_totals`` (their cells add up to a row total), columns when ``column_totals``. Totals
    are positions too: ``(r, -1)`` is row r's total, ``(-1, c)`` column c's, ``(-1, -1)`` the grand total; the totals
    form lines of their own (row totals add up to the grand total, and so do column totals).
    """
    n_rows = len(counts)
    n_cols = len(counts[0]) if counts else 0
    if any(len(row) != n_cols for row in counts):
        raise ValueError("Every row needs the same number of cells.")

    value: dict[tuple[int, int], int] = {(r, c): counts[r][c] for r in range(n_rows) for c in range(n_cols)}
    for r in range(n_rows):
        value[(r, -1)] = sum(counts[r])
    for c in range(n_cols):
        value[(-1, c)] = sum(counts[r][c] for r in range(n_rows))
    value[(-1, -1)] = sum(value[(r, -1)] for r in range(n_rows))

    # Each line: its cells, then its total.
    lines: list[tuple[list[tuple[int, int]], tuple[int, int]]] = []
    if row_totals:
        lines += [([(r, c) for c in range(n_cols)], (r, -1)) for r in range(n_rows)]
        if column_totals:
            lines.append(([(r, -1) for r in range(n_rows)], (-1, -1)))
    if column_totals:
        lines += [([(r, c) for r in range(n_rows)], (-1, c)) for c in range(n_cols)]
        if row_totals:
            lines.append(([(-1, c) for c in range(n_cols)], (-1, -1)))

    totals = {total for _, total in lines}
    hidden = {position for position, count in value.items() if is_primary(count)}
    if totals_known:
        hidden -= totals

    # Totals published elsewhere are never hidden: there is nothing to protect by hiding them.
    never_hidden = totals if totals_known else set()

    def candidates(cells: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [
            position
            for position in cells
            if position not in hidden and position not in known_zero and position not in never_hidden
        ]

    def smallest(cells: list[tuple[int, int]]) -> tuple[int, int]:
        return min(cells, key=lambda position: (value[position], position))

    # Homogeneity: every line with a known total that is not 0 keeps two possible cells.
    for cells, total in lines:
        if len(cells) < 2 or value[total] == 0 or (not totals_known and total in hidden):
            continue
        if all(position in never_hidden for position in cells):
            continue  # a line of known totals: all of it is published anyway
        possible = [position for position in cells if position in hidden or value[position] != 0]
        if len(possible) >= 2:
            continue
        hidden.update(possible)
        if others := candidates(cells):
            hidden.add(smallest(others))

    changed = True
    while changed:
        changed = False
        for cells, total in lines:
            members = [*cells] if totals_known else [*cells, total]
            if sum(position in hidden for position in members) != 1:
                continue
            if others := candidates(cells):
                hidden.add(smallest(others))
            elif not totals_known:
                hidden.add(total)
            else:
                continue
            changed = True

    def show(position: tuple[int, int]) -> str:
        if position in hidden or is_primary(value[position]):
            return HIDDEN
        return str(round_to_five(value[position]))

    return SuppressedTable(
        cells=[[show((r, c)) for c in range(n_cols)] for r in range(n_rows)],
        row_totals=[show((r, -1)) for r in range(n_rows)],
        column_totals=[show((-1, c)) for c in range(n_cols)],
        grand_total=show((-1, -1)),
        hidden=frozenset(position for position in hidden if position[0] >= 0 and position[1] >= 0),
    )
