"""`make run`'s embedded default (SQLite, tasks in-process) works: the rest of the suite runs on PostgreSQL, so this
is where a query PostgreSQL accepts and SQLite refuses would show."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_every_page_the_demo_accounts_can_reach_works_on_the_embedded_default(tmp_path):
    """Seeded like `make run`, each demo account (and a visitor) follows every link from its home: no server error."""
    keep = {"PATH", "HOME", "LANG"}
    env = {key: value for key, value in os.environ.items() if key in keep} | {
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    for command in (("migrate", "--noinput", "-v0"), ("seed_demo", "--clinicians", "40")):
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stdout + result.stderr

    result = manage("shell", "-c", (BASE_DIR / "tests/smoke/crawl_demo.py").read_text(), env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "sqlite3" in result.stdout
    assert "SERVER ERROR" not in result.stdout, result.stdout
    pages = dict(line.split(": ") for line in result.stdout.splitlines() if line.endswith(" pages"))
    # Each account really went round its part of the service (not stopped at a sign-in page or an error).
    for account in ("clinician@demo.test", "tbadmin@demo.test", "hee@demo.test", "editor@demo.test"):
        assert int(pages[account].split()[0]) >= 20, result.stdout
