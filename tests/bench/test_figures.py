"""The figures of national scale: the arithmetic behind each target, what the bench reads back from pages, exports
and its scripts, and the side-by-side table a reader judges the populations by."""

import pytest

from bench.figures import (
    FirstViews,
    Freshness,
    NationalExport,
    PopulationFigures,
    Refresh,
    Stats,
    SupportFigures,
    cookie_set,
    distinct_filters,
    export_complete,
    export_file_summary,
    export_requested,
    form_token,
    listed_total,
    met,
    scale_report,
    script_result,
    stage_counts,
    table,
)
from bench.run import arguments


def stats(per_second: float, p95: float, failures: int = 0) -> Stats:
    return Stats(requests=600, failures=failures, per_second=per_second, p50=p95 / 3, p95=p95, p99=p95 * 2)


def line(report: str, starting: str) -> list[str]:
    """A table row's cells (columns are two spaces or more apart)."""
    [found] = [row for row in report.splitlines() if row.startswith(starting)]
    return [cell.strip() for cell in found.split("  ") if cell.strip()]


def populations(**largest) -> list[PopulationFigures]:
    small = PopulationFigures(clinicians=100_000, staff={1: stats(12.0, 50), 10: stats(26.7, 400)})
    large = PopulationFigures(clinicians=1_000_000, **largest)
    return [small, large]


def test_throughput_at_the_largest_population_is_judged_against_the_smallest():
    report = scale_report(populations(staff={1: stats(5.0, 300), 10: stats(8.4, 2400)}), ["throughput"])

    assert line(report, "staff mix, 10 users: requests/s") == [
        "staff mix, 10 users: requests/s",
        "26.7",
        "8.4",
        "largest/smallest >= 0.8: 0.31",
        "no",
    ]
    assert line(report, "staff mix, 10 users: p95")[-2:] == ["10 users/1 user <= 3: 8.00", "no"]


def test_throughput_kept_and_p95_within_three_times_meet_the_targets():
    report = scale_report(populations(staff={1: stats(11.0, 200), 10: stats(24.0, 590)}), ["throughput"])

    assert line(report, "staff mix, 10 users: requests/s")[-2:] == ["largest/smallest >= 0.8: 0.90", "yes"]
    assert line(report, "staff mix, 10 users: p95")[-1] == "yes"
    assert line(report, "staff mix: errors") == ["staff mix: errors at 1 / 10 users", "0 / 0", "0 / 0", "none"]


def test_a_first_view_is_its_median_over_healthz_median_of_the_same_run():
    views = FirstViews(
        healthz_ms=[2.0, 2.0, 3.0, 100.0],  # one slow /healthz does not move the yardstick
        pages_ms={"HEE dashboard, new filters": [30.0, 50.0, 900.0], "drill-down, new filters": [300.0, 320.0, 340.0]},
    )
    report = scale_report(populations(first_views=views), ["first-views"])

    assert line(report, "/healthz")[1:3] == ["n/a", "2.5"]
    assert line(report, "first view, HEE dashboard")[-3:] == ["50 (20x)", "<= 20x", "yes"]
    assert line(report, "first view, drill-down")[-3:] == ["320 (128x)", "<= 20x", "no"]
    assert line(report, "first view, clinicians API")[1:] == ["n/a", "n/a", "<= 20x"]  # not judged


def test_the_national_succession_table_is_judged_against_the_hee_dashboard_of_the_same_run():
    views = FirstViews(
        healthz_ms=[2.0],
        pages_ms={"HEE dashboard, new filters": [100.0, 120.0], "national succession table": [60.0, 80.0]},
    )
    report = scale_report(populations(first_views=views), ["first-views"])

    assert line(report, "national succession table / HEE dashboard")[-3:] == ["0.64", "<= 1", "yes"]


def support(queries_at_1000: int, with_seconds: list[float]) -> SupportFigures:
    def case(items, queries):
        return {"items": items, "queries": queries, "status": 200}

    def runs(seconds):
        return [
            {"seconds": s, "follow_ups_seconds": 0.3, "nudges": 198, "entries": 1500, "opened": 1400, "signals": 1600}
            for s in seconds
        ]

    return SupportFigures(
        sizes=[10, 1000],
        queries={
            "clinician home": [case(10, 15), case(1000, queries_at_1000)],
            "HEE follow-up rates": [case(10, 7), case(1000, 7), case(53_691, 7)],
        },
        dispatch={"with": runs(with_seconds), "without": runs([1.0, 1.1, 0.9, 1.0, 5.0])},
    )


def test_support_pages_must_ask_as_many_queries_at_1000_items_as_at_10():
    report = scale_report(populations(support=support(15, [1.2] * 5)), ["support"])

    assert line(report, "clinician home: queries")[-3:] == [
        "15 (10 items) / 15 (1,000 items)",
        "equal at every size",
        "yes",
    ]
    assert line(report, "HEE follow-up rates")[-2:] == ["equal at every size", "yes"]
    assert line(report, "clinician home: queries")[1] == "n/a"  # the smaller population was not measured

    report = scale_report(populations(support=support(1012, [1.2] * 5)), ["support"])

    assert line(report, "clinician home: queries")[-1] == "no"


@pytest.mark.parametrize(
    ("with_seconds", "ratio", "verdict"), [([1.4, 1.5, 1.2, 9.0, 1.3], "1.40", "yes"), ([1.6] * 5, "1.60", "no")]
)
def test_the_dispatch_with_follow_ups_is_judged_by_medians_against_the_same_dispatch_without(
    with_seconds, ratio, verdict
):
    report = scale_report(populations(support=support(15, with_seconds)), ["support"])

    assert line(report, "weekly dispatch, with follow-ups / without")[-3:] == [ratio, "<= 1.5", verdict]
    assert line(report, "weekly dispatch: nudges")[-1] == "198 / 1,500 / 1,400"
    assert line(report, "weekly dispatch: opening follow-ups alone")[-1] == f"0.300 ({30 / float(ratio):.0f}%)"


def test_an_incremental_refresh_is_judged_as_a_share_of_the_full_rebuild():
    refresh = Refresh(full_ms=75_000, changes=1000, changes_seconds=9.5, incremental_ms=3_000, incremental_changed=1000)
    report = scale_report(populations(refresh=refresh), ["refresh"])

    assert line(report, "full rebuild")[1:] == ["n/a", "75.0"]
    assert line(report, "1,000 interest changes")[1:] == ["n/a", "9.5"]
    assert line(report, "incremental refresh")[-3:] == ["3.0 (4.0%; 1,000)", "<= 5% of full", "yes"]


def test_a_refresh_without_an_incremental_one_says_why_and_is_not_judged():
    refresh = Refresh(full_ms=12_000, changes=1000, changes_seconds=8.0, note="incremental refresh not available")
    report = scale_report(populations(refresh=refresh), ["refresh"])

    assert line(report, "incremental refresh")[-2:] == ["n/a", "<= 5% of full"]
    assert "1,000,000 clinicians, refresh: incremental refresh not available" in report


@pytest.mark.parametrize(
    ("freshness", "shown", "verdict"),
    [
        (Freshness(changes=1000, seconds=130.0, limit=600, writing_seconds=190), "130 (190)", "yes"),
        (Freshness(changes=1000, seconds=None, limit=600, writing_seconds=190), "not within 600 (190)", "no"),
    ],
)
def test_changes_must_show_on_the_dashboard_within_five_minutes_of_the_last_one(freshness, shown, verdict):
    report = scale_report(populations(freshness=freshness), ["freshness"])

    assert line(report, "changes shown on the dashboard")[-3:] == [shown, "<= 300 s", verdict]


def test_freshness_that_could_not_be_measured_says_why_and_is_not_judged():
    report = scale_report(populations(freshness=Freshness(note="another refresh held the lock")), ["freshness"])

    assert line(report, "changes shown on the dashboard")[1:] == ["n/a", "n/a", "<= 300 s"]
    assert "1,000,000 clinicians, freshness: another refresh held the lock" in report


def test_a_complete_export_agrees_with_its_last_line_and_the_listed_total():
    export = NationalExport(
        request_seconds=0.08,
        built_seconds=41.0,
        file_rows=619_712,
        stated_rows=619_712,
        listed_total=619_712,
        worker_before_mb=90.0,
        worker_peak_mb=120.0,
    )
    report = scale_report(populations(export=export), ["export"])

    assert line(report, "national export: asking")[-3:] == ["0.08", "<= 1 s", "yes"]
    assert line(report, "national export: rows")[-3:] == ["619,712 / 619,712 / 619,712", "all three equal", "yes"]
    assert line(report, "national export: Celery")[-3:] == ["90 / 120", "peak <= before + 100", "yes"]


def test_an_export_streamed_by_the_web_worker_and_cut_off_fails_every_check():
    export = NationalExport(request_seconds=30.2, file_rows=547_260, listed_total=619_712)

    assert export_complete(export) is False
    report = scale_report(populations(export=export), ["export"])
    assert line(report, "national export: asking")[-1] == "no"
    assert line(report, "national export: rows")[-1] == "no"


def test_only_the_parts_measured_are_reported_and_the_fault_figures_are_pointed_to():
    report = scale_report(populations(staff={1: stats(5.0, 300), 10: stats(8.4, 2400)}), ["throughput"])

    assert "first view" not in report
    assert "national export" not in report
    assert report.splitlines()[-1].startswith("Fault figures")
    assert "tests/integration/" in report.splitlines()[-1]


def test_met_judges_at_most_and_at_least_and_leaves_the_unmeasured_blank():
    assert met(3.0, 3.0) == "yes"
    assert met(3.1, 3.0) == "no"
    assert met(0.8, 0.8, at_most=False) == "yes"
    assert met(None, 3.0) == ""


def test_first_view_filters_are_all_different_and_never_empty():
    choices = {"region": ["london", "north-west"], "profession": ["nurse", "doctor"], "early_career": ["on"]}

    asked = distinct_filters(choices, 100, seed=1)

    assert len(asked) == 3 * 3 * 2 - 1  # every combination but asking with no filter at all
    assert {} not in asked
    assert len({tuple(sorted(filters.items())) for filters in asked}) == len(asked)
    assert distinct_filters(choices, 5, seed=1) == asked[:5]  # the same run asks the same questions


DASHBOARD = """
<tr class="nhsuk-table__row" data-stage="registered">
  <th scope="row" class="nhsuk-table__header">Registered</th>
  <td class="nhsuk-table__cell"><a href="/pipeline/clinicians/?stage=registered"
    aria-label="1,000,001 clinicians: Registered">1,000,001</a></td>
</tr>
<tr class="nhsuk-table__row" data-stage="interested">
  <th scope="row" class="nhsuk-table__header">Interested</th>
  <td class="nhsuk-table__cell"><a href="/pipeline/clinicians/?stage=interested"
    aria-label="412345 clinicians: Interested">412345</a></td>
</tr>
"""


def test_the_dashboards_stage_counts_are_read_by_stage():
    assert stage_counts(DASHBOARD) == {"registered": 1_000_001, "interested": 412_345}


@pytest.mark.parametrize(
    ("heading", "total"),
    [
        ('<h2 class="nhsuk-heading-m" id="results">619,712 clinicians</h2>', 619_712),
        ('<h2 class="nhsuk-heading-m" id="results">About 619,700 clinicians</h2>', 619_700),
        ('<h2 class="nhsuk-heading-m" id="results">1 clinician</h2>', 1),
        ("<h2>Nothing here</h2>", None),
    ],
)
def test_the_drilldowns_total_is_read_exact_or_about(heading, total):
    assert listed_total(heading) == total


def test_a_scripts_answer_is_its_last_result_line_among_other_output():
    output = 'Pipeline roll-ups refreshed\nBENCH_RESULT {"made": false}\nmore logging\nBENCH_RESULT {"made": true}\n'

    assert script_result(output) == {"made": True}
    with pytest.raises(ValueError, match="no BENCH_RESULT line"):
        script_result("Traceback (most recent call last): ...")


EXPORT_HEAD = [
    "Talent pipeline: clinicians,All registered clinicians,Scope: England\r\n",
    "\r\n",
    "Name,Profession,Career stage,Region,Training body,Interest,Joined\r\n",
]
ROWS = [f'"Smith, Jo {n}",Nurse,Band 5,London,None,1: Curious,2025-01-01\r\n' for n in range(3)]


def test_an_export_file_states_its_rows_on_its_last_line():
    summary = export_file_summary([*EXPORT_HEAD, *ROWS, "Rows: 3\r\n"])

    assert (summary.records, summary.data_rows, summary.stated_rows) == (7, 3, 3)
    assert summary.last_line == "Rows: 3"


def test_a_file_cut_off_after_its_rows_states_no_count():
    summary = export_file_summary([*EXPORT_HEAD, *ROWS])

    assert (summary.data_rows, summary.stated_rows) == (3, None)


def test_the_table_aligns_numbers_right_under_a_ruled_heading():
    assert table(["figure", "100,000"], [["requests/s", "26.7"], ["p95 ms", "2,400"]]).splitlines() == [
        "figure      100,000",
        "----------  -------",
        "requests/s     26.7",
        "p95 ms        2,400",
    ]


def test_populations_are_measured_smallest_first_and_parts_can_be_chosen(monkeypatch):
    monkeypatch.setattr("sys.argv", ["run.py", "--populations", "1000000,100000", "--only", "refresh,export"])

    args = arguments()

    assert args.populations == [100_000, 1_000_000]
    assert args.parts == {"refresh", "export"}


def test_one_population_can_still_be_named_with_clinicians(monkeypatch):
    monkeypatch.setattr("sys.argv", ["run.py", "--clinicians", "20000"])

    assert arguments().populations == [20_000]


def test_an_unknown_part_is_refused(monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["run.py", "--only", "throughput,speed"])

    with pytest.raises(SystemExit):
        arguments()
    assert "unknown parts ['speed']" in capsys.readouterr().err


def test_asking_for_an_export_sends_the_pages_form_with_its_token_and_finds_the_export_it_made():
    page = '<form method="post" novalidate><input type="hidden" name="csrfmiddlewaretoken" value="abc123"></form>'
    set_cookies = ["sessionid=xyz; Path=/; HttpOnly", "csrftoken=tok456; expires=Tue, 07 Dec 2027; Path=/"]

    assert form_token(page) == "abc123"
    assert form_token("<p>a CSV link</p>") is None
    assert cookie_set(set_cookies, "csrf") == "csrftoken=tok456"
    assert cookie_set(set_cookies, "nothing") is None
    assert export_requested("/exports/?requested=3f2b8c1e-9a7d-4e0b-8c55-0d2f1b7a6e90") == (
        "3f2b8c1e-9a7d-4e0b-8c55-0d2f1b7a6e90"
    )
    assert export_requested("/sign-in/?next=/pipeline/") is None


def test_the_exports_end_line_states_its_count_below_more_heading_lines_than_rows():
    heading = [f'"Scope and filters: line {n}"\r\n' for n in range(7)]
    lines = [*heading, "\r\n", EXPORT_HEAD[2], ROWS[0], '"End of export: 1 row"\r\n']

    summary = export_file_summary(lines)

    assert (summary.data_rows, summary.stated_rows) == (1, 1)
