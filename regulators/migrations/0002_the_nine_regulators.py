"""The nine regulators of the clinical professions (DESIGN.md section 7).

Number formats are checks of shape only, to catch typing mistakes; the registers themselves are the truth.
"""

from django.db import migrations

HCPC_PROFESSIONS = [
    "arts_therapist",
    "biomedical_scientist",
    "podiatrist",
    "clinical_scientist",
    "dietitian",
    "hearing_aid_dispenser",
    "occupational_therapist",
    "operating_department_practitioner",
    "orthoptist",
    "paramedic",
    "physiotherapist",
    "practitioner_psychologist",
    "prosthetist_orthotist",
    "radiographer",
    "speech_and_language_therapist",
]

REGULATORS = [
    {
        "code": "GMC",
        "name": "General Medical Council",
        "professions": ["doctor"],
        "registration_number_pattern": r"\d{7}",
        "registration_number_format": "7 digits",
        "registration_number_example": "1234567",
        "revalidation_cycle_months": 60,
        "revalidation_summary": (
            "Doctors with a licence to practise revalidate every five years, based on annual appraisal and a "
            "recommendation from the responsible officer of their designated body. Doctors in training revalidate "
            "through their ARCP. The licence to practise and registration are separate: a doctor can stay "
            "registered without a licence."
        ),
        "website": "https://www.gmc-uk.org/",
    },
    {
        "code": "NMC",
        "name": "Nursing and Midwifery Council",
        "professions": ["nurse", "midwife", "nursing_associate"],
        "registration_number_pattern": r"\d{2}[A-Z]\d{4}[A-Z]",
        "registration_number_format": "2 digits, a letter, 4 digits and a letter",
        "registration_number_example": "12A3456E",
        "revalidation_cycle_months": 36,
        "revalidation_summary": (
            "Nurses, midwives and nursing associates revalidate every three years: 450 practice hours (900 for "
            "dual registration), 35 hours of CPD of which 20 participatory, 5 pieces of practice-related feedback, "
            "5 written reflective accounts, a reflective discussion, and confirmation. Hours in leadership roles "
            "that rely on nursing or midwifery knowledge count as practice."
        ),
        "website": "https://www.nmc.org.uk/",
    },
    {
        "code": "HCPC",
        "name": "Health and Care Professions Council",
        "professions": HCPC_PROFESSIONS,
        "registration_number_pattern": r"(PA|PH|RA|OT|DT|CH|SL|ODP|BS|CS|AS|OR|PO|PYL|HAD)\d{4,6}",
        "registration_number_format": "the profession's letters (such as PH or ODP) followed by 4 to 6 digits",
        "registration_number_example": "PH123456",
        "revalidation_cycle_months": 24,
        "revalidation_summary": (
            "Registrants renew every two years and declare that they meet the standards of continuing professional "
            "development; 2.5% of each profession are chosen at random for a CPD audit."
        ),
        "website": "https://www.hcpc-uk.org/",
    },
    {
        "code": "GPhC",
        "name": "General Pharmaceutical Council",
        "professions": ["pharmacist", "pharmacy_technician"],
        "registration_number_pattern": r"\d{7}",
        "registration_number_format": "7 digits",
        "registration_number_example": "2012345",
        "revalidation_cycle_months": 12,
        "revalidation_summary": (
            "Pharmacists and pharmacy technicians renew every year and submit 4 CPD records, 1 peer discussion "
            "and 1 reflective account."
        ),
        "website": "https://www.pharmacyregulation.org/",
    },
    {
        "code": "GDC",
        "name": "General Dental Council",
        "professions": ["dentist", "dental_care_professional"],
        "registration_number_pattern": r"\d{4,6}",
        "registration_number_format": "4 to 6 digits",
        "registration_number_example": "123456",
        "revalidation_cycle_months": 12,
        "revalidation_summary": (
            "Dentists and dental care professionals renew every year within a five-year CPD cycle: 100 hours for "
            "dentists, 75 for dental therapists and hygienists, 50 for dental nurses and technicians."
        ),
        "website": "https://www.gdc-uk.org/",
    },
    {
        "code": "GOC",
        "name": "General Optical Council",
        "professions": ["optometrist", "dispensing_optician"],
        "registration_number_pattern": r"\d{2}-\d{4,5}",
        "registration_number_format": "2 digits, a hyphen and 4 or 5 digits",
        "registration_number_example": "01-12345",
        "revalidation_cycle_months": 12,
        "revalidation_summary": "Optometrists and dispensing opticians renew every year within a CPD cycle.",
        "website": "https://optical.org/",
    },
    {
        "code": "GOsC",
        "name": "General Osteopathic Council",
        "professions": ["osteopath"],
        "registration_number_pattern": r"\d{3,5}",
        "registration_number_format": "3 to 5 digits",
        "registration_number_example": "4567",
        "revalidation_cycle_months": 12,
        "revalidation_summary": "Osteopaths renew every year within a three-year CPD scheme.",
        "website": "https://www.osteopathy.org.uk/",
    },
    {
        "code": "GCC",
        "name": "General Chiropractic Council",
        "professions": ["chiropractor"],
        "registration_number_pattern": r"\d{3,5}",
        "registration_number_format": "3 to 5 digits",
        "registration_number_example": "01234",
        "revalidation_cycle_months": 12,
        "revalidation_summary": "Chiropractors renew every year and record their CPD.",
        "website": "https://www.gcc-uk.org/",
    },
    {
        "code": "AHCS",
        "name": "Academy for Healthcare Science",
        "professions": ["healthcare_scientist"],
        "is_statutory": False,
        "registration_number_pattern": r"\d{4,6}",
        "registration_number_format": "4 to 6 digits",
        "registration_number_example": "12345",
        "revalidation_cycle_months": 12,
        "revalidation_summary": (
            "An accredited register, not a statutory regulator, for healthcare science practitioners; "
            "registrants renew every year."
        ),
        "website": "https://www.ahcs.ac.uk/",
    },
]


def load_regulators(apps, schema_editor):
    Regulator = apps.get_model("regulators", "Regulator")
    for data in REGULATORS:
        data = dict(data)
        Regulator.objects.update_or_create(code=data.pop("code"), defaults=data)


def unload_regulators(apps, schema_editor):
    apps.get_model("regulators", "Regulator").objects.filter(code__in=[r["code"] for r in REGULATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("regulators", "0001_initial")]
    operations = [migrations.RunPython(load_regulators, unload_regulators)]
