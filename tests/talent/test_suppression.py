"""The small-number rule (DESIGN.md section 4): no count from 1 to 7 ever shows, other counts are rounded to the
nearest 5, and no row or column total lets a hidden cell be worked out."""

from hypothesis import given, settings
from hypothesis import strategies as st

from talent.suppression import HIDDEN, round_to_five, shown, suppress_table

counts = st.integers(min_value=0, max_value=60)
tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda columns: st.lists(st.lists(counts, min_size=columns, max_size=columns), min_size=1, max_size=6)
)


def lines(result, n_rows: int, n_cols: int, *, rows: bool, columns: bool, totals_known: bool):
    """Each line as (its shown cells, its shown total). Lines made of totals only matter when totals are not known
    from elsewhere."""
    found = []
    if rows:
        found += [(result.cells[r], result.row_totals[r]) for r in range(n_rows)]
        if columns and not totals_known:
            found.append((result.row_totals, result.grand_total))
    if columns:
        found += [([result.cells[r][c] for r in range(n_rows)], result.column_totals[c]) for c in range(n_cols)]
        if rows and not totals_known:
            found.append((result.column_totals, result.grand_total))
    return found


def check(table, *, rows: bool, columns: bool, totals_known: bool) -> None:
    result = suppress_table(table, row_totals=rows, column_totals=columns, totals_known=totals_known)
    everything = [
        *[cell for row in result.cells for cell in row],
        *result.row_totals,
        *result.column_totals,
        result.grand_total,
    ]
    # No count from 1 to 7 is ever shown; every shown count is a multiple of 5.
    for value in everything:
        assert value == HIDDEN or (int(value) % 5 == 0 and not 1 <= int(value) <= 7)
    # Shown cells are their real value rounded to the nearest 5; every small cell is hidden.
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            if 1 <= value <= 7:
                assert result.cells[r][c] == HIDDEN
            elif result.cells[r][c] != HIDDEN:
                assert abs(int(result.cells[r][c]) - value) <= 2
    # No line with a total that is known has exactly one unknown: it could be worked out by subtraction.
    for cells, total in lines(result, len(table), len(table[0]), rows=rows, columns=columns, totals_known=totals_known):
        unknown = sum(cell == HIDDEN for cell in cells) + (0 if totals_known else total == HIDDEN)
        assert unknown != 1 or len(cells) == 1, (table, cells, total)


@settings(max_examples=300, deadline=None)
@given(tables, st.booleans(), st.booleans(), st.booleans())
def test_no_small_count_shows_and_no_total_gives_a_hidden_cell_away(table, rows, columns, totals_known):
    check(table, rows=rows or not columns, columns=columns, totals_known=totals_known)


@settings(max_examples=200, deadline=None)
@given(st.lists(counts, min_size=2, max_size=10))
def test_a_hidden_cell_in_a_column_with_a_known_total_always_has_more_than_one_possible_value(column):
    """The dashboard's shape: one column per population, whose total the funnel publishes exactly. Even knowing
    every shown cell exactly, each hidden cell could take at least two values."""
    result = suppress_table([[value] for value in column], row_totals=False, totals_known=True)
    hidden = [r for r, row in enumerate(result.cells) if row[0] == HIDDEN]
    if not hidden:
        return
    remainder = sum(column) - sum(value for r, value in enumerate(column) if r not in hidden)
    # A value v fits a hidden cell when the other hidden cells (counts, so 0 or more each) can make up the rest: any
    # rest if there is another hidden cell, only 0 if there is none; the same for every hidden cell. (Trying every
    # combination instead grew as remainder ** hidden cells, and an unlucky example ran for hours.)
    others = len(hidden) - 1
    possible = {v for v in range(remainder + 1) if others or v == remainder}
    assert len(possible) >= 2, (column, hidden)


def test_examples_people_would_check_by_hand():
    assert [shown(value) for value in (0, 1, 7, 8, 12, 13, 100)] == ["0", "*", "*", "10", "10", "15", "100"]
    assert round_to_five(22) == 20 and round_to_five(23) == 25
    # Women 3, men 40, total 43: 3 is hidden, so men must be hidden too or 43 - 40 gives the women away.
    result = suppress_table([[3], [40]], row_totals=False, totals_known=True)
    assert result.cells == [["*"], ["*"]]
    assert result.column_totals == ["45"]
    # Nothing small: just rounding.
    assert suppress_table([[10, 22], [31, 9]]).cells == [["10", "20"], ["30", "10"]]
