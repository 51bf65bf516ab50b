"""Registration numbers are checked against each regulator's format."""

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regulators.models import HCPC_PREFIXES, Profession, RegistrationNumberValidator, Regulator

# (regulator, valid examples, invalid examples)
EXAMPLES = [
    ("GMC", ["1234567", "7654321", " 1234 567 "], ["123456", "12345678", "A123456", "GMC1234567", "١٢٣٤٥٦٧"]),
    ("NMC", ["12A3456E", "99Z0000A", "12a3456e"], ["12A34567", "1AA3456E", "12A3456", "123456E"]),
    ("HCPC", ["PH123456", "ODP12345", "PYL1234", "ha d123456"], ["XX123456", "PH12", "PH1234567", "123456"]),
    ("GPhC", ["2012345", "5012345"], ["201234", "20123456", "G2012345"]),
    ("GDC", ["123456", "81234", "1234"], ["123", "1234567", "D12345"]),
    ("GOC", ["01-12345", "10-1234"], ["0112345", "01-123", "1-12345"]),
    ("GOsC", ["4567", "123", "12345"], ["12", "123456", "O1234"]),
    ("GCC", ["01234", "987"], ["12", "123456", "C0123"]),
    ("AHCS", ["12345", "1234", "123456"], ["123", "1234567", "AHCS"]),
]


@pytest.mark.django_db
def test_the_nine_regulators_are_loaded_with_their_cycles():
    """All nine regulators are there, each with a revalidation or renewal cycle."""
    cycles = dict(Regulator.objects.values_list("code", "revalidation_cycle_months"))
    assert cycles == {
        "GMC": 60,
        "NMC": 36,
        "HCPC": 24,
        "GPhC": 12,
        "GDC": 12,
        "GOC": 12,
        "GOsC": 12,
        "GCC": 12,
        "AHCS": 12,
    }
    assert not Regulator.objects.get(code="AHCS").is_statutory


@pytest.mark.django_db
def test_every_profession_has_exactly_one_regulator():
    """Each clinical profession maps to one regulator, so the profile can default it."""
    owners: dict[str, list[str]] = {}
    for regulator in Regulator.objects.all():
        regulator.full_clean()
        for profession in regulator.professions:
            owners.setdefault(profession, []).append(regulator.code)
    assert set(owners) == set(Profession.values)
    assert all(len(codes) == 1 for codes in owners.values())


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "valid", "invalid"), EXAMPLES, ids=[example[0] for example in EXAMPLES])
def test_valid_numbers_pass_and_invalid_ones_say_the_expected_format(code, valid, invalid):
    """Each regulator accepts its own format (spaces and lower case tidied) and explains it when wrong."""
    regulator = Regulator.objects.get(code=code)
    for number in valid:
        assert re.fullmatch(regulator.registration_number_pattern, regulator.validate_registration_number(number))
    for number in invalid:
        with pytest.raises(ValidationError) as error:
            regulator.validate_registration_number(number)
        message = error.value.messages[0]
        assert regulator.registration_number_format in message
        assert regulator.registration_number_example in message


@pytest.mark.django_db
def test_hcpc_numbers_must_carry_the_professions_prefix():
    """A physiotherapist giving a paramedic's PA number is told physiotherapists' numbers start with PH."""
    hcpc = Regulator.objects.get(code="HCPC")
    validator = RegistrationNumberValidator(hcpc, profession=Profession.PHYSIOTHERAPIST)
    validator("PH123456")
    with pytest.raises(ValidationError, match="physiotherapist register start with PH"):
        validator("PA123456")
    assert set(HCPC_PREFIXES) == set(hcpc.professions)


@pytest.fixture
def regulators(db):
    return list(Regulator.objects.all())


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.data())
def test_any_number_in_the_format_is_accepted_however_it_is_typed(regulators, data):
    """Property: every string the regulator's format allows passes, with spaces and lower case tidied away."""
    regulator = data.draw(st.sampled_from(regulators))
    number = data.draw(st.from_regex(re.compile(regulator.registration_number_pattern, flags=re.ASCII), fullmatch=True))
    spaced = " ".join(number.lower()) + " "

    assert regulator.validate_registration_number(number) == number
    assert regulator.validate_registration_number(spaced) == number


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.data())
def test_a_digit_too_many_or_too_few_is_refused(regulators, data):
    """Property: a valid number with its longest run of digits one longer or shorter than allowed is refused."""
    regulator = data.draw(st.sampled_from(regulators))
    number = data.draw(st.from_regex(re.compile(regulator.registration_number_pattern, flags=re.ASCII), fullmatch=True))
    lengths = {
        len(example)
        for example in data.draw(
            st.lists(
                st.from_regex(re.compile(regulator.registration_number_pattern, flags=re.ASCII), fullmatch=True),
                min_size=20,
                max_size=20,
            )
        )
    } | {len(number)}
    too_long = number + "7" * (max(lengths) - len(number) + 1)
    too_short = number[: min(lengths) - 1]

    for wrong in (too_long, too_short):
        if not re.fullmatch(regulator.registration_number_pattern, wrong, flags=re.ASCII):
            with pytest.raises(ValidationError):
                regulator.validate_registration_number(wrong)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    profession=st.sampled_from(sorted(HCPC_PREFIXES)),
    other=st.sampled_from(sorted(set(HCPC_PREFIXES.values()))),
    digits=st.from_regex(r"[0-9]{4,6}", fullmatch=True),
)
def test_an_hcpc_number_is_accepted_only_with_the_professions_own_prefix(regulators, profession, other, digits):
    """Property: for every HCPC profession, only its own prefix passes."""
    hcpc = next(regulator for regulator in regulators if regulator.code == "HCPC")
    number = other + digits
    if other == HCPC_PREFIXES[profession]:
        assert hcpc.validate_registration_number(number, profession=profession) == number
    else:
        with pytest.raises(ValidationError):
            hcpc.validate_registration_number(number, profession=profession)


@pytest.mark.django_db
def test_an_editor_cannot_leave_a_profession_without_a_regulator_or_with_two():
    """Moving doctors off the GMC, or giving nurses a second regulator, is refused with the profession named."""
    gmc = Regulator.objects.get(code="GMC")
    gmc.professions = ["nurse"]

    with pytest.raises(ValidationError) as error:
        gmc.full_clean()

    message = " ".join(error.value.message_dict["professions"])
    assert "nurse (NMC)" in message
    gmc.professions = []
    with pytest.raises(ValidationError, match="doctor"):
        gmc.full_clean()
