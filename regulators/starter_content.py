"""Starter licence guidance for senior leaders, in this project's own words from the facts in DESIGN.md section 7.

Each item links to the regulator's own page, which is the authority. Loaded by `python manage.py load_guidance` (and by
`load_starter_content`, which `seed_demo` runs); then content editors keep it current in the admin site.

IMPORTANT: this is a summary to help clinicians find the right questions to ask, not the regulators' wording. Check
every detail against the linked page before relying on it, and review each item at least yearly.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from pathways.models import LeadershipRole, RoleLevel
from regulators.models import GuidanceStatus, GuidanceTopic, LicenceGuidance, LicenceGuidanceVersion, Regulator

T = GuidanceTopic
SENIOR = [RoleLevel.ORGANISATION, RoleLevel.SYSTEM, RoleLevel.NATIONAL]
ALL_LEADERS = [RoleLevel.SERVICE, *SENIOR]
CHECK = (
    "\n\n*This is a summary in our words. The regulator's own page is the authority: check it before you rely on it.*"
)

GUIDANCE: list[dict] = [
    # --- GMC ---------------------------------------------------------------------------------------------------------
    {
        "regulator": "GMC",
        "slug": "keeping-your-licence-in-a-senior-role",
        "title": "Keeping your licence to practise in a senior leadership role",
        "summary": "Doctors in medical director and other board roles can keep their licence: they revalidate every "
        "five years like any other licensed doctor.",
        "topics": [T.KEEPING_LICENCE, T.REVALIDATION, T.RESPONSIBLE_OFFICER],
        "role_levels": SENIOR,
        "roles": ["medical-director", "associate-medical-director", "chief-executive"],
        "source_url": "https://www.gmc-uk.org/registration-and-licensing/managing-your-registration/revalidation",
        "body": (
            "## What the licence needs\n\n"
            "A licence to practise lets a doctor do things only licensed doctors may do, such as prescribe. To keep "
            "it, a doctor **revalidates every five years**. Revalidation rests on:\n\n"
            "- an **annual appraisal** covering the whole of your practice\n"
            "- supporting information: CPD, quality improvement, significant events, feedback from colleagues and "
            "patients, and compliments and complaints\n"
            "- a **recommendation** to the GMC from the **responsible officer** of your **designated body** "
            "(usually the organisation you work for most)\n\n"
            "Doctors in training revalidate through their ARCP instead, and their designated body is their "
            "local office or deanery."
        ),
        "senior_leaders": (
            "A senior role does not end your licence. If you keep it, your appraisal must cover **everything you "
            "do**, leadership included, and you need supporting information for each part of your practice.\n\n"
            "- If you become a **medical director**, you may become your organisation's responsible officer. You "
            "cannot make your own recommendation: your responsible officer is then usually at NHS England (a "
            "higher-level responsible officer).\n"
            "- If you stop clinical work, tell your appraiser and responsible officer; you can keep the licence "
            "if the work you do needs it, or give it up and stay registered (see licence and registration).\n"
            "- Record the date your revalidation is due and check it each year at appraisal."
        ),
    },
    {
        "regulator": "GMC",
        "slug": "leadership-work-and-revalidation",
        "title": "Counting your leadership work towards revalidation",
        "summary": "Leadership and management are part of a doctor's scope of practice: appraise them and bring "
        "evidence for them, as for clinical work.",
        "topics": [T.REVALIDATION, T.CPD, T.SCOPE_OF_PRACTICE],
        "role_levels": ALL_LEADERS,
        "roles": [],
        "source_url": "https://www.gmc-uk.org/professional-standards",
        "body": (
            "## Your whole scope of practice\n\n"
            "Your appraisal covers every role you hold as a doctor: clinical work, teaching, research, and "
            "leadership and management. Each role needs supporting information.\n\n"
            "## Evidence that suits leadership work\n\n"
            "- CPD in leadership: programmes, fellowships, coaching, reading and reflection\n"
            "- quality improvement you led, with its results\n"
            "- colleague feedback from the people you lead and work with at board or system level\n"
            "- significant events and complaints that involved your leadership decisions"
        ),
        "senior_leaders": (
            "In a senior role, leadership may be most of your work. Agree with your appraiser early which "
            "colleague-feedback tool and which evidence suit your role, and keep a short reflective note for each "
            "major decision. If you still practise clinically, even a little, that practice needs evidence too."
        ),
    },
    {
        "regulator": "GMC",
        "slug": "licence-and-registration",
        "title": "Licence to practise and registration are not the same",
        "summary": "A doctor can stay on the GMC register without a licence to practise, for example in a role "
        "that does not need one.",
        "topics": [T.KEEPING_LICENCE, T.SCOPE_OF_PRACTICE],
        "role_levels": SENIOR,
        "roles": [],
        "source_url": "https://www.gmc-uk.org/registration-and-licensing",
        "body": (
            "## Two separate things\n\n"
            "- **Registration** shows you are a qualified doctor in good standing.\n"
            "- A **licence to practise** lets you do what the law reserves for licensed doctors, such as "
            "prescribing or signing certain certificates. Only licensed doctors revalidate.\n\n"
            "You can give up your licence and stay registered; you can later apply to have it restored."
        ),
        "senior_leaders": (
            "Some board and national roles do not need a licence. Before you give it up, check with your employer "
            "whether your role (or one you are aiming for) requires a licensed doctor, and think about returning "
            "to practice later: restoring a licence takes time and evidence."
        ),
    },
    {
        "regulator": "GMC",
        "slug": "returning-to-clinical-practice",
        "title": "Returning to clinical practice after a leadership role",
        "summary": "Doctors returning after time away from clinical work should plan their return with their "
        "responsible officer and employer.",
        "topics": [T.RETURNING, T.KEEPING_LICENCE],
        "role_levels": SENIOR,
        "roles": [],
        "source_url": "https://www.gmc-uk.org/registration-and-licensing",
        "body": (
            "## Planning your return\n\n"
            "If you have spent time in a role without clinical work, your skills may need refreshing before you "
            "practise again. Agree a return plan with your responsible officer and your employer: supervised "
            "practice, a refresher, and extra supporting information at your next appraisal.\n\n"
            "If you gave up your licence, you apply to the GMC to restore it."
        ),
        "senior_leaders": (
            "Keep a small amount of clinical work while you lead if you can: it is the easiest way to keep your "
            "skills and make a return simple. Talk about your plans at every appraisal."
        ),
    },
    # --- NMC ---------------------------------------------------------------------------------------------------------
    {
        "regulator": "NMC",
        "slug": "revalidation-in-a-leadership-role",
        "title": "Revalidating as a nurse or midwife in a leadership role",
        "summary": "Hours in leadership roles that rely on your nursing or midwifery knowledge count as practice "
        "hours for revalidation every three years.",
        "topics": [T.REVALIDATION, T.KEEPING_LICENCE, T.SCOPE_OF_PRACTICE],
        "role_levels": SENIOR,
        "roles": ["chief-nurse"],
        "source_url": "https://www.nmc.org.uk/revalidation/",
        "body": (
            "## Every three years you need\n\n"
            "- **450 practice hours** (900 if you are registered as both a nurse and a midwife)\n"
            "- **35 hours of CPD**, of which **20 participatory** (learning with others)\n"
            "- **5 pieces of practice-related feedback**\n"
            "- **5 written reflective accounts**\n"
            "- a **reflective discussion** with another NMC registrant\n"
            "- health and character declarations, and professional indemnity\n"
            "- **confirmation** by a confirmer"
        ),
        "senior_leaders": (
            "Practice is not only direct patient care. **Hours in leadership, management, education or policy "
            "roles count when the role relies on your nursing or midwifery knowledge and skills**, so a chief "
            "nurse or director of nursing can usually revalidate on the strength of their leadership work. Keep "
            "a log of those hours, and feedback and reflections that show your professional knowledge in use."
        ),
    },
    {
        "regulator": "NMC",
        "slug": "your-confirmer",
        "title": "Your confirmer when you are a senior leader",
        "summary": "Someone must confirm you have met the revalidation requirements; ideally your line manager, "
        "who need not be a nurse or midwife.",
        "topics": [T.RESPONSIBLE_OFFICER, T.REVALIDATION],
        "role_levels": SENIOR,
        "roles": [],
        "source_url": "https://www.nmc.org.uk/revalidation/",
        "body": (
            "## Who confirms\n\n"
            "A confirmer looks at your evidence and confirms you have met the requirements. It is best done by "
            "your line manager. If your line manager is not an NMC registrant, your reflective discussion must "
            "still be with one."
        ),
        "senior_leaders": (
            "At board level your line manager is usually the chief executive, who can be your confirmer. Arrange "
            "your reflective discussion with another nurse or midwife, for example a peer on another board."
        ),
    },
    {
        "regulator": "NMC",
        "slug": "returning-to-practice",
        "title": "Returning to nursing or midwifery practice",
        "summary": "If you could not meet the practice hours, a return to practice course brings you back onto "
        "the register.",
        "topics": [T.RETURNING, T.KEEPING_LICENCE],
        "role_levels": SENIOR,
        "roles": [],
        "source_url": "https://www.nmc.org.uk/registration/returning-to-the-register/",
        "body": (
            "## When you need a return to practice course\n\n"
            "If your registration lapsed, or you cannot meet the practice hours for revalidation, you can return "
            "through an approved return to practice course or a test of competence."
        ),
        "senior_leaders": (
            "Count your leadership hours carefully before deciding you cannot revalidate: many senior roles rely "
            "on nursing knowledge and count. If they do not, plan some clinical sessions before your renewal date."
        ),
    },
    # --- HCPC --------------------------------------------------------------------------------------------------------
    {
        "regulator": "HCPC",
        "slug": "renewal-and-cpd-in-leadership",
        "title": "Renewing HCPC registration in a leadership role",
        "summary": "HCPC registrants renew every two years and must meet the CPD standards; 2.5% of each "
        "profession are audited at random.",
        "topics": [T.REVALIDATION, T.CPD, T.SCOPE_OF_PRACTICE],
        "role_levels": SENIOR,
        "roles": ["chief-ahp"],
        "source_url": "https://www.hcpc-uk.org/cpd/",
        "body": (
            "## Every two years\n\n"
            "You renew your registration and declare you meet the standards of proficiency and of CPD. If you are "
            "chosen for audit (2.5% of each profession), you send a CPD profile showing your learning and how it "
            "benefits your practice and the people who use your services."
        ),
        "senior_leaders": (
            "Your scope of practice can change to leadership, management or education: that is still practice. "
            "Keep CPD records that show how your leadership learning improves services, so an audit is easy."
        ),
    },
    {
        "regulator": "HCPC",
        "slug": "returning-to-practice",
        "title": "Returning to practice as an allied health professional",
        "summary": "After two years or more out of practice, you update your skills before you practise again.",
        "topics": [T.RETURNING],
        "role_levels": SENIOR,
        "roles": [],
        "source_url": "https://www.hcpc-uk.org/registration/",
        "body": (
            "## Updating your skills\n\n"
            "If you have been out of practice for two years or more, you complete a period of updating (private "
            "study, supervised practice or formal study) before you practise again; the longer away, the more."
        ),
        "senior_leaders": (
            "A leadership role within your scope of practice keeps you practising. If your role no longer uses "
            "your professional skills, plan your return before you need it."
        ),
    },
    # --- GPhC --------------------------------------------------------------------------------------------------------
    {
        "regulator": "GPhC",
        "slug": "revalidation-in-a-leadership-role",
        "title": "Pharmacy revalidation when you lead",
        "summary": "Pharmacists and pharmacy technicians renew every year with 4 CPD records, 1 peer discussion "
        "and 1 reflective account.",
        "topics": [T.REVALIDATION, T.CPD],
        "role_levels": SENIOR,
        "roles": ["chief-pharmacist"],
        "source_url": "https://www.pharmacyregulation.org/",
        "body": (
            "## Every year\n\n"
            "- **4 CPD records**, at least 2 of them planned learning\n"
            "- **1 peer discussion**\n"
            "- **1 reflective account** on the standards for pharmacy professionals"
        ),
        "senior_leaders": (
            "Records can come from your leadership work: planning a service change, leading a team through an "
            "incident, or learning from a programme. Choose a peer who understands your role, not necessarily a "
            "pharmacist."
        ),
    },
    {
        "regulator": "GPhC",
        "slug": "returning-to-practice",
        "title": "Returning to pharmacy practice",
        "summary": "If you left the register, you apply to restore your registration and show you are fit to practise.",
        "topics": [T.RETURNING, T.KEEPING_LICENCE],
        "role_levels": SENIOR,
        "roles": [],
        "source_url": "https://www.pharmacyregulation.org/",
        "body": (
            "## Restoring your registration\n\n"
            "Pharmacy professionals who left the register apply to restore it, with evidence that their "
            "knowledge and skills are up to date."
        ),
        "senior_leaders": (
            "Staying registered while you lead is usually simpler than restoring later: yearly revalidation can be "
            "met with leadership work if you reflect on how it relates to the standards."
        ),
    },
    # --- GDC ---------------------------------------------------------------------------------------------------------
    {
        "regulator": "GDC",
        "slug": "renewal-and-cpd-in-leadership",
        "title": "Dental registration and CPD when you lead",
        "summary": "Dentists and dental care professionals renew every year within a five-year CPD cycle.",
        "topics": [T.REVALIDATION, T.CPD],
        "role_levels": SENIOR,
        "roles": [],
        "source_url": "https://www.gdc-uk.org/",
        "body": (
            "## The cycle\n\n"
            "You renew every year and declare your CPD hours. Over five years you need **100 hours** as a dentist, "
            "**75** as a dental therapist or hygienist, and **50** as a dental nurse or technician, with a personal "
            "development plan."
        ),
        "senior_leaders": (
            "Leadership and management learning can count when it links to the GDC's development outcomes, such "
            "as managing yourself and others. Keep your development plan current as your role changes."
        ),
    },
    {
        "regulator": "GDC",
        "slug": "returning-to-practice",
        "title": "Returning to dental practice",
        "summary": "Plan your return after time away from clinical dentistry, with refresher training where needed.",
        "topics": [T.RETURNING],
        "role_levels": SENIOR,
        "roles": [],
        "source_url": "https://www.gdc-uk.org/",
        "body": (
            "## Before you return\n\n"
            "If you stayed registered but did not practise, think about which skills need refreshing and arrange "
            "supervised or refresher practice. If you left the register, you apply to restore your registration."
        ),
        "senior_leaders": (
            "Keep up your CPD hours while you lead, so staying on the register is straightforward, and talk to an "
            "experienced colleague before your first clinical sessions back."
        ),
    },
]


@dataclass
class GuidanceLoadCounts:
    created: int = 0
    updated: int = 0

    def __str__(self) -> str:
        return f"Licence guidance: {self.created} created, {self.updated} updated."


@transaction.atomic
def guidance_starter_content_load(*, refresh: bool = False, today: date | None = None) -> GuidanceLoadCounts:
    """Create the starter guidance items that are missing, each with a published first version. With `refresh`,
    overwrite the newest version's words of existing starter items (editors' later versions are left alone when
    they are not from the starter content: only version 1 is refreshed)."""
    today = today or timezone.localdate()
    counts = GuidanceLoadCounts()
    regulators = {regulator.code: regulator for regulator in Regulator.objects.all()}
    roles = {role.slug: role for role in LeadershipRole.objects.all()}
    for data in GUIDANCE:
        guidance, _ = LicenceGuidance.objects.get_or_create(regulator=regulators[data["regulator"]], slug=data["slug"])
        version = guidance.versions.filter(number=1).first()
        if version is not None and not refresh:
            continue
        is_new = version is None
        version = version or LicenceGuidanceVersion(guidance=guidance, number=1)
        version.title = data["title"]
        version.summary = data["summary"]
        version.body = data["body"] + CHECK
        version.senior_leaders = data["senior_leaders"]
        version.topics = [str(code) for code in data["topics"]]
        version.role_levels = [str(level) for level in data["role_levels"]]
        version.source_url = data["source_url"]
        version.effective_from = version.effective_from or today
        version.last_reviewed_on = version.last_reviewed_on or today
        if is_new and not guidance.versions.filter(status=GuidanceStatus.PUBLISHED).exists():
            version.status = GuidanceStatus.PUBLISHED
            version.published_at = timezone.now()
        version.full_clean()
        version.save()
        version.roles.set([roles[slug] for slug in data["roles"]])
        if is_new:
            counts.created += 1
        else:
            counts.updated += 1
    return counts
