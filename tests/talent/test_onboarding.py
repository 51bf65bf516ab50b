"""Onboarding (one question a page, check your answers, confirm) and changing the profile later from the same pages."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Region
from talent import services
from talent.forms.onboarding import CareerForm
from talent.models import ClinicianProfile, ConsentEvent, OnboardingDraft
from talent.views.onboarding import CHANGE_SESSION_KEY
from tests.factories import ClinicianFactory, ClinicianProfileFactory

pytestmark = pytest.mark.django_db


def url(step: str, **params) -> str:
    address = reverse(f"talent:answer_onboarding_{step}")
    return address + ("?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else "")


def answer(client, step: str, data: dict, **params):
    return client.post(url(step, **params), data)


def doctor_answers(training_body, region_slug: str = "north-west") -> list[tuple[str, dict]]:
    return [
        ("profession", {"profession": "doctor"}),
        ("registration", {"registration_number": "1234567", "first_registration_year": "2020"}),
        (
            "career",
            {"career_stage": "specialty_training", "specialty_training_year": "3", "specialty": "Paediatrics"},
        ),
        (
            "employer",
            {
                "employer_name": "Alder Hey Children's NHS Foundation Trust",
                "employer_ods_code": "rbs",
                "region": Region.objects.get(slug=region_slug).pk,
            },
        ),
        ("training_body", {"training_body": training_body.pk if training_body else "none"}),
        ("consents", {"shares_with_training_body": "yes", "shares_with_hee": "no"}),
    ]


def answer_all(client, answers) -> None:
    for step, data in answers:
        response = answer(client, step, data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])


def errors_of(response) -> str:
    """The error summary's text (the page shows it whenever the form has errors)."""
    content = response.content.decode()
    assert "There is a problem" in content, content[:3000]
    return content


def test_a_new_clinician_answers_each_page_with_one_mistake_each_and_confirms(client, new_clinician, training_body):
    """Each page says what is wrong in plain words; the profile is created only when the clinician confirms."""
    client.force_login(new_clinician)
    assert client.get(reverse("talent:show_clinician_home"))["Location"] == reverse("talent:start_onboarding")
    start = client.get(reverse("talent:start_onboarding"))
    assert start.status_code == 200 and url("profession") in start.content.decode()

    # Profession: nothing chosen.
    assert "Choose your profession" in errors_of(answer(client, "profession", {"profession": ""}))
    response = answer(client, "profession", {"profession": "doctor"})
    assert response["Location"] == url("registration")

    # Registration: the hint names the GMC's format; a wrong number names it again; impossible years are refused.
    page = client.get(url("registration")).content.decode()
    assert "GMC registration number" in page and "7 digits, for example 1234567" in page
    assert 'href="' + url("profession") + '"' in page  # back link
    mistake = errors_of(
        answer(client, "registration", {"registration_number": "12A", "first_registration_year": "2020"})
    )
    assert "7 digits" in mistake
    next_year = timezone.localdate().year + 1
    future = errors_of(
        answer(client, "registration", {"registration_number": "1234567", "first_registration_year": next_year})
    )
    assert "this year" in future
    too_early = errors_of(
        answer(client, "registration", {"registration_number": "1234567", "first_registration_year": "1949"})
    )
    assert "1950 or later" in too_early
    response = answer(client, "registration", {"registration_number": "123 4567", "first_registration_year": "2020"})
    assert response["Location"] == url("career")

    # Career: specialty training needs its year.
    page = client.get(url("career")).content.decode()
    assert "Foundation training" in page and "Agenda for Change band 5" not in page
    assert "Select your specialty training year" in errors_of(
        answer(client, "career", {"career_stage": "specialty_training", "specialty": "Paediatrics"})
    )
    answer_all(client, doctor_answers(training_body)[2:3])

    # Employer: a region is required and an ODS code must look like one.
    employer = dict(doctor_answers(training_body)[3][1])
    assert "Select the region you work in" in errors_of(answer(client, "employer", {**employer, "region": ""}))
    assert "Employer ODS code must be" in errors_of(
        answer(client, "employer", {**employer, "employer_ods_code": "R-8!"})
    )
    answer_all(client, doctor_answers(training_body)[3:4])

    # Training body: must choose one or "none".
    assert "Choose your training body" in errors_of(answer(client, "training_body", {"training_body": ""}))
    answer_all(client, doctor_answers(training_body)[4:5])

    # Consents: both questions need an answer; the page explains who sees what.
    page = client.get(url("consents")).content.decode()
    assert f"share your profile with {training_body.name}" in page
    assert "never shown to anyone but you" in page
    missing = errors_of(answer(client, "consents", {}))
    assert f"Select yes if you want to share your profile with {training_body.name}" in missing
    assert "Select yes if you want to share your profile with HEE" in missing
    response = answer(client, "consents", {"shares_with_training_body": "yes", "shares_with_hee": "no"})
    assert response["Location"] == reverse("talent:check_onboarding_answers")
    assert not ClinicianProfile.objects.filter(user=new_clinician).exists()

    check = client.get(reverse("talent:check_onboarding_answers")).content.decode()
    for text in ("Doctor", "General Medical Council (GMC)", "1234567", "Specialty training (ST3)", "RBS", "North West"):
        assert text in check
    assert url("employer", change=1) in check

    response = client.post(reverse("talent:check_onboarding_answers"))

    assert response["Location"] == reverse("talent:show_clinician_home")
    profile = ClinicianProfile.objects.get(user=new_clinician)
    assert (profile.profession, profile.regulator.code, profile.registration_number) == ("doctor", "GMC", "1234567")
    assert (profile.career_stage, profile.specialty_training_year, profile.requested_training_body) == (
        "specialty_training",
        3,
        training_body,
    )
    assert profile.training_body is None  # a request until the body's admins confirm it
    assert profile.shares_with_training_body and not profile.shares_with_hee
    assert sorted(profile.consent_events.values_list("recipient", "granted")) == [
        ("hee", False),
        ("training_body", True),
    ]
    assert not OnboardingDraft.objects.filter(user=new_clinician).exists()
    assert client.get(reverse("talent:show_clinician_home")).status_code == 200


def test_a_nurse_gets_the_nmc_format_and_agenda_for_change_bands(client, new_clinician):
    """A nurse sees the NMC PIN format and the bands; a doctor's grade is not accepted for a nurse."""
    client.force_login(new_clinician)
    answer(client, "profession", {"profession": "nurse"})
    page = client.get(url("registration")).content.decode()
    assert "NMC registration number" in page and "12A3456E" in page
    answer(client, "registration", {"registration_number": "12a3456e", "first_registration_year": "2015"})

    page = client.get(url("career")).content.decode()
    assert "Agenda for Change band 6" in page and "Foundation training" not in page
    assert "Select your career stage" in errors_of(answer(client, "career", {"career_stage": "foundation"}))
    assert answer(client, "career", {"career_stage": "band_6", "specialty": "Mental health"}).status_code == 302
    assert OnboardingDraft.objects.get(user=new_clinician).answers["registration_number"] == "12A3456E"


def test_an_hcpc_profession_is_told_its_own_prefix(client, new_clinician):
    """A paramedic is told their number starts with PA, and a physiotherapist's PH number is refused."""
    client.force_login(new_clinician)
    answer(client, "profession", {"profession": "paramedic"})
    assert "PA followed by 4 to 6 digits" in client.get(url("registration")).content.decode()
    assert "start with PA" in errors_of(
        answer(client, "registration", {"registration_number": "PH12345", "first_registration_year": "2015"})
    )


def test_pages_are_answered_in_order(client, new_clinician):
    """Opening a later page (or check your answers) before the earlier ones goes back to the first unanswered one."""
    client.force_login(new_clinician)
    assert client.get(url("career"))["Location"] == url("profession")
    assert client.get(reverse("talent:check_onboarding_answers"))["Location"] == url("profession")
    answer(client, "profession", {"profession": "doctor"})
    assert client.get(url("consents"))["Location"] == url("registration")


def test_change_links_return_to_check_your_answers(client, new_clinician, training_body):
    """Changing an answer from "Check your answers" comes back to it; a new profession asks for what it affects."""
    client.force_login(new_clinician)
    answer_all(client, doctor_answers(training_body))

    page = client.get(url("employer", change=1)).content.decode()
    assert 'href="' + reverse("talent:check_onboarding_answers") + '"' in page  # back link
    changed = {**doctor_answers(training_body)[3][1], "employer_name": "Royal Liverpool"}
    assert answer(client, "employer", changed, change=1)["Location"] == reverse("talent:check_onboarding_answers")
    assert "Royal Liverpool" in client.get(reverse("talent:check_onboarding_answers")).content.decode()

    # A nurse needs an NMC number and a band: each page in turn, then back to check your answers.
    assert answer(client, "profession", {"profession": "nurse"}, change=1)["Location"] == url("registration", change=1)
    # Back from here goes to the profession page, not to check-your-answers (which would only send them back).
    assert client.get(url("registration", change=1)).context["back_url"] == url("profession", change=1)
    response = answer(
        client, "registration", {"registration_number": "12A3456E", "first_registration_year": "2015"}, change=1
    )
    assert response["Location"] == url("career", change=1)
    response = answer(client, "career", {"career_stage": "band_7", "specialty": ""}, change=1)
    assert response["Location"] == reverse("talent:check_onboarding_answers")

    # Choosing no training body drops that consent question and row.
    assert answer(client, "training_body", {"training_body": "none"}, change=1)["Location"] == reverse(
        "talent:check_onboarding_answers"
    )
    check = client.get(reverse("talent:check_onboarding_answers")).content.decode()
    assert "Agenda for Change band 7" in check and f"Share with {training_body.name}" not in check
    client.post(reverse("talent:check_onboarding_answers"))
    profile = ClinicianProfile.objects.get(user=new_clinician)
    assert (profile.profession, profile.regulator.code, profile.training_body) == ("nurse", "NMC", None)
    assert not profile.shares_with_training_body


def test_a_new_training_body_asks_about_sharing_again(client, new_clinician, training_body, other_training_body):
    """Consent to share with one training body is not carried over to another."""
    client.force_login(new_clinician)
    answer_all(client, doctor_answers(training_body))
    response = answer(client, "training_body", {"training_body": other_training_body.pk}, change=1)
    assert response["Location"] == url("consents", change=1)


def test_a_registration_number_already_used_is_refused_without_saying_whose(client, new_clinician, clinician):
    """The check-answers page names the field and links to change it, but not the other account; nothing is saved."""
    taken = clinician.clinician_profile.registration_number
    client.force_login(new_clinician)
    answers = doctor_answers(None)
    answers[1] = ("registration", {"registration_number": taken, "first_registration_year": "2020"})
    answers[-1] = ("consents", {"shares_with_hee": "yes"})
    answer_all(client, answers)

    response = client.post(reverse("talent:check_onboarding_answers"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content and "registration number is already used" in content
    assert f'href="{url("registration", change=1)}"' in content
    assert escape(clinician.full_name) not in content and clinician.email not in content
    assert "<title>Error: " in content
    assert not ClinicianProfile.objects.filter(user=new_clinician).exists()


def test_confirming_twice_creates_one_profile(client, new_clinician, training_body):
    """Pressing "Confirm and save" again (say, after going back) does not make a second profile."""
    client.force_login(new_clinician)
    answer_all(client, doctor_answers(training_body))
    client.post(reverse("talent:check_onboarding_answers"))

    again = client.post(reverse("talent:check_onboarding_answers"))

    assert again["Location"] == reverse("talent:show_profile")
    assert ClinicianProfile.objects.filter(user=new_clinician).count() == 1
    assert ConsentEvent.objects.filter(profile__user=new_clinician).count() == 2


def test_clinicians_with_a_profile_go_to_their_profile_instead_of_onboarding(client, clinician):
    """The start and check-answers pages are only for onboarding; afterwards they lead to "Your profile"."""
    client.force_login(clinician)
    assert client.get(reverse("talent:start_onboarding"))["Location"] == reverse("talent:show_profile")
    assert client.get(reverse("talent:check_onboarding_answers"))["Location"] == reverse("talent:show_profile")


def test_your_profile_shows_every_answer_with_a_change_link(client, clinician, training_body):
    """The profile page lists the answers, links each to its question page, and shows sharing choices over time."""
    client.force_login(clinician)
    profile = clinician.clinician_profile

    page = client.get(reverse("talent:show_profile")).content.decode()

    assert profile.registration_number in page and training_body.name in page
    for step in ("profession", "registration", "career", "employer", "training_body", "consents"):
        assert f'href="{url(step)}"' in page
    assert "Your sharing choices over time" in page


def test_changing_an_answer_later_saves_it_and_returns_to_the_profile(client, clinician):
    """A clinician changes their employer from the same page they answered it on; it is saved straight away."""
    client.force_login(clinician)
    page = client.get(url("employer")).content.decode()
    assert "Example Teaching Hospitals NHS Foundation Trust" in page
    assert 'href="' + reverse("talent:show_profile") + '"' in page  # back link

    response = answer(
        client,
        "employer",
        {
            "employer_name": "Whittington Health",
            "employer_ods_code": "RKE",
            "region": Region.objects.get(slug="london").pk,
        },
    )

    assert response["Location"] == reverse("talent:show_profile")
    profile = ClinicianProfile.objects.get(user=clinician)
    assert (profile.employer_name, profile.employer_ods_code, profile.region.slug) == (
        "Whittington Health",
        "RKE",
        "london",
    )


def test_changing_a_consent_later_keeps_a_dated_history(client, clinician):
    """Withdrawing consent to share with HEE takes effect at once and appears in the history on the profile page."""
    client.force_login(clinician)

    answer(client, "consents", {"shares_with_training_body": "yes", "shares_with_hee": "no"})

    profile = ClinicianProfile.objects.get(user=clinician)
    assert profile.shares_with_training_body and not profile.shares_with_hee
    latest = profile.consent_events.filter(recipient="hee").first()
    assert latest.granted is False
    page = client.get(reverse("talent:show_profile")).content.decode()
    assert "Not shared" in page and latest.created_at.strftime("%Y") in page


def test_changing_profession_later_asks_for_what_it_affects_before_saving(client, clinician):
    """A doctor who retrains as a nurse gives an NMC number and a band; nothing is saved until both are given."""
    client.force_login(clinician)
    profile = clinician.clinician_profile

    response = answer(client, "profession", {"profession": "nurse"})

    assert response["Location"] == url("registration", **{"continue": 1})
    assert ClinicianProfile.objects.get(pk=profile.pk).profession == "doctor"
    page = client.get(url("registration", **{"continue": 1})).content.decode()
    assert "NMC registration number" in page and "not saved yet" in page
    response = answer(
        client,
        "registration",
        {"registration_number": "99Z9999Z", "first_registration_year": "2012"},
        **{"continue": 1},
    )
    assert response["Location"] == url("career", **{"continue": 1})
    response = answer(client, "career", {"career_stage": "band_6", "specialty": "Theatres"}, **{"continue": 1})

    assert response["Location"] == reverse("talent:show_profile")
    profile.refresh_from_db()
    assert (profile.profession, profile.regulator.code, profile.registration_number) == ("nurse", "NMC", "99Z9999Z")
    assert (profile.career_stage, profile.specialty_training_year) == ("band_6", None)
    assert CHANGE_SESSION_KEY not in client.session


def test_an_abandoned_change_is_not_saved_and_does_not_linger(client, clinician):
    """Leaving a half-made change (back to the profile) keeps the profile as it was; the next change starts afresh."""
    client.force_login(clinician)
    answer(client, "profession", {"profession": "nurse"})
    client.get(reverse("talent:show_profile"))

    page = client.get(url("career")).content.decode()

    assert "Foundation training" in page  # still a doctor
    assert ClinicianProfile.objects.get(user=clinician).profession == "doctor"


def test_changing_to_a_registration_number_already_used_is_refused(client, clinician, other_clinician):
    """The error is on the registration page, says the number is used, and names nobody."""
    client.force_login(clinician)
    taken = other_clinician.clinician_profile.registration_number

    response = answer(client, "registration", {"registration_number": taken, "first_registration_year": "2018"})

    content = errors_of(response)
    assert "already used by another account" in content
    assert escape(other_clinician.full_name) not in content and other_clinician.email not in content
    assert ClinicianProfile.objects.get(user=clinician).registration_number != taken


def test_other_roles_cannot_answer_the_questions(client, tb_admin):
    """Only clinicians have a profile: a training-body admin posting an answer gets 403 and nothing is kept."""
    client.force_login(tb_admin)
    assert answer(client, "profession", {"profession": "doctor"}).status_code == 403
    assert not OnboardingDraft.objects.exists()


def test_a_profile_with_no_consent_answers_still_opens(client):
    """A profile created elsewhere (e.g. seeded) without consent events still shows "Your profile"."""
    profile = ClinicianProfileFactory(training_body=None, shares_with_training_body=False)
    client.force_login(profile.user)
    page = client.get(reverse("talent:show_profile")).content.decode()
    assert "No sharing choices recorded" in page
    assert "Share with HEE" in page and "Training body</dt>" in page


def test_going_back_shows_the_answers_already_given(client, new_clinician, training_body):
    """Following a Back link shows the earlier page with its answers filled in, so nothing has to be typed again."""
    client.force_login(new_clinician)
    answer_all(client, doctor_answers(training_body)[:4])

    registration = client.get(url("registration")).content.decode()
    employer = client.get(url("employer")).content.decode()

    assert 'value="1234567"' in registration and 'value="2020"' in registration
    assert f'value="{Region.objects.get(slug="north-west").pk}" required checked' in employer


def test_your_profile_costs_the_same_queries_however_long_the_sharing_history(
    client, clinician, training_body, django_assert_max_num_queries
):
    """No query per consent change: ten or a hundred changes, the page is equally quick."""
    from talent.services import consent_set

    profile = clinician.clinician_profile
    client.force_login(clinician)
    for changes in (10, 100):
        while profile.consent_events.count() < changes:
            consent_set(profile=profile, recipient="hee", granted=not profile.shares_with_hee)
        with django_assert_max_num_queries(10):
            response = client.get(reverse("talent:show_profile"))
        assert response.status_code == 200


# Career stages for every profession


def career_choices(profession: str) -> list[str]:
    """The career-stage answers the career page offers after choosing `profession`, in order."""
    form = CareerForm(answers={"profession": profession})
    return [value for value, _ in form.fields["career_stage"].choices]


BANDS = ["band_2", "band_3", "band_4", "band_5", "band_6", "band_7", "band_8a", "band_8b", "band_8c", "band_8d"]


@pytest.mark.parametrize(
    ("profession", "training_grades"),
    [
        ("nursing_associate", []),
        ("nurse", []),
        ("osteopath", []),
        ("dentist", ["dental_foundation", "dental_core_training", "dental_specialty_training"]),
        ("pharmacist", ["foundation_pharmacist"]),
    ],
)
def test_every_profession_can_answer_its_career_stage_truthfully(profession, training_grades):
    """Bands 2 to 9, "Not on Agenda for Change" (general dental practice, community pharmacy, independent practice),
    and the dental and pharmacy training grades for those professions; never another profession's grades."""
    choices = career_choices(profession)
    assert choices == [*training_grades, *BANDS, "band_9", "not_agenda_for_change"]
    assert "foundation" not in choices and "consultant_gp" not in choices


def test_a_dentist_sees_the_dental_grades_and_who_is_not_on_agenda_for_change(client, new_clinician):
    """The page names the grades in words and says who "Not on Agenda for Change" is for."""
    client.force_login(new_clinician)
    answer(client, "profession", {"profession": "dentist"})
    answer(client, "registration", {"registration_number": "123456", "first_registration_year": "2016"})
    page = client.get(url("career")).content.decode()
    for label in ("Dental foundation training", "Dental core training", "Dental specialty training"):
        assert label in page
    assert "Agenda for Change band 2" in page
    assert "Not on Agenda for Change (for example general dental practice, community pharmacy or independent" in page
    assert "Foundation trainee pharmacist" not in page
    response = answer(client, "career", {"career_stage": "not_agenda_for_change", "specialty": "General dentistry"})
    assert response.status_code == 302
    assert OnboardingDraft.objects.get(user=new_clinician).answers["career_stage"] == "not_agenda_for_change"


def test_a_nursing_associate_at_band_4_confirms_a_profile(client, new_clinician):
    """Nursing associates are mostly band 4, which could not be chosen before."""
    client.force_login(new_clinician)
    answer_all(
        client,
        [
            ("profession", {"profession": "nursing_associate"}),
            ("registration", {"registration_number": "21C4567A", "first_registration_year": "2022"}),
            ("career", {"career_stage": "band_4", "specialty": ""}),
            ("employer", {"employer_name": "Salford Royal", "region": Region.objects.get(slug="north-west").pk}),
            ("training_body", {"training_body": "none"}),
            ("consents", {"shares_with_hee": "yes"}),
        ],
    )
    client.post(reverse("talent:check_onboarding_answers"))
    profile = ClinicianProfile.objects.get(user=new_clinician)
    assert (profile.profession, profile.career_stage, profile.career_stage_label) == (
        "nursing_associate",
        "band_4",
        "Agenda for Change band 4",
    )


# Answers kept until confirmed


def test_answers_survive_signing_out_and_the_clinician_comes_back_to_the_page_they_left(client, new_clinician):
    """Three pages answered, then signed out: signing in again lands on the fourth page, and going back shows the
    answers given, kept in the database rather than the session that signing out ended."""
    client.force_login(new_clinician)
    answer_all(client, doctor_answers(None)[:3])
    client.post(reverse("accounts:sign_out"))
    assert not client.session.keys() or "_auth_user_id" not in client.session

    client.force_login(new_clinician)
    home = client.get(reverse("talent:show_clinician_home"))
    assert home.status_code == 302 and home["Location"] == url("employer")
    start = client.get(reverse("talent:start_onboarding")).content.decode()
    assert "Continue where you left off" in start and url("employer") in start
    career = client.get(url("career")).context["form"]
    assert (career["career_stage"].value(), career["specialty_training_year"].value()) == ("specialty_training", 3)
    assert client.get(url("registration")).context["form"]["registration_number"].value() == "1234567"


def test_a_clinician_who_has_not_started_goes_to_the_start_page(client, new_clinician):
    client.force_login(new_clinician)
    assert client.get(reverse("talent:show_clinician_home"))["Location"] == reverse("talent:start_onboarding")
    assert "Start now" in client.get(reverse("talent:start_onboarding")).content.decode()


def test_after_the_last_question_the_clinician_comes_back_to_check_their_answers(client, new_clinician, training_body):
    client.force_login(new_clinician)
    answer_all(client, doctor_answers(training_body))
    client.logout()
    client.force_login(new_clinician)
    assert client.get(reverse("talent:show_clinician_home"))["Location"] == reverse("talent:check_onboarding_answers")


def test_confirming_or_deleting_the_account_removes_the_unconfirmed_answers(client, new_clinician, training_body):
    """Once confirmed the answers live in the profile only; an account deleted before confirming keeps none."""
    client.force_login(new_clinician)
    answer_all(client, doctor_answers(training_body))
    client.post(reverse("talent:check_onboarding_answers"))
    assert ClinicianProfile.objects.filter(user=new_clinician).exists()
    assert not OnboardingDraft.objects.filter(user=new_clinician).exists()

    quitter = ClinicianFactory()
    client.force_login(quitter)
    answer(client, "profession", {"profession": "nurse"})
    assert OnboardingDraft.objects.filter(user=quitter).exists()
    services.clinician_account_delete(user=quitter)
    assert not OnboardingDraft.objects.filter(user=quitter).exists()


def test_one_clinicians_unconfirmed_answers_are_never_anothers(client, new_clinician):
    client.force_login(new_clinician)
    answer(client, "profession", {"profession": "pharmacist"})
    client.force_login(ClinicianFactory())
    assert client.get(url("profession")).context["form"]["profession"].value() in (None, "")
    assert client.get(reverse("talent:show_clinician_home"))["Location"] == reverse("talent:start_onboarding")
