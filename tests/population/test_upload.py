"""Content editors upload register counts: a good file is loaded whole and replaces the figures of the professions it
covers; a bad one is refused with every problem named by its line, and nothing of it is loaded."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from population.models import EligiblePopulationCount, EligiblePopulationUpload
from population.parsing import MAX_BYTES
from tests.clock import runs_at
from tests.conftest import ROLES
from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Europe/London"))
_at_now = runs_at(NOW)

HEADER = "profession,region,attribute,group,count\n"
UPLOAD = reverse("population:upload_eligible_population")
LIST = reverse("population:list_eligible_population_uploads")


def post_file(client, content: bytes | str, *, name: str = "counts.csv", source="NMC register data, 31 March 2026"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        UPLOAD,
        {
            "file": SimpleUploadedFile(name, data, content_type="text/csv"),
            "source": source,
            "as_of_day": "31",
            "as_of_month": "3",
            "as_of_year": "2026",
        },
    )


def nothing_loaded() -> bool:
    return not EligiblePopulationUpload.objects.exists() and not EligiblePopulationCount.objects.exists()


BAD_FILES = [
    pytest.param(
        HEADER + "dentst,london,sex,female,10\n", ['Line 2: "dentst" is not a profession code'], id="profession"
    ),
    pytest.param(HEADER + "nurse,atlantis,sex,female,10\n", ['Line 2: "atlantis" is not a region code'], id="region"),
    pytest.param(
        HEADER + "nurse,london,gender,female,10\n", ['Line 2: "gender" is not an equality attribute'], id="attr"
    ),
    pytest.param(HEADER + "nurse,london,sex,femal,10\n", ['Line 2: "femal" is not a group of sex'], id="group"),
    pytest.param(
        HEADER + "nurse,london,ethnic_group,female,10\n",
        ['Line 2: "female" is not a group of ethnic_group'],
        id="group-of-another-attribute",
    ),
    pytest.param(HEADER + "nurse,london,sex,female,-3\n", ['Line 2: the count "-3" is negative'], id="negative"),
    pytest.param(
        HEADER + "nurse,london,sex,female,12.5\n", ['Line 2: the count "12.5" is not a whole number'], id="real"
    ),
    pytest.param(
        HEADER + 'nurse,london,sex,female,"1,200"\n',
        ['Line 2: the count "1,200" is not a whole number'],
        id="thousands",
    ),
    pytest.param(
        HEADER + "nurse,london,sex,female,20000000\n",
        ['Line 2: the count "20000000" is more than 10,000,000'],
        id="too-many",
    ),
    pytest.param(
        HEADER + "@SUM(A1),london,sex,female,=1+1\n",
        ['Line 2: "@SUM(A1)" is not a profession code; the count "=1+1" is not a whole number'],
        id="formulas",
    ),
    pytest.param(
        HEADER + "nurse,london,sex,female,10\nnurse,london,sex,male,4\nNurse,london,sex,female,11\n",
        ["Line 4 repeats line 2 (nurse, london, sex, female)"],
        id="duplicate",
    ),
    pytest.param(
        HEADER + "nurse,london,sex,10\n",
        ["Line 2 has 4 values: it needs 5 (profession, region, attribute, group, count)"],
        id="values",
    ),
    pytest.param(
        HEADER + 'nurse,london,sex,"female,10\n', ["Line 2 is not valid CSV: check its quotation marks"], id="quote"
    ),
    pytest.param(
        "nurse,london,sex,female,10\n",
        ['Line 1 must be the header "profession,region,attribute,group,count", not "nurse,london,sex,female,10"'],
        id="missing-header",
    ),
    pytest.param(
        "profession;region;attribute;group;count\nnurse;london;sex;female;10\n",
        [
            'Line 1 must be the header "profession,region,attribute,group,count", not '
            '"profession;region;attribute;group;count"'
        ],
        id="wrong-header",
    ),
    pytest.param(b"", ["The selected file is empty"], id="empty"),
    pytest.param(b"\n \r\n", ["The selected file is empty"], id="blank"),
    pytest.param(HEADER, ["The file has a header but no lines of counts after it"], id="header-only"),
    pytest.param(
        (HEADER + "nurse,r\xe9gion,sex,female,10\n").encode("latin-1"),
        ["Line 2 is not UTF-8 text: save the file as CSV UTF-8"],
        id="latin-1",
    ),
    pytest.param(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        [
            "Line 1 is not UTF-8 text: save the file as CSV UTF-8",
            "Line 2 contains control characters such as NUL, which have no place in a CSV file",
            "Line 3 contains control characters such as NUL, which have no place in a CSV file",
        ],
        id="an-image",
    ),
    pytest.param(
        HEADER + "nurse,lon\x00don,sex,female,10\n",
        ["Line 2 contains control characters such as NUL, which have no place in a CSV file"],
        id="nul",
    ),
    pytest.param(HEADER + "nurse," + "x" * 100_000 + "\n", ["Line 2 is longer than 500 characters"], id="huge-line"),
    pytest.param(
        HEADER + "a" * 100 + ",london,sex,female,10\n",
        [f'Line 2: "{"a" * 40}…" is not a profession code'],
        id="long-value-quoted-short",
    ),
]


@pytest.mark.parametrize(("content", "problems"), BAD_FILES)
def test_a_bad_file_is_refused_with_each_problem_by_its_line_and_nothing_loaded(client, editor, content, problems):
    client.force_login(editor)

    response = post_file(client, content)

    assert response.status_code == 200
    assert response.context["problems"] == problems
    assert response.context["form"].errors["file"] == [
        "The file was not loaded. Fix these problems and upload it again."
    ]
    html = response.content.decode()
    assert "Problems in the file" in html and "Nothing was loaded" in html
    assert nothing_loaded()
    assert AuditEvent.objects.get(action="eligible_population.rejected").detail == {
        "file_name": "counts.csv",
        "problems": len(problems),
    }


def test_every_bad_line_is_named_and_the_good_ones_are_not_loaded_either(client, editor):
    client.force_login(editor)
    content = (
        HEADER
        + "nurse,london,sex,female,10\n"
        + "nurse,london,sex,male,-1\n"
        + "\n"
        + "doctor,north,sex,female,x\n"
        + "nurse,london,sex,female,12\n"
    )

    response = post_file(client, content)

    assert response.context["problems"] == [
        'Line 3: the count "-1" is negative',
        'Line 5: "north" is not a region code; the count "x" is not a whole number',
        "Line 6 repeats line 2 (nurse, london, sex, female)",
    ]
    assert nothing_loaded()


def test_a_file_with_problems_on_many_lines_lists_the_first_hundred_and_counts_the_rest(client, editor):
    client.force_login(editor)

    response = post_file(client, HEADER + "nurse,london,sex,female,-1\n" * 150)

    problems = response.context["problems"]
    assert len(problems) == 101 and problems[0] == 'Line 2: the count "-1" is negative'
    assert problems[-1] == "… and 50 more problems"
    assert nothing_loaded()


def test_a_file_too_large_or_not_a_csv_is_refused(client, editor):
    client.force_login(editor)
    line = "nurse,london,sex,female,10\n"
    large = HEADER + line * (MAX_BYTES // len(line) + 1)

    assert post_file(client, large).context["problems"] == ["The selected file must be smaller than 512 KB"]
    assert post_file(client, HEADER + line, name="counts.xlsx").context["problems"] == [
        "The selected file must be a CSV (its name ending .csv)"
    ]
    assert nothing_loaded()


def test_the_form_asks_for_a_file_a_source_and_a_date_in_the_past(client, editor):
    client.force_login(editor)

    missing = client.post(UPLOAD, {})
    future = client.post(
        UPLOAD,
        {
            "file": SimpleUploadedFile("counts.csv", (HEADER + "nurse,london,sex,female,10\n").encode()),
            "source": "NMC register data",
            "as_of_day": "1",
            "as_of_month": "1",
            "as_of_year": "2027",
        },
    )

    assert missing.context["form"].errors == {
        "file": ["Select a CSV file"],
        "source": ["Enter where the counts come from"],
        "as_of": ["Enter the date the counts describe"],
    }
    assert future.context["form"].errors == {"as_of": ["The date the counts describe must be today or in the past"]}
    assert nothing_loaded()


def test_a_good_file_is_loaded_audited_and_listed(client, editor):
    client.force_login(editor)
    content = (
        "\ufeff"  # a spreadsheet's byte-order mark
        + HEADER
        + "nurse,london,sex,female,73120\r\n"
        + " nurse , London ,sex,male,12410\r\n"
        + "nurse,london,ethnic_group,not_answered,1460\r\n"
        + "\r\n"
        + "midwife,north-west,disability,no,0\r\n"
    )

    response = post_file(client, content)

    assert response.status_code == 302 and response["Location"] == LIST
    upload = EligiblePopulationUpload.objects.get()
    assert (upload.uploaded_by, upload.source, upload.as_of.isoformat(), upload.file_name, upload.lines) == (
        editor,
        "NMC register data, 31 March 2026",
        "2026-03-31",
        "counts.csv",
        4,
    )
    assert sorted(
        EligiblePopulationCount.objects.values_list("profession", "region__slug", "attribute", "group", "count")
    ) == [
        ("midwife", "north-west", "disability", "no", 0),
        ("nurse", "london", "ethnic_group", "", 1460),
        ("nurse", "london", "sex", "female", 73120),
        ("nurse", "london", "sex", "male", 12410),
    ]
    event = AuditEvent.objects.get(action="eligible_population.uploaded")
    assert event.actor == editor and event.subject_id == str(upload.pk)
    assert event.detail["professions"] == ["midwife", "nurse"] and event.detail["lines"] == 4
    page = client.get(LIST).content.decode()
    assert "4 lines of counts loaded from NMC register data, 31 March 2026." in page
    assert "NMC register data, 31 March 2026" in page and "31 March 2026" in page
    assert "Midwife, Nurse" in page


def test_a_new_upload_replaces_the_figures_of_the_professions_it_covers_and_keeps_the_old_upload(client, editor):
    client.force_login(editor)
    post_file(client, HEADER + "nurse,london,sex,female,100\ndoctor,london,sex,female,50\n", source="First file")
    post_file(client, HEADER + "nurse,london,sex,female,120\n", source="Second file")

    first, second = EligiblePopulationUpload.objects.order_by("pk")
    assert first.counts.count() == 2 and second.counts.count() == 1  # the first kept whole, for the record
    uploads = client.get(LIST).context["uploads"]
    assert [(row["upload"].source, row["professions"], row["in_use_for"]) for row in uploads] == [
        ("Second file", ["Nurse"], ["Nurse"]),
        ("First file", ["Doctor", "Nurse"], ["Doctor"]),
    ]

    post_file(client, HEADER + "doctor,london,sex,female,60\n", source="Third file")

    page = client.get(LIST).content.decode()
    assert "None: replaced by later uploads" in page


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_may_upload(client, user_for_role, role):
    """Everyone else is refused before the file is read: signed out, to sign in; other roles, 403."""
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)

    response = post_file(client, HEADER + "nurse,london,sex,female,10\n")

    if role == "editor":
        assert response.status_code == 302 and EligiblePopulationUpload.objects.count() == 1
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert nothing_loaded()


def test_the_upload_form_is_protected_against_cross_site_requests(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    page = client.get(UPLOAD)
    refused = post_file(client, HEADER + "nurse,london,sex,female,10\n")

    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert 'enctype="multipart/form-data"' in page.content.decode()
    assert refused.status_code == 403
    assert nothing_loaded()


def test_the_upload_page_lists_the_codes_a_file_may_use(client, editor):
    client.force_login(editor)

    html = client.get(UPLOAD).content.decode()

    assert "profession,region,attribute,group,count" in html
    for code in ("nursing_associate", "north-east-and-yorkshire", "ethnic_group", "not_answered", "gay_lesbian"):
        assert f"<code>{code}</code>" in html


def test_editors_find_the_uploads_on_their_content_page(client, editor, hee_staff):
    client.force_login(editor)
    assert f'href="{LIST}"' in client.get(reverse("accounts:show_editor_home")).content.decode()


def test_the_uploads_page_costs_the_same_queries_however_many_uploads(client, editor, django_assert_num_queries):
    client.force_login(editor)
    post_file(client, HEADER + "nurse,london,sex,female,10\n")
    client.get(LIST)
    # The session, its user and their second factor; the uploads with who made them; the professions each covers.
    with django_assert_num_queries(5):
        client.get(LIST)
    for number in range(10):
        other = EditorFactory()
        client.force_login(other)
        post_file(client, HEADER + f"doctor,london,sex,female,{number}\nnurse,london,sex,male,1\n")
    client.force_login(editor)

    with django_assert_num_queries(5):
        response = client.get(LIST)

    assert len(response.context["uploads"]) == 11
