"""The people of `make bench`: what each role does in the service, for locust (bench/run.py starts it headless).

Four kinds of people, weighted roughly as they come: clinicians (most), visitors who have not signed in,
training-body admins and HEE staff (national and regional). Of the people arriving, three in four signed in earlier in
the day (their session was made by bench/run.py) and one in four signs in through the sign-in page; then each moves
between their pages with a short pause. Filters, searches and page numbers are drawn at random from the whole range
people use, so most dashboard and list views are ones no cache has seen; a clinician now and then signs in again as
someone else (through the page: signing in is slow on purpose, a password hash, and it is part of the mix).

Requests are named by page (`hee: dashboard, filtered`), not by address, so the figures come out one line a page.
`HealthzUser` alone is the yardstick: `/healthz` asked as fast as it answers.

Settings, from the environment (bench/run.py sets them):
    BENCH_REFERENCE  a JSON file: {"clinicians": N, "regions": [slug, ...], "training_bodies": [slug, ...],
                     "hee_national": [email, ...], "hee_regional": [[email, region slug], ...], "password": "...",
                     "sessions": {email: [cookie name, session key], ...}}
    BENCH_TIMES      a file to write every request's page name and time in ms to, a line each, when the load ends
    BENCH_PAUSE      "off": people ask their next page as soon as the last one came back, so the load measures how
                     much the server can do (the staff mix's throughput); otherwise they pause as people do
"""

import json
import os
import random
import re
from http.cookiejar import Cookie
from pathlib import Path
from urllib.parse import urlsplit

from locust import FastHttpUser, between, constant, events, task

REFERENCE = json.loads(Path(os.environ["BENCH_REFERENCE"]).read_text()) if os.environ.get("BENCH_REFERENCE") else {}
PASSWORD = REFERENCE.get("password", "")
SESSIONS = REFERENCE.get("sessions", {})  # email -> [cookie name, session key] of people who signed in earlier
RETURNING = 0.75  # of the people arriving, those who signed in earlier in the day; the others sign in now
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAUSE = constant(0) if os.environ.get("BENCH_PAUSE") == "off" else between(0.5, 1.5)
TIMES: list[tuple[str, float]] = []  # every request's page and time, for figures locust does not give (bench/run.py)


@events.request.add_listener
def request_timed(name: str, response_time: float, **kwargs) -> None:
    TIMES.append((name, response_time))


@events.quitting.add_listener
def times_written(**kwargs) -> None:
    if os.environ.get("BENCH_TIMES"):
        Path(os.environ["BENCH_TIMES"]).write_text("".join(f"{name}\t{ms:.1f}\n" for name, ms in TIMES))


PROFESSIONS = [
    "doctor",
    "nurse",
    "midwife",
    "nursing_associate",
    "paramedic",
    "physiotherapist",
    "pharmacist",
    "dentist",
    "radiographer",
]
CAREER_STAGES = [
    "foundation",
    "core_training",
    "specialty_training",
    "sas",
    "consultant_gp",
    "band_5",
    "band_6",
    "band_7",
    "band_8a",
]
STAGES = ["registered", "interested", "developing", "nominated", "approved", "in_role"]
SORTS = ["name", "profession", "career_stage", "region", "training_body", "interest", "joined"]
NOMINATION_STATES = ["", "pending_nominee", "submitted", "approved", "rejected", "withdrawn"]
SURNAME_SEARCHES = ["smith", "jones", "patel", "khan", "taylor", "brown", "williams", "wilson", "evans", "thomas"]


def a_page() -> int:
    """Most people stay on the first page; some go on a few pages; a few a long way."""
    roll = random.random()
    if roll < 0.6:
        return 1
    if roll < 0.9:
        return random.randint(2, 5)
    return random.randint(6, 100)


def some_of(choices: dict) -> dict:
    """Each filter used or not at random (each about one time in three), so the combinations vary widely."""
    chosen = {}
    for name, pick in choices.items():
        value = pick() if random.random() < 0.35 else ""
        if value != "":
            chosen[name] = value
    return chosen


def pipeline_filters(regions: list[str]) -> dict:
    """The dashboard's filters; a region only among those the person may see (another is refused, rightly)."""
    return some_of(
        {
            "region": lambda: random.choice(regions) if regions else "",
            "profession": lambda: random.choice(PROFESSIONS),
            "career_stage": lambda: random.choice(CAREER_STAGES),
            "early_career": lambda: "on",
        }
    )


def clinician_filters(regions: list[str]) -> dict:
    return some_of(
        {
            "region": lambda: random.choice(regions) if regions else "",
            "profession": lambda: random.choice(PROFESSIONS),
            "career_stage": lambda: random.choice(CAREER_STAGES),
            "min_interest_level": lambda: random.randint(1, 4),
            "early_career": lambda: random.choice(["true", "false"]),
        }
    )


class Person(FastHttpUser):
    """Someone who signs in with an email and the demo password, as the sign-in page asks."""

    abstract = True
    wait_time = PAUSE

    def sign_in(self, email: str) -> None:
        self.client.cookiejar.clear()
        page = self.client.get("/sign-in/", name="sign in: form")
        token = CSRF_INPUT.search(page.text or "")
        with self.client.post(
            "/sign-in/",
            data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": f"{self.host}/sign-in/"},
            allow_redirects=False,
            name="sign in",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"not signed in: answered {response.status_code}")

    # Staff sign in with a second factor, a code from their app that works once per 30 s step: many simulated people
    # share each staff account, so they always come back with a verified session made by bench/run.py (signing in
    # through the pages is measured by clinicians).
    always_returning = False

    def arrive(self, email: str) -> None:
        """Come back with the session of an earlier sign-in, or sign in now."""
        if email in SESSIONS and (self.always_returning or random.random() < RETURNING):
            self.client.cookiejar.clear()
            name, key = SESSIONS[email]
            host = self.host.split("://", 1)[1].split(":")[0]
            self.client.cookiejar.set_cookie(
                Cookie(0, name, key, None, False, host, False, False, "/", True, False, None, False, None, None, {})
            )
        else:
            self.sign_in(email)

    def get(self, path: str, name: str, params: dict | None = None):
        """A page as its person should see it: anything but 200 (a redirect to sign in, a refusal) is an error, but
        for a 404 past the last page of a list shorter than the page number guessed (a small population's lists)."""
        with self.client.get(
            path, params=params or None, name=name, allow_redirects=False, catch_response=True
        ) as response:
            past_the_end = response.status_code == 404 and int((params or {}).get("page", 1)) > 1
            if past_the_end:
                response.success()
            elif response.status_code != 200:
                response.failure(f"answered {response.status_code}")
        return response


class Visitor(FastHttpUser):
    """Someone who has not signed in: the landing page and the published content."""

    weight = 2
    wait_time = PAUSE

    @task(3)
    def landing(self):
        self.client.get("/", name="visitor: landing")

    @task(2)
    def pathways(self):
        self.client.get("/pathways/", name="visitor: pathways")

    @task(2)
    def opportunities(self):
        self.client.get("/opportunities/", name="visitor: opportunities")

    @task(1)
    def guidance(self):
        self.client.get("/licence/", name="visitor: licence guidance")


class Clinician(Person):
    """A synthetic clinician, drawn at random from the whole population."""

    weight = 10
    links: dict[str, list[str]]

    def on_start(self):
        self.links = {}
        returning = [email for email in SESSIONS if email.startswith("clinician")]
        if returning and random.random() < RETURNING:
            self.arrive(random.choice(returning))
            self.get("/my/", "clinician: home")
        else:
            self.sign_in_as_someone()

    def sign_in_as_someone(self):
        self.sign_in(f"clinician{random.randrange(REFERENCE['clinicians']):07d}@synthetic.demo.test")
        self.get("/my/", "clinician: home")

    def follow(self, listing: str, pattern: str, list_name: str, detail_name: str):
        """Open the list, then one of the pages it links to (as people do)."""
        if listing not in self.links:
            page = self.get(listing, list_name)
            self.links[listing] = sorted(set(re.findall(pattern, page.text or "")))
        if self.links[listing]:
            self.get(random.choice(self.links[listing]), detail_name)

    @task(5)
    def home(self):
        self.get("/my/", "clinician: home")

    @task(3)
    def profile(self):
        self.get("/my/profile/", "clinician: profile")

    @task(2)
    def interest(self):
        self.get("/my/interest/", "clinician: interest history")

    @task(2)
    def pathways(self):
        self.get("/pathways/", "clinician: pathways")

    @task(2)
    def pathway(self):
        self.follow("/pathways/", r'href="(/pathways/[\w-]+/)"', "clinician: pathways", "clinician: a pathway")

    @task(2)
    def opportunities(self):
        self.get("/opportunities/", "clinician: opportunities")

    @task(2)
    def opportunity(self):
        self.follow(
            "/opportunities/",
            r'href="(/opportunities/[\w-]+/)"',
            "clinician: opportunities",
            "clinician: an opportunity",
        )

    @task(1)
    def guidance(self):
        self.follow(
            "/licence/",
            r'href="(/licence/[\w-]+/[\w-]+/)"',
            "clinician: licence guidance",
            "clinician: a guidance page",
        )

    @task(1)
    def revalidation(self):
        self.get("/licence/revalidation/", "clinician: revalidation")

    @task(2)
    def nominations(self):
        self.get("/your-nominations/", "clinician: own nominations")

    @task(1)
    def someone_else(self):
        self.sign_in_as_someone()


class TrainingBodyAdmin(Person):
    always_returning = True
    """The admin of one of the synthetic training bodies: their clinicians, nominations, nudges and figures."""

    weight = 2

    def on_start(self):
        self.body = random.choice(REFERENCE["training_bodies"])
        self.arrive(f"admin-{self.body}@bodies.synthetic.demo.test")
        self.get("/nominations/", "body admin: nominations")

    @task(5)
    def clinicians(self):
        params = clinician_filters([]) | {"page": a_page()}
        if random.random() < 0.15:
            params["search"] = random.choice(SURNAME_SEARCHES)
        page = self.get("/clinicians/", "body admin: clinicians, filtered", params)
        records = re.findall(r'href="(/clinicians/[0-9a-f-]{36}/)"', page.text or "")
        if records and random.random() < 0.3:
            self.get(random.choice(records), "body admin: a clinician's record")

    @task(3)
    def nominations(self):
        params = {"state": random.choice(NOMINATION_STATES), "sort": random.choice(["longest_waiting", "newest"])}
        self.get("/nominations/", "body admin: nominations", params)

    @task(2)
    def nudges(self):
        self.get(f"/training-bodies/{self.body}/nudges/", "body admin: nudges")

    @task(2)
    def dashboard(self):
        self.get("/pipeline/", "body admin: dashboard", pipeline_filters([]))


class HeeStaff(Person):
    always_returning = True
    """HEE staff, national or of one region: the dashboard, its drill-down, the clinicians list and API, exports."""

    weight = 3
    regions: list[str]

    def on_start(self):
        if random.random() < 0.5:
            self.arrive(random.choice(REFERENCE["hee_national"]))
            self.regions = REFERENCE["regions"]
        else:
            email, region = random.choice(REFERENCE["hee_regional"])
            self.arrive(email)
            self.regions = [region]
        self.get("/pipeline/", "hee: dashboard")

    @task(3)
    def dashboard(self):
        self.get("/pipeline/", "hee: dashboard")

    @task(5)
    def dashboard_filtered(self):
        self.get("/pipeline/", "hee: dashboard, filtered", pipeline_filters(self.regions) or {"profession": "nurse"})

    @task(5)
    def drilldown(self):
        params = pipeline_filters(self.regions) | {"stage": random.choice(STAGES), "page": a_page()}
        if random.random() < 0.3:
            params["sort"] = random.choice(SORTS) if random.random() < 0.5 else f"-{random.choice(SORTS)}"
        self.get("/pipeline/clinicians/", "hee: drill-down", params)

    @task(3)
    def clinicians_api(self):
        """An API client reads the first page, then follows `next` for a few more (asking past the last page is an
        error there, rightly, so it never guesses a page number)."""
        response = self.get("/api/v1/clinicians/", "hee: clinicians API", clinician_filters(self.regions))
        for _ in range(random.choice([0, 0, 1, 3])):
            following = (response.json() or {}).get("next") if response.status_code == 200 else None
            if not following:
                break
            parts = urlsplit(following)
            response = self.get(f"{parts.path}?{parts.query}", "hee: clinicians API")

    @task(2)
    def clinicians(self):
        params = clinician_filters(self.regions) | {"page": a_page()}
        self.get("/clinicians/", "hee: clinicians, filtered", params)

    @task(1)
    def tables_csv(self):
        self.get("/pipeline/export/", "hee: tables CSV", pipeline_filters(self.regions))

    @task(1)
    def drilldown_csv(self):
        """A narrow export (a region and a profession at one stage): a national one is a job, not a page view."""
        params = {
            "region": random.choice(self.regions),
            "profession": random.choice(PROFESSIONS),
            "stage": random.choice(STAGES[2:]),
        }
        self.get("/pipeline/clinicians/export/", "hee: drill-down CSV", params)


class HealthzUser(FastHttpUser):
    """The yardstick: `/healthz` (no session, no database) as fast as the server answers."""

    wait_time = constant(0)

    @task
    def healthz(self):
        self.client.get("/healthz", name="/healthz")
