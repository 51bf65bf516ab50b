"""Opportunities in words for pages and emails: who may apply as one sentence, and what happens after approval.

The rule itself is `pathways.selectors.eligibility_for`; these only say it, so a page never words a rule its own way.
"""

from django.utils.formats import date_format

from pathways.models import Opportunity
from regulators.models import Profession
from talent.models import CareerStage

AGENDA_FOR_CHANGE_BAND = "Agenda for Change band "
TRAINING = " training"
# Stages whose label does not read after "Open to doctors ..." as it stands.
STAGE_PHRASES = {
    CareerStage.SAS: "in SAS or specialty doctor posts",
    CareerStage.CONSULTANT_GP: "working as a consultant or GP",
}


def _joined(words: list[str], conjunction: str = "and") -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _lower_first(label: str) -> str:
    """ "Foundation training" -> "foundation training", but "SAS or specialty doctor" keeps its capitals."""
    first, _, rest = label.partition(" ")
    return f"{first if first.isupper() else first.lower()}{' ' if rest else ''}{rest}"


def _plural_noun(noun: str) -> str:
    return f"{noun[:-2]}ves" if noun.endswith("wife") else f"{noun}s"


def _plural(label: str) -> str:
    """A profession's label as the people in it: "Prosthetist or orthotist" -> "prosthetists or orthotists"."""
    return " or ".join(_plural_noun(_lower_first(part)) for part in label.split(" or "))


def _in_order(codes: list[str], choices) -> list[str]:
    """Codes in the order the choices list them (as editors tick them in any order); unknown codes last."""
    order = {value: index for index, value in enumerate(choices.values)}
    return sorted(codes, key=lambda code: (order.get(code, len(order)), code))


def _who(opportunity: Opportunity) -> str:
    if opportunity.min_specialty_training_year:
        return "doctors"  # only doctors have a specialty training year
    labels = dict(Profession.choices)
    return _joined([_plural(labels.get(code, code)) for code in _in_order(opportunity.professions, Profession)])


def _stages(opportunity: Opportunity) -> str:
    if opportunity.min_specialty_training_year:
        return f"in specialty training at ST{opportunity.min_specialty_training_year} or above"
    labels = dict(CareerStage.choices)
    training, bands, others = [], [], []
    for code in _in_order(opportunity.career_stages, CareerStage):
        label = labels.get(code, code)
        if code in STAGE_PHRASES:
            others.append(STAGE_PHRASES[code])
        elif label.endswith(TRAINING):
            training.append(_lower_first(label.removesuffix(TRAINING)))
        elif label.startswith(AGENDA_FOR_CHANGE_BAND):
            bands.append(label.removeprefix(AGENDA_FOR_CHANGE_BAND))
        else:
            others.append(f"whose career stage is {_lower_first(label)}")
    groups = []
    if training:
        groups.append(f"in {_joined(training, 'or')} training")
    if bands:
        groups.append(f"at {AGENDA_FOR_CHANGE_BAND}{_joined(bands, 'or')}")
    groups += others
    return ", or ".join(groups)


def _years_since(years: int) -> str:
    return f"{years} year{'' if years == 1 else 's'} since first registration"


def _years(opportunity: Opportunity) -> str:
    low = opportunity.min_years_since_registration or None  # at least 0 years is no rule at all
    high = opportunity.max_years_since_registration
    if low is not None and high is not None:
        if low == high:
            return f"with exactly {_years_since(low)}"
        return f"with {low} to {_years_since(high)}"
    if low is not None:
        return f"with at least {_years_since(low)}"
    if high == 0:
        return "in the year they first registered"
    if high is not None:
        return f"with up to {_years_since(high)}"
    return ""


def eligibility_sentence(opportunity: Opportunity) -> str:
    """Who may apply, as one sentence built from the opportunity's eligibility fields: "Open to doctors in specialty
    training at ST4 or above.", "Open to nurses and midwives at Agenda for Change band 6 or 7, with at least 5 years
    since first registration.", "Open to clinicians of every profession, at any career stage." """
    who, stages, years = _who(opportunity), _stages(opportunity), _years(opportunity)
    if not (who or stages or years):
        return "Open to clinicians of every profession, at any career stage."
    sentence = f"Open to {who or 'clinicians'}"
    if stages:
        sentence += f" {stages}"
    if years:
        sentence += f"{',' if stages else ''} {years}"
    return f"{sentence}."


def dates_text(opportunity: Opportunity) -> str:
    """When it runs, in words ("" when the provider has not said)."""
    starts, ends = opportunity.starts_on, opportunity.ends_on
    if starts and ends:
        return f"From {date_format(starts, 'j F Y')} to {date_format(ends, 'j F Y')}"
    if starts:
        return f"Starts on {date_format(starts, 'j F Y')}"
    if ends:
        return f"Ends on {date_format(ends, 'j F Y')}"
    return ""


def next_steps_of(opportunity: Opportunity) -> dict[str, str]:
    """What an approved clinician does next: the provider's instructions and link, the dates and who to contact.
    Plain strings, so the approval email's outbox row can carry them."""
    return {
        "provider": opportunity.provider,
        "instructions": opportunity.next_steps.strip(),
        "link": opportunity.link,
        "dates": dates_text(opportunity),
        "contact_name": opportunity.contact_name,
        "contact_email": opportunity.contact_email,
    }
