"""Starter content: pathways into senior clinical leadership and the development opportunities they suggest.

Written in this project's own words from the public facts in DESIGN.md section 7. Loaded (and refreshed) by
`python manage.py load_starter_content`, then edited by content editors in the admin site.

IMPORTANT: application windows, places, eligibility details and timings are ILLUSTRATIVE. Windows are computed
relative to the day the command runs so a demo always has some opportunities open, some opening later and some
closed. Providers change their schemes every year: check every detail with the provider before publishing for real.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from pathways.models import ContentStatus, LeadershipRole, Opportunity, OpportunityKind, Pathway, PathwayStep
from regulators.models import Profession
from talent.models import CareerStage, Dimension

# --- Shorthand ------------------------------------------------------------------------------------------------------
P = Profession
S = CareerStage
D = Dimension

DOCTOR_TRAINEES_PAST_FOUNDATION = [S.CORE_TRAINING, S.SPECIALTY_TRAINING, S.SAS]
AHPS = [
    P.ARTS_THERAPIST,
    P.PODIATRIST,
    P.DIETITIAN,
    P.OCCUPATIONAL_THERAPIST,
    P.OPERATING_DEPARTMENT_PRACTITIONER,
    P.ORTHOPTIST,
    P.PARAMEDIC,
    P.PHYSIOTHERAPIST,
    P.PROSTHETIST_ORTHOTIST,
    P.RADIOGRAPHER,
    P.SPEECH_AND_LANGUAGE_THERAPIST,
    P.OSTEOPATH,
]
LEADERSHIP_ACADEMY = "NHS Leadership Academy"
LEADERSHIP_ACADEMY_URL = "https://www.leadershipacademy.nhs.uk/"
FMLM = "Faculty of Medical Leadership and Management"
FMLM_URL = "https://www.fmlm.ac.uk/"
CHECK_WITH_PROVIDER = "\n\n*Dates and details here are illustrative: check them with the provider before you apply.*"

# --- Opportunities --------------------------------------------------------------------------------------------------
# `window` is (opens, closes) in days relative to the day the command runs.
OPPORTUNITIES: list[dict] = [
    {
        "slug": "national-medical-directors-clinical-fellow-scheme",
        "title": "National Medical Director's Clinical Fellow Scheme",
        "provider": FMLM,
        "kind": OpportunityKind.FELLOWSHIP,
        "summary": "A year out of clinical training working on national or organisational leadership projects "
        "alongside senior leaders.",
        "description": (
            "## What it involves\n\n"
            "Fellows spend **12 months** away from clinical training, placed with a national body or a healthcare "
            "organisation. They lead real projects, learn how policy is made and join a cohort-wide leadership "
            "development programme.\n\n"
            "## Who can apply\n\n"
            "- Doctors who have completed foundation training and hold full registration with a licence to practise\n"
            "- Doctors in training need agreement to take time **out of programme**\n"
        ),
        "link": FMLM_URL,
        "professions": [P.DOCTOR],
        "career_stages": DOCTOR_TRAINEES_PAST_FOUNDATION,
        "takes_trainee_out_of_programme": True,
        "places": 40,
        "window": (-20, 25),
    },
    {
        "slug": "chief-registrar-programme",
        "title": "Chief Registrar programme",
        "provider": "Royal College of Physicians",
        "kind": OpportunityKind.PROGRAMME,
        "summary": "A senior registrar role with 40 to 50% protected time for leadership, for 12 months, with a "
        "national development programme.",
        "description": (
            "## What it involves\n\n"
            "Chief registrars keep a clinical role while spending **40 to 50% of their time** on leadership: "
            "improving services, representing trainees and working with the executive team. The role lasts "
            "**12 months** and comes with a national programme of training days.\n\n"
            "## Who can apply\n\n"
            "- Doctors in specialty training at **ST4 or above**\n"
            "- Your employing organisation must support the post, so you need its nomination\n"
        ),
        "link": "https://www.rcp.ac.uk/",
        "professions": [P.DOCTOR],
        "career_stages": [S.SPECIALTY_TRAINING],
        "min_specialty_training_year": 4,
        "nomination_required": True,
        "places": 100,
        "window": (-10, 40),
    },
    {
        "slug": "chief-pharmaceutical-officers-clinical-fellow-scheme",
        "title": "Chief Pharmaceutical Officer's Clinical Fellow Scheme",
        "provider": FMLM,
        "kind": OpportunityKind.FELLOWSHIP,
        "summary": "A 12-month leadership fellowship for pharmacists, hosted by a national or local healthcare "
        "organisation.",
        "description": (
            "## What it involves\n\n"
            "A sister scheme to the National Medical Director's fellowship for pharmacists. Fellows spend a year "
            "on leadership projects in a host organisation and learn alongside fellows from other professions.\n\n"
            "## Who can apply\n\n"
            "- Registered pharmacists early in their career\n"
        ),
        "link": FMLM_URL,
        "professions": [P.PHARMACIST],
        "max_years_since_registration": 10,
        "places": 10,
        "window": (30, 75),
    },
    {
        "slug": "edward-jenner-programme",
        "title": "Edward Jenner programme",
        "provider": LEADERSHIP_ACADEMY,
        "kind": OpportunityKind.COURSE,
        "summary": "A free online introduction to leadership, open to everyone in health and care, studied at "
        "your own pace.",
        "description": (
            "## What it involves\n\n"
            "Short online modules on the foundations of leadership: understanding yourself, working with others "
            "and improving care. Most people complete it in a few weeks alongside their job.\n\n"
            "## Who can apply\n\n"
            "Anyone. There are no entry requirements.\n"
        ),
        "link": LEADERSHIP_ACADEMY_URL,
        "window": (-200, 165),
    },
    {
        "slug": "mary-seacole-programme",
        "title": "Mary Seacole programme",
        "provider": LEADERSHIP_ACADEMY,
        "kind": OpportunityKind.PROGRAMME,
        "summary": "A programme for people in, or about to take on, their first formal leadership role.",
        "description": (
            "## What it involves\n\n"
            "Blended online and group learning over several months, covering leading a team, looking after "
            "people and improving the service you work in. Leads to a recognised leadership award.\n\n"
            "## Who can apply\n\n"
            "First-time leaders, for example nurses, midwives and allied health professionals at bands 5 to 7 "
            "and doctors in training or in SAS roles taking on their first leadership responsibilities.\n"
        ),
        "link": LEADERSHIP_ACADEMY_URL,
        "career_stages": [S.BAND_5, S.BAND_6, S.BAND_7, S.CORE_TRAINING, S.SPECIALTY_TRAINING, S.SAS],
        "window": (14, 60),
    },
    {
        "slug": "rosalind-franklin-programme",
        "title": "Rosalind Franklin programme",
        "provider": LEADERSHIP_ACADEMY,
        "kind": OpportunityKind.PROGRAMME,
        "summary": "For mid-level leaders who lead teams or services and want to lead across boundaries.",
        "description": (
            "## What it involves\n\n"
            "A programme for leaders who already manage teams or services, focusing on leading change, working "
            "across organisations and inclusive leadership.\n\n"
            "## Who can apply\n\n"
            "Mid-level leaders, typically at bands 7 to 8a, or doctors at an equivalent level.\n"
        ),
        "link": LEADERSHIP_ACADEMY_URL,
        "career_stages": [S.BAND_7, S.BAND_8A, S.SAS, S.CONSULTANT_GP],
        "window": (-90, -30),
    },
    {
        "slug": "elizabeth-garrett-anderson-programme",
        "title": "Elizabeth Garrett Anderson programme",
        "provider": LEADERSHIP_ACADEMY,
        "kind": OpportunityKind.PROGRAMME,
        "summary": "A two-year, degree-level programme for mid to senior leaders of large teams and services.",
        "description": (
            "## What it involves\n\n"
            "About two years of part-time study combining workplace learning and academic work, leading to a "
            "master's degree in healthcare leadership. Your employer needs to support your study time.\n\n"
            "## Who can apply\n\n"
            "Senior clinical and non-clinical leaders, typically at bands 8a to 8c, and consultants or GPs "
            "with leadership responsibilities.\n"
        ),
        "link": LEADERSHIP_ACADEMY_URL,
        "career_stages": [S.BAND_8A, S.BAND_8B, S.BAND_8C, S.CONSULTANT_GP],
        "places": 60,
        "window": (-5, 30),
    },
    {
        "slug": "nye-bevan-programme",
        "title": "Nye Bevan programme",
        "provider": LEADERSHIP_ACADEMY,
        "kind": OpportunityKind.PROGRAMME,
        "summary": "For senior leaders preparing for an executive director role on a board.",
        "description": (
            "## What it involves\n\n"
            "An intensive programme of residential and group learning, board-level simulation and personal "
            "reflection for people aiming for an executive director post within a few years.\n\n"
            "## Who can apply\n\n"
            "Senior leaders, typically at band 8c and above or consultants in senior leadership posts, "
            "nominated by their organisation.\n"
        ),
        "link": LEADERSHIP_ACADEMY_URL,
        "career_stages": [S.BAND_8C, S.BAND_8D, S.BAND_9, S.CONSULTANT_GP],
        "min_years_since_registration": 10,
        "nomination_required": True,
        "places": 50,
        "window": (45, 90),
    },
    {
        "slug": "aspiring-chief-executive-programme",
        "title": "Aspiring Chief Executive programme",
        "provider": LEADERSHIP_ACADEMY,
        "kind": OpportunityKind.PROGRAMME,
        "summary": "For executive directors expecting to be ready for a chief executive role within 12 to 24 months.",
        "description": (
            "## What it involves\n\n"
            "Development for serving directors who intend to apply for a chief executive post in the next one to "
            "two years: system leadership, regulation, and the personal demands of the top job.\n\n"
            "## Who can apply\n\n"
            "Executive directors, including medical directors and chief nurses, with their chief executive's "
            "support.\n"
        ),
        "link": LEADERSHIP_ACADEMY_URL,
        "career_stages": [S.BAND_9, S.CONSULTANT_GP],
        "min_years_since_registration": 15,
        "nomination_required": True,
        "places": 25,
        "window": (-120, -60),
    },
    {
        "slug": "ready-now-programme",
        "title": "Ready Now programme",
        "provider": LEADERSHIP_ACADEMY,
        "kind": OpportunityKind.PROGRAMME,
        "summary": "A positive-action programme for senior leaders from ethnic minority backgrounds at band 8a and "
        "above.",
        "description": (
            "## What it involves\n\n"
            "A positive-action programme that helps senior leaders from Black, Asian and other ethnic minority "
            "backgrounds prepare for the most senior roles, with coaching and sponsorship from executives.\n\n"
            "## Who can apply\n\n"
            "- Staff at **band 8a or above**, or doctors at an equivalent level\n"
            "- From an ethnic minority background (this is a positive-action programme)\n"
            "- Nominated by your organisation\n"
        ),
        "link": LEADERSHIP_ACADEMY_URL,
        "career_stages": [S.BAND_8A, S.BAND_8B, S.BAND_8C, S.BAND_8D, S.BAND_9, S.CONSULTANT_GP],
        "nomination_required": True,
        "places": 30,
        "window": (-15, 20),
    },
    {
        "slug": "fmlm-associate-fellow",
        "title": "FMLM Associate Fellow",
        "provider": FMLM,
        "kind": OpportunityKind.FELLOWSHIP,
        "summary": "Recognition for doctors and dentists early in their leadership development.",
        "description": (
            "## What it involves\n\n"
            "An assessed grade of membership showing that you have started developing as a leader, with access "
            "to resources, events and a network of peers.\n\n"
            "## Who can apply\n\n"
            "Doctors and dentists in training or in SAS roles who can show early leadership experience.\n"
        ),
        "link": FMLM_URL,
        "professions": [P.DOCTOR, P.DENTIST],
        "window": (-300, 65),
    },
    {
        "slug": "fmlm-fellow",
        "title": "FMLM Fellow",
        "provider": FMLM,
        "kind": OpportunityKind.FELLOWSHIP,
        "summary": "Recognition for established leaders, assessed against professional leadership standards.",
        "description": (
            "## What it involves\n\n"
            "You submit evidence of your leadership practice, which is assessed against the faculty's leadership "
            "and management standards.\n\n"
            "## Who can apply\n\n"
            "Doctors and dentists with substantial leadership experience, usually consultants, GPs or senior SAS "
            "doctors.\n"
        ),
        "link": FMLM_URL,
        "professions": [P.DOCTOR, P.DENTIST],
        "career_stages": [S.SAS, S.CONSULTANT_GP],
        "min_years_since_registration": 8,
        "window": (-300, 65),
    },
    {
        "slug": "fmlm-senior-fellow",
        "title": "FMLM Senior Fellow",
        "provider": FMLM,
        "kind": OpportunityKind.FELLOWSHIP,
        "summary": "Recognition for leaders working at the most senior levels of organisations or systems.",
        "description": (
            "## What it involves\n\n"
            "The faculty's highest assessed grade, for leaders with a sustained record at board, system or "
            "national level.\n\n"
            "## Who can apply\n\n"
            "Senior medical and dental leaders, for example medical directors and national clinical leads.\n"
        ),
        "link": FMLM_URL,
        "professions": [P.DOCTOR, P.DENTIST],
        "career_stages": [S.CONSULTANT_GP],
        "min_years_since_registration": 15,
        "window": (-300, 65),
    },
    {
        "slug": "early-career-clinical-leadership-mentoring",
        "title": "Early-career clinical leadership mentoring",
        "provider": "NHS England regional leadership teams",
        "kind": OpportunityKind.MENTORING,
        "summary": "Six months of mentoring from an experienced clinical leader in another profession or organisation.",
        "description": (
            "## What it involves\n\n"
            "You are matched with a mentor who holds a senior clinical leadership role and meet about once a "
            "month for **six months**, online or in person. You set the agenda.\n\n"
            "## Who can apply\n\n"
            "Any registered clinician within five years of first registration.\n"
        ),
        "link": "https://www.england.nhs.uk/",
        "max_years_since_registration": 5,
        "places": 120,
        "window": (-30, 60),
    },
    {
        "slug": "integrated-care-board-clinical-leadership-secondment",
        "title": "Integrated care board clinical leadership secondment",
        "provider": "Integrated care boards",
        "kind": OpportunityKind.SECONDMENT,
        "summary": "A part-time secondment of 6 to 12 months into an integrated care board's clinical leadership team.",
        "description": (
            "## What it involves\n\n"
            "Two days a week for 6 to 12 months working on system-wide clinical priorities with the integrated care "
            "board's chief medical or nursing officer. You keep your clinical role for the rest of the week.\n\n"
            "## Who can apply\n\n"
            "Experienced registered clinicians of any profession, at least five years after first registration, "
            "with their employer's agreement.\n"
        ),
        "link": "https://www.england.nhs.uk/integratedcare/",
        "min_years_since_registration": 5,
        "nomination_required": True,
        "places": 6,
        "window": (7, 35),
    },
]


# --- Pathways -------------------------------------------------------------------------------------------------------
def step(title: str, description: str, duration: str, dimensions: list[str], opportunities: list[str] = ()) -> dict:
    return {
        "title": title,
        "description": description,
        "typical_duration": duration,
        "dimensions": [str(d) for d in dimensions],
        "opportunities": list(opportunities),
    }


PATHWAYS: list[dict] = [
    {
        "slug": "doctor-to-clinical-director",
        "title": "Doctor to clinical director",
        "summary": "From leadership projects in training to leading a clinical service as a consultant.",
        "professions": [P.DOCTOR],
        "target_role": "clinical-director",
        "body": (
            "Clinical directors lead a service or directorate: its quality, safety, people and money, working "
            "in partnership with a general manager. Most keep some clinical work.\n\n"
            "## Who this is for\n\nDoctors in training or early in a consultant or GP career who want to shape how "
            "a service runs."
        ),
        "steps": [
            step(
                "Lead an improvement project in training",
                "Take on a quality improvement project and see it through, including measuring the result.",
                "6 to 12 months",
                [D.LEADING_WITH_CARE, D.EVALUATING_INFORMATION],
                ["edward-jenner-programme", "fmlm-associate-fellow"],
            ),
            step(
                "Take a leadership role at ST4 or above",
                "Apply for a chief registrar post or a year-long clinical fellowship to lead change with senior "
                "support.",
                "12 months",
                [D.ENGAGING_THE_TEAM, D.CONNECTING_OUR_SERVICE],
                ["chief-registrar-programme", "national-medical-directors-clinical-fellow-scheme"],
            ),
            step(
                "Become a clinical lead as a new consultant",
                "Lead a team or pathway: rotas, guidelines, audit and the team's development.",
                "2 to 4 years",
                [D.DEVELOPING_CAPABILITY, D.HOLDING_TO_ACCOUNT],
                ["rosalind-franklin-programme"],
            ),
            step(
                "Apply for clinical director",
                "Take responsibility for a whole service, including its budget and performance, with a manager "
                "partner.",
                "3 to 5 year term",
                [D.SHARING_THE_VISION, D.INFLUENCING_FOR_RESULTS],
                ["elizabeth-garrett-anderson-programme", "fmlm-fellow"],
            ),
        ],
    },
    {
        "slug": "doctor-to-medical-director",
        "title": "Consultant to medical director",
        "summary": "From leading a service to the board, responsible for medical leadership and professional "
        "standards.",
        "professions": [P.DOCTOR],
        "target_role": "medical-director",
        "body": (
            "The medical director sits on the board and is accountable for medical professional standards, often "
            "acting as responsible officer for doctors' revalidation.\n\n"
            "## Who this is for\n\nConsultants and GPs who already lead a service and want a board role."
        ),
        "steps": [
            step(
                "Lead a service as clinical director",
                "Build a record of improving a service's quality, safety and finances.",
                "3 to 5 years",
                [D.HOLDING_TO_ACCOUNT, D.ENGAGING_THE_TEAM],
                ["elizabeth-garrett-anderson-programme"],
            ),
            step(
                "Take an organisation-wide portfolio",
                "Become an associate or deputy medical director for a theme such as safety, education or workforce.",
                "2 to 4 years",
                [D.CONNECTING_OUR_SERVICE, D.EVALUATING_INFORMATION],
                ["fmlm-fellow", "ready-now-programme"],
            ),
            step(
                "Prepare for the board",
                "Develop board-level skills: governance, regulation and holding others to account.",
                "1 to 2 years",
                [D.SHARING_THE_VISION, D.INFLUENCING_FOR_RESULTS],
                ["nye-bevan-programme"],
            ),
            step(
                "Apply for medical director",
                "Join the board as an executive director responsible for medical leadership.",
                "Ongoing",
                [D.INSPIRING_SHARED_PURPOSE, D.HOLDING_TO_ACCOUNT],
                ["fmlm-senior-fellow"],
            ),
        ],
    },
    {
        "slug": "doctor-to-associate-medical-director",
        "title": "Doctor in training to associate medical director",
        "summary": "Combine clinical work with an organisation-wide leadership portfolio.",
        "professions": [P.DOCTOR],
        "target_role": "associate-medical-director",
        "body": (
            "Associate and deputy medical directors lead a theme across the whole organisation on behalf of the "
            "medical director, usually alongside clinical work.\n\n"
            "## Who this is for\n\nDoctors who enjoy improvement, education or safety work beyond their own team."
        ),
        "steps": [
            step(
                "Take a national fellowship",
                "Spend a year out of programme working on leadership projects in a host organisation.",
                "12 months",
                [D.CONNECTING_OUR_SERVICE, D.INFLUENCING_FOR_RESULTS],
                ["national-medical-directors-clinical-fellow-scheme"],
            ),
            step(
                "Lead a theme in your department",
                "Become the lead for education, safety or audit in your department.",
                "2 to 3 years",
                [D.DEVELOPING_CAPABILITY, D.EVALUATING_INFORMATION],
                ["rosalind-franklin-programme", "fmlm-fellow"],
            ),
            step(
                "Apply for an associate medical director post",
                "Take an organisation-wide portfolio with dedicated sessions in your job plan.",
                "3 year term",
                [D.SHARING_THE_VISION, D.HOLDING_TO_ACCOUNT],
                ["elizabeth-garrett-anderson-programme"],
            ),
        ],
    },
    {
        "slug": "clinician-to-chief-clinical-information-officer",
        "title": "Clinician to chief clinical information officer",
        "summary": "From digital champion to leading the clinical side of an organisation's digital services.",
        "professions": [P.DOCTOR, P.NURSE, P.MIDWIFE, P.PHARMACIST, *AHPS],
        "target_role": "chief-clinical-information-officer",
        "body": (
            "Chief clinical information officers make sure digital systems support safe care and that clinicians "
            "shape them. The role is open to any registered clinician.\n\n"
            "## Who this is for\n\nClinicians interested in electronic records, data and digital safety."
        ),
        "steps": [
            step(
                "Become a digital champion",
                "Help colleagues with a new system and feed back what needs to change.",
                "6 to 12 months",
                [D.ENGAGING_THE_TEAM, D.LEADING_WITH_CARE],
                ["edward-jenner-programme"],
            ),
            step(
                "Lead clinical safety for a system",
                "Take responsibility for the clinical safety case of a digital change.",
                "1 to 2 years",
                [D.EVALUATING_INFORMATION, D.HOLDING_TO_ACCOUNT],
                ["early-career-clinical-leadership-mentoring"],
            ),
            step(
                "Take a chief clinical information officer deputy role",
                "Lead a programme of digital work across several services.",
                "2 to 3 years",
                [D.CONNECTING_OUR_SERVICE, D.SHARING_THE_VISION],
                ["rosalind-franklin-programme"],
            ),
            step(
                "Apply for chief clinical information officer",
                "Lead the clinical digital agenda for the organisation and advise the board.",
                "Ongoing",
                [D.INFLUENCING_FOR_RESULTS, D.INSPIRING_SHARED_PURPOSE],
                ["elizabeth-garrett-anderson-programme"],
            ),
        ],
    },
    {
        "slug": "nurse-to-chief-nurse",
        "title": "Nurse to chief nurse",
        "summary": "From ward leadership to the board as director of nursing.",
        "professions": [P.NURSE],
        "target_role": "chief-nurse",
        "body": (
            "The chief nurse, or director of nursing, leads nursing and midwifery across the organisation and is "
            "accountable to the board for patient experience, safeguarding and professional standards.\n\n"
            "## Who this is for\n\nRegistered nurses who want to lead care at scale. Time spent in leadership "
            "roles that rely on your nursing knowledge counts towards your revalidation practice hours."
        ),
        "steps": [
            step(
                "Lead a shift and a small project",
                "Take charge of shifts and lead a small improvement on your ward.",
                "1 to 2 years",
                [D.LEADING_WITH_CARE, D.ENGAGING_THE_TEAM],
                ["edward-jenner-programme", "early-career-clinical-leadership-mentoring"],
            ),
            step(
                "Become a ward or team manager",
                "Manage a ward or community team, including staffing, quality and budget.",
                "2 to 4 years",
                [D.DEVELOPING_CAPABILITY, D.HOLDING_TO_ACCOUNT],
                ["mary-seacole-programme"],
            ),
            step(
                "Lead a service as matron or head of nursing",
                "Lead nursing across several wards or a division.",
                "3 to 5 years",
                [D.CONNECTING_OUR_SERVICE, D.EVALUATING_INFORMATION],
                ["rosalind-franklin-programme", "elizabeth-garrett-anderson-programme"],
            ),
            step(
                "Become deputy chief nurse",
                "Lead organisation-wide nursing priorities and deputise at board.",
                "2 to 3 years",
                [D.SHARING_THE_VISION, D.INFLUENCING_FOR_RESULTS],
                ["nye-bevan-programme", "ready-now-programme"],
            ),
            step(
                "Apply for chief nurse",
                "Join the board as executive director of nursing.",
                "Ongoing",
                [D.INSPIRING_SHARED_PURPOSE, D.HOLDING_TO_ACCOUNT],
                ["aspiring-chief-executive-programme"],
            ),
        ],
    },
    {
        "slug": "midwife-to-director-of-midwifery",
        "title": "Midwife to director of nursing and midwifery",
        "summary": "From leading births on a unit to leading maternity services and the board's midwifery voice.",
        "professions": [P.MIDWIFE],
        "target_role": "chief-nurse",
        "body": (
            "Senior midwifery leaders lead maternity safety and quality across an organisation. Some go on to a "
            "combined director of nursing and midwifery role on the board.\n\n"
            "## Who this is for\n\nRegistered midwives who want to improve maternity care beyond their own unit."
        ),
        "steps": [
            step(
                "Coordinate a labour ward shift",
                "Take charge of a busy unit, making safe decisions about staffing and escalation.",
                "1 to 2 years",
                [D.LEADING_WITH_CARE, D.ENGAGING_THE_TEAM],
                ["early-career-clinical-leadership-mentoring"],
            ),
            step(
                "Lead a maternity team or specialist service",
                "Manage a team or lead a specialist area such as safeguarding or bereavement care.",
                "2 to 4 years",
                [D.DEVELOPING_CAPABILITY, D.EVALUATING_INFORMATION],
                ["mary-seacole-programme"],
            ),
            step(
                "Become a head of midwifery",
                "Lead midwifery across the organisation and report on maternity safety to the board.",
                "3 to 5 years",
                [D.HOLDING_TO_ACCOUNT, D.CONNECTING_OUR_SERVICE],
                ["elizabeth-garrett-anderson-programme"],
            ),
            step(
                "Apply for director of midwifery or of nursing and midwifery",
                "Lead maternity at board level and across the local system.",
                "Ongoing",
                [D.SHARING_THE_VISION, D.INFLUENCING_FOR_RESULTS],
                ["nye-bevan-programme"],
            ),
        ],
    },
    {
        "slug": "ahp-to-chief-ahp",
        "title": "Allied health professional to chief AHP",
        "summary": "From leading a therapy or diagnostic team to representing every allied health profession at board.",
        "professions": AHPS,
        "target_role": "chief-ahp",
        "body": (
            "Chief allied health professions officers lead the allied health workforce across an organisation and "
            "make sure its expertise shapes services and strategy.\n\n"
            "## Who this is for\n\nPhysiotherapists, occupational therapists, paramedics, radiographers, "
            "dietitians, speech and language therapists and the other allied health professions."
        ),
        "steps": [
            step(
                "Supervise students and junior colleagues",
                "Take on clinical supervision and lead a small service improvement.",
                "1 to 2 years",
                [D.DEVELOPING_CAPABILITY, D.LEADING_WITH_CARE],
                ["edward-jenner-programme", "early-career-clinical-leadership-mentoring"],
            ),
            step(
                "Lead a team as a band 7",
                "Manage a team's caseload, quality and people.",
                "2 to 4 years",
                [D.ENGAGING_THE_TEAM, D.HOLDING_TO_ACCOUNT],
                ["mary-seacole-programme", "rosalind-franklin-programme"],
            ),
            step(
                "Lead a profession or service",
                "Become professional lead for your profession or manager of a multi-professional service.",
                "3 to 5 years",
                [D.CONNECTING_OUR_SERVICE, D.SHARING_THE_VISION],
                ["elizabeth-garrett-anderson-programme"],
            ),
            step(
                "Apply for chief AHP",
                "Lead all the allied health professions in the organisation and advise the board.",
                "Ongoing",
                [D.INFLUENCING_FOR_RESULTS, D.INSPIRING_SHARED_PURPOSE],
                ["nye-bevan-programme", "ready-now-programme"],
            ),
        ],
    },
    {
        "slug": "ahp-to-clinical-lead",
        "title": "Allied health professional to clinical lead",
        "summary": "Take your first formal leadership role while keeping a clinical caseload.",
        "professions": AHPS,
        "target_role": "clinical-lead",
        "body": (
            "Clinical leads lead the clinical work of a team and usually keep a caseload. It is often the first "
            "formal leadership role.\n\n## Who this is for\n\nAllied health professionals a few years after "
            "qualifying."
        ),
        "steps": [
            step(
                "Learn the basics of leadership",
                "Complete an introduction to leadership and find a mentor.",
                "3 to 6 months",
                [D.LEADING_WITH_CARE, D.ENGAGING_THE_TEAM],
                ["edward-jenner-programme", "early-career-clinical-leadership-mentoring"],
            ),
            step(
                "Lead an audit or improvement",
                "Measure something in your service, change it and measure again.",
                "6 to 12 months",
                [D.EVALUATING_INFORMATION, D.DEVELOPING_CAPABILITY],
                ["mary-seacole-programme"],
            ),
            step(
                "Apply for a clinical lead post",
                "Lead the clinical work of your team, including guidelines and supervision.",
                "Ongoing",
                [D.HOLDING_TO_ACCOUNT, D.SHARING_THE_VISION],
            ),
        ],
    },
    {
        "slug": "pharmacist-to-chief-pharmacist",
        "title": "Pharmacist to chief pharmacist",
        "summary": "From specialist pharmacist to leading medicines safety and pharmacy services for an organisation.",
        "professions": [P.PHARMACIST],
        "target_role": "chief-pharmacist",
        "body": (
            "The chief pharmacist leads pharmacy services and is accountable for the safe and secure use of "
            "medicines across the organisation.\n\n## Who this is for\n\nRegistered pharmacists in hospital, "
            "community or primary care."
        ),
        "steps": [
            step(
                "Lead medicines optimisation on a ward or in a practice",
                "Become the pharmacist others turn to for a clinical area and lead an improvement.",
                "1 to 3 years",
                [D.LEADING_WITH_CARE, D.EVALUATING_INFORMATION],
                ["edward-jenner-programme"],
            ),
            step(
                "Take a national or system fellowship",
                "Spend a year on leadership projects in a host organisation.",
                "12 months",
                [D.CONNECTING_OUR_SERVICE, D.INFLUENCING_FOR_RESULTS],
                ["chief-pharmaceutical-officers-clinical-fellow-scheme"],
            ),
            step(
                "Lead a pharmacy team or medicines safety",
                "Become lead pharmacist for a division or the medication safety officer.",
                "3 to 5 years",
                [D.HOLDING_TO_ACCOUNT, D.DEVELOPING_CAPABILITY],
                ["rosalind-franklin-programme", "elizabeth-garrett-anderson-programme"],
            ),
            step(
                "Apply for chief pharmacist",
                "Lead pharmacy services and medicines governance for the organisation.",
                "Ongoing",
                [D.SHARING_THE_VISION, D.INSPIRING_SHARED_PURPOSE],
                ["nye-bevan-programme"],
            ),
        ],
    },
    {
        "slug": "dentist-to-clinical-director",
        "title": "Dentist to clinical director of dental services",
        "summary": "From general or hospital dentistry to leading a dental service.",
        "professions": [P.DENTIST],
        "target_role": "clinical-director",
        "body": (
            "Clinical directors of dental services lead community, hospital or specialist dental care: its "
            "quality, safety and workforce.\n\n## Who this is for\n\nDentists in practice, community or hospital "
            "services who want to lead beyond their own surgery."
        ),
        "steps": [
            step(
                "Lead a practice improvement or audit",
                "Lead a clinical audit or improvement in your practice or department.",
                "6 to 12 months",
                [D.EVALUATING_INFORMATION, D.LEADING_WITH_CARE],
                ["edward-jenner-programme", "fmlm-associate-fellow"],
            ),
            step(
                "Take a local leadership role",
                "Join a local dental network or committee, or become an educational supervisor.",
                "2 to 3 years",
                [D.CONNECTING_OUR_SERVICE, D.DEVELOPING_CAPABILITY],
                ["early-career-clinical-leadership-mentoring", "fmlm-fellow"],
            ),
            step(
                "Apply for clinical director",
                "Lead a dental service, with responsibility for its quality and performance.",
                "3 to 5 year term",
                [D.HOLDING_TO_ACCOUNT, D.SHARING_THE_VISION],
                ["elizabeth-garrett-anderson-programme"],
            ),
        ],
    },
    {
        "slug": "clinician-to-chief-operating-officer",
        "title": "Clinician to chief operating officer",
        "summary": "From running a clinical service to running the whole organisation's operations.",
        "professions": [],
        "target_role": "chief-operating-officer",
        "body": (
            "Chief operating officers are accountable for how services perform day to day: access, flow and "
            "delivery. Clinicians bring insight into how care really works.\n\n## Who this is for\n\n"
            "Clinicians of any profession with experience of running services."
        ),
        "steps": [
            step(
                "Manage a service",
                "Take operational responsibility for a service alongside or instead of clinical work.",
                "2 to 4 years",
                [D.HOLDING_TO_ACCOUNT, D.EVALUATING_INFORMATION],
                ["rosalind-franklin-programme"],
            ),
            step(
                "Lead a division",
                "Lead a division's performance, people and budget as divisional director.",
                "3 to 5 years",
                [D.CONNECTING_OUR_SERVICE, D.ENGAGING_THE_TEAM],
                ["elizabeth-garrett-anderson-programme", "ready-now-programme"],
            ),
            step(
                "Prepare for an executive role",
                "Deputise for the chief operating officer and build board experience.",
                "1 to 2 years",
                [D.SHARING_THE_VISION, D.INFLUENCING_FOR_RESULTS],
                ["nye-bevan-programme"],
            ),
        ],
    },
    {
        "slug": "clinician-to-chief-executive",
        "title": "Clinician to chief executive",
        "summary": "From an executive director post to leading a whole organisation.",
        "professions": [],
        "target_role": "chief-executive",
        "body": (
            "A growing number of chief executives are clinicians. The route usually passes through a clinical "
            "executive role such as medical director or chief nurse.\n\n## Who this is for\n\nExecutive "
            "directors of any clinical background."
        ),
        "steps": [
            step(
                "Serve as an executive director",
                "Hold a board portfolio such as medical director, chief nurse or chief operating officer.",
                "3 to 5 years",
                [D.HOLDING_TO_ACCOUNT, D.SHARING_THE_VISION],
                ["nye-bevan-programme"],
            ),
            step(
                "Lead beyond your portfolio",
                "Deputise for the chief executive and lead system-wide work with partners.",
                "1 to 3 years",
                [D.CONNECTING_OUR_SERVICE, D.INFLUENCING_FOR_RESULTS],
                ["ready-now-programme", "fmlm-senior-fellow"],
            ),
            step(
                "Prepare for the top job",
                "Take a programme for people expecting to apply for chief executive within two years.",
                "12 to 24 months",
                [D.INSPIRING_SHARED_PURPOSE, D.DEVELOPING_CAPABILITY],
                ["aspiring-chief-executive-programme"],
            ),
        ],
    },
    {
        "slug": "clinician-to-system-clinical-leader",
        "title": "Clinician to integrated care system clinical leader",
        "summary": "Lead clinical strategy across the organisations of an integrated care system.",
        "professions": [P.DOCTOR, P.NURSE, P.MIDWIFE, P.PHARMACIST, P.DENTIST, *AHPS],
        "target_role": "system-clinical-lead",
        "body": (
            "System clinical leaders, such as an integrated care board's chief medical or nursing officer, shape "
            "services across hospitals, primary care, community and social care.\n\n## Who this is for\n\n"
            "Experienced clinical leaders who want to work across organisational boundaries."
        ),
        "steps": [
            step(
                "Lead across a pathway",
                "Lead a clinical pathway that crosses primary, community and hospital care.",
                "2 to 3 years",
                [D.CONNECTING_OUR_SERVICE, D.ENGAGING_THE_TEAM],
                ["rosalind-franklin-programme"],
            ),
            step(
                "Take a system secondment",
                "Spend part of your week with the integrated care board's clinical leadership team.",
                "6 to 12 months",
                [D.INFLUENCING_FOR_RESULTS, D.EVALUATING_INFORMATION],
                ["integrated-care-board-clinical-leadership-secondment"],
            ),
            step(
                "Become a system clinical lead",
                "Lead a system-wide programme such as urgent care or population health.",
                "2 to 4 years",
                [D.SHARING_THE_VISION, D.HOLDING_TO_ACCOUNT],
                ["nye-bevan-programme"],
            ),
            step(
                "Apply for an integrated care board executive role",
                "Join the integrated care board as its chief medical, nursing or clinical officer.",
                "Ongoing",
                [D.INSPIRING_SHARED_PURPOSE, D.DEVELOPING_CAPABILITY],
            ),
        ],
    },
]


# --- Loading --------------------------------------------------------------------------------------------------------
@dataclass
class LoadCounts:
    opportunities_created: int = 0
    opportunities_updated: int = 0
    pathways_created: int = 0
    pathways_updated: int = 0
    steps: int = 0

    def __str__(self) -> str:
        return (
            f"Opportunities: {self.opportunities_created} created, {self.opportunities_updated} updated. "
            f"Pathways: {self.pathways_created} created, {self.pathways_updated} updated ({self.steps} steps). "
            "All published."
        )


def _opportunity_defaults(data: dict, today: date) -> dict:
    opens, closes = data["window"]
    fields = {key: value for key, value in data.items() if key not in {"slug", "window"}}
    fields["description"] = data["description"] + CHECK_WITH_PROVIDER
    fields.setdefault("professions", [])
    fields.setdefault("career_stages", [])
    fields.setdefault("min_specialty_training_year", None)
    fields.setdefault("min_years_since_registration", None)
    fields.setdefault("max_years_since_registration", None)
    fields.setdefault("takes_trainee_out_of_programme", False)
    fields.setdefault("nomination_required", False)
    fields.setdefault("places", None)
    fields["professions"] = [str(code) for code in fields["professions"]]
    fields["career_stages"] = [str(code) for code in fields["career_stages"]]
    fields["opens_on"] = today + timedelta(days=opens)
    fields["closes_on"] = today + timedelta(days=closes)
    return fields


def _publish(obj) -> None:
    """Publish new starter items; an existing item keeps the status an editor gave it, even on --refresh."""
    if obj._state.adding:
        obj.status = ContentStatus.PUBLISHED
    if obj.status == ContentStatus.PUBLISHED and obj.published_at is None:
        obj.published_at = timezone.now()


@transaction.atomic
def starter_content_load(*, today: date | None = None, refresh: bool = False) -> LoadCounts:
    """Create the starter opportunities and pathways that are missing (by slug), published. Items that exist are
    left as editors made them, unless `refresh` asks to overwrite them (and move the demo windows to today)."""
    today = today or timezone.localdate()
    counts = LoadCounts()
    opportunities: dict[str, Opportunity] = {}
    for data in OPPORTUNITIES:
        opportunity = Opportunity.objects.filter(slug=data["slug"]).first()
        created = opportunity is None
        if not created and not refresh:
            opportunities[opportunity.slug] = opportunity
            continue
        opportunity = opportunity or Opportunity(slug=data["slug"])
        for name, value in _opportunity_defaults(data, today).items():
            setattr(opportunity, name, value)
        _publish(opportunity)
        opportunity.full_clean()
        opportunity.save()
        opportunities[opportunity.slug] = opportunity
        if created:
            counts.opportunities_created += 1
        else:
            counts.opportunities_updated += 1

    roles = {role.slug: role for role in LeadershipRole.objects.all()}
    for data in PATHWAYS:
        pathway = Pathway.objects.filter(slug=data["slug"]).first()
        created = pathway is None
        if not created and not refresh:
            continue
        pathway = pathway or Pathway(slug=data["slug"])
        pathway.title = data["title"]
        pathway.summary = data["summary"]
        pathway.body = data["body"]
        pathway.professions = [str(code) for code in data["professions"]]
        pathway.target_role = roles[data["target_role"]]
        _publish(pathway)
        pathway.full_clean()
        pathway.save()
        for order, step_data in enumerate(data["steps"], start=1):
            pathway_step, _ = PathwayStep.objects.update_or_create(
                pathway=pathway,
                order=order,
                defaults={
                    "title": step_data["title"],
                    "description": step_data["description"],
                    "typical_duration": step_data["typical_duration"],
                    "dimensions": step_data["dimensions"],
                },
            )
            pathway_step.suggested_opportunities.set([opportunities[slug] for slug in step_data["opportunities"]])
            counts.steps += 1
        PathwayStep.objects.filter(pathway=pathway, order__gt=len(data["steps"])).delete()
        if created:
            counts.pathways_created += 1
        else:
            counts.pathways_updated += 1
    return counts
