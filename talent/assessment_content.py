"""The words of the self-assessment: what each Healthcare Leadership Model dimension is about, a few questions to
prompt reflection (shown as hints), and what each level of the scale means.

Written for this service in its own words; the dimension and level names are the model's.
"""

from talent.models import Dimension, Rating

DIMENSION_SUMMARIES: dict[str, str] = {
    Dimension.INSPIRING_SHARED_PURPOSE: (
        "Holding on to the values of the NHS and helping others feel that their work matters to patients."
    ),
    Dimension.LEADING_WITH_CARE: (
        "Looking after the wellbeing of the people you work with, and of yourself, so that they can care well."
    ),
    Dimension.EVALUATING_INFORMATION: (
        "Gathering evidence from many places, making sense of it and using it to improve care."
    ),
    Dimension.CONNECTING_OUR_SERVICE: (
        "Seeing how your team fits into the wider health and care system and working across its boundaries."
    ),
    Dimension.SHARING_THE_VISION: (
        "Explaining clearly and honestly where the service is heading and why, in a way people believe."
    ),
    Dimension.ENGAGING_THE_TEAM: (
        "Involving colleagues in decisions, valuing what each brings and building a team that works together."
    ),
    Dimension.HOLDING_TO_ACCOUNT: (
        "Agreeing clear expectations, giving honest feedback and following through when standards slip."
    ),
    Dimension.DEVELOPING_CAPABILITY: (
        "Helping others, and yourself, to learn and grow, and planning for the leaders the service will need."
    ),
    Dimension.INFLUENCING_FOR_RESULTS: (
        "Understanding what matters to other people and building the support needed to make change happen."
    ),
}

INDICATOR_QUESTIONS: dict[str, tuple[str, ...]] = {
    Dimension.INSPIRING_SHARED_PURPOSE: (
        "Do you speak up for patients and for what is right, even when it is uncomfortable?",
        "How often do you link everyday tasks to the difference they make for patients?",
        "Do colleagues come to you when they are unsure what the service stands for?",
    ),
    Dimension.LEADING_WITH_CARE: (
        "Do you notice when a colleague is struggling, and do something about it?",
        "How well do you manage your own pressure so it does not spill over onto others?",
        "Do people in your team feel safe to raise a worry with you?",
    ),
    Dimension.EVALUATING_INFORMATION: (
        "Do you look beyond the obvious data, including what patients and staff tell you?",
        "How confident are you at turning audit or performance figures into a change in practice?",
        "Do you test new ideas on a small scale before spreading them?",
    ),
    Dimension.CONNECTING_OUR_SERVICE: (
        "Do you know how the teams and organisations around yours affect your patients' journeys?",
        "How often do you work with people outside your own team or profession to solve a shared problem?",
    ),
    Dimension.SHARING_THE_VISION: (
        "Can you describe in a sentence or two where your service is trying to get to?",
        "Do you explain the reasons behind changes, not just what is changing?",
        "Do you keep people hopeful about the future while being honest about the difficulties?",
    ),
    Dimension.ENGAGING_THE_TEAM: (
        "Do you ask for and act on the views of colleagues at every level before deciding?",
        "How well do you draw on the different strengths and backgrounds in your team?",
        "Do you give credit to others when things go well?",
    ),
    Dimension.HOLDING_TO_ACCOUNT: (
        "Do the people you work with know what is expected of them and how it will be judged?",
        "How comfortable are you giving feedback that someone may not want to hear?",
        "Do you follow up when agreed actions are not done?",
    ),
    Dimension.DEVELOPING_CAPABILITY: (
        "Do you make time to coach, teach or support the development of colleagues?",
        "When did you last seek out feedback or learning for your own development as a leader?",
        "Do you help people take on stretching responsibilities with the right support?",
    ),
    Dimension.INFLUENCING_FOR_RESULTS: (
        "Do you think about what matters to others before trying to persuade them?",
        "How well do you build alliances to get a change agreed and carried through?",
    ),
}

LEVEL_DESCRIPTIONS: dict[int, str] = {
    Rating.ESSENTIAL: "You show this sometimes, mostly in familiar situations and with support.",
    Rating.PROFICIENT: "You show this reliably in your day-to-day work and in your own team.",
    Rating.STRONG: "You show this consistently, including in difficult situations and beyond your own team.",
    Rating.EXEMPLARY: "You show this across organisations and systems, and others learn from how you do it.",
}

DIMENSION_ORDER: tuple[str, ...] = tuple(Dimension.values)


def next_dimension(dimension: str) -> str | None:
    """The dimension after this one in the assessment, or None after the last."""
    position = DIMENSION_ORDER.index(dimension)
    return DIMENSION_ORDER[position + 1] if position + 1 < len(DIMENSION_ORDER) else None
