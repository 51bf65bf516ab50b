"""The bench's report: locust's CSV read back, and the side-by-side table a reader judges a change by."""

from bench.run import Stats, Target, browsing_stats, read_stats, report, worse

STATS_CSV = """Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,\
Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
GET,hee: dashboard,120,2,41,55.2,12,900,370000,2.0,0.03,41,50,60,70,90,120,300,450,900,900,900
,Aggregated,120,2,41,55.2,12,900,370000,2.0,0.03,41,50,60,70,90,120,300,450,900,900,900
"""
FAILURES_CSV = """Method,Name,Error,Occurrences
GET,hee: dashboard,CatchResponseError('answered 500'),2
"""


def test_locust_figures_are_read_per_page_with_their_errors(tmp_path):
    (tmp_path / "run_stats.csv").write_text(STATS_CSV)
    (tmp_path / "run_failures.csv").write_text(FAILURES_CSV)

    pages, errors = read_stats(tmp_path / "run")

    assert pages["hee: dashboard"] == Stats(requests=120, failures=2, per_second=2.0, p50=41, p95=120, p99=450)
    assert "Aggregated" in pages
    assert errors == ["2 x hee: dashboard: CatchResponseError('answered 500')"]


def test_side_by_side_table_gives_the_ratio_of_the_p95s_this_over_base(tmp_path):
    def target(label, p95):
        stats = Stats(requests=100, failures=0, per_second=5.0, p50=20, p95=p95, p99=p95 * 2)
        healthz = Stats(requests=9000, failures=0, per_second=900.0, p50=1, p95=2, p99=3)
        result = {"healthz": healthz, "pages": {"hee: dashboard": stats, "Aggregated": stats}, "errors": []}
        return Target(label=label, root=tmp_path, database_url="", results={10: result})

    lines = report([target("base (abc1234)", 100), target("this (def5678)", 80)], 10).splitlines()

    assert lines[0].endswith("p95 this/base")
    dashboard = next(line for line in lines if line.startswith("hee: dashboard"))
    assert dashboard.split()[-1] == "0.80"
    assert lines[-1].startswith("/healthz alone (yardstick)")
    assert "900.0" in lines[-1]


def test_pages_more_than_ten_percent_slower_at_p95_are_named(tmp_path):
    def target(label, p95s):
        pages = {name: Stats(requests=50, failures=0, per_second=1.0, p50=10, p95=p95, p99=p95) for name, p95 in p95s}
        return Target(label=label, root=tmp_path, database_url="", results={50: {"pages": pages}})

    base = target("base", [("hee: drill-down", 100), ("clinician: home", 100), ("visitor: landing", 100)])
    this = target("this", [("hee: drill-down", 110), ("clinician: home", 111), ("sign in", 900)])

    assert worse([base, this], 50) == ["clinician: home: 1.11 (50 and 50)"]


def test_all_pages_but_signing_in_leaves_out_the_password_hash(tmp_path):
    """Signing in takes most of a second on purpose: at 10 users its requests alone can be the slowest 5%."""
    times = tmp_path / "run_times.tsv"
    lines = [f"clinician: home\t{ms}" for ms in range(1, 96)] + [f"sign in\t{900 + n}" for n in range(5)]
    times.write_text("\n".join(lines) + "\n")

    browsing = browsing_stats(times, seconds=10)

    assert (browsing.requests, browsing.per_second) == (95, 9.5)
    assert (browsing.p50, browsing.p95, browsing.p99) == (48, 91, 95)
