"""Run inside `manage.py shell` on the embedded default (SQLite, tasks in-process), as `make run` serves it: every
demo account follows every link it can reach from its home page, and any server error is printed."""

import base64
import re
from collections import deque

from django.conf import settings
from django.test import Client
from django_otp.oath import totp

from accounts.models import User

LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/sign-out", "/static/", "/admin/logout", "/api/docs", "/api/schema")
LIMIT = 150  # pages per account: enough to reach every page kind, bounded for the suite's time

problems = []
for email in ("clinician@demo.test", "tbadmin@demo.test", "hee@demo.test", "editor@demo.test", None):
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    if email:
        client.force_login(User.objects.get(email=email))
        # Staff then enter the code of the demo's shared authenticator secret, as the README tells people to.
        key = base64.b32decode(settings.DEMO_TOTP_SECRET)
        client.post("/sign-in/security-code/", {"code": f"{totp(key):06d}"})
    seen, queue = set(), deque(["/"])
    while queue and len(seen) < LIMIT:
        url = queue.popleft().replace("&amp;", "&")
        if url in seen or url.startswith(SKIP):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"{email or 'anonymous'} GET {url} -> {response.status_code}")
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            queue.extend(LINK.findall(response.content.decode()))
    print(f"{email or 'anonymous'}: {len(seen)} pages")
print(f"database: {settings.DATABASES['default']['ENGINE']}")
for problem in problems:
    print("SERVER ERROR", problem)
