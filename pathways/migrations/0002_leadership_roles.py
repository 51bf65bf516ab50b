"""Leadership roles clinicians aim for (DESIGN.md section 7), with their level and who they are typically open to."""

from django.db import migrations

DOCTORS = ["doctor"]
NURSING = ["nurse", "midwife"]
AHPS = [
    "arts_therapist",
    "podiatrist",
    "dietitian",
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
PHARMACY = ["pharmacist"]

ROLES = [
    (
        "clinical-lead",
        "Clinical lead",
        "team",
        [],
        "Leads the clinical work of a team or small service, usually alongside clinical practice.",
    ),
    (
        "clinical-director",
        "Clinical director",
        "service",
        [],
        "Leads a clinical service or directorate: quality, safety, workforce and budget, with a manager partner.",
    ),
    (
        "associate-medical-director",
        "Associate or deputy medical director",
        "organisation",
        DOCTORS,
        "Leads a portfolio such as quality, education or safety for the medical director across the organisation.",
    ),
    (
        "medical-director",
        "Medical director",
        "organisation",
        DOCTORS,
        "Board member responsible for medical leadership, professional standards and often the responsible officer.",
    ),
    (
        "chief-nurse",
        "Chief nurse or director of nursing",
        "organisation",
        NURSING,
        "Board member responsible for nursing and midwifery leadership, patient experience and safeguarding.",
    ),
    (
        "chief-ahp",
        "Chief allied health professions officer",
        "organisation",
        AHPS,
        "Leads the allied health professions across the organisation and represents them at board.",
    ),
    (
        "chief-pharmacist",
        "Chief pharmacist",
        "organisation",
        PHARMACY,
        "Leads pharmacy and medicines optimisation; accountable for the safe and secure use of medicines.",
    ),
    (
        "chief-clinical-information-officer",
        "Chief clinical information officer",
        "organisation",
        [],
        "Leads the clinical side of digital services and information across the organisation.",
    ),
    (
        "chief-operating-officer",
        "Chief operating officer",
        "organisation",
        [],
        "Board member responsible for operational performance and delivery of services.",
    ),
    (
        "chief-executive",
        "Chief executive",
        "organisation",
        [],
        "Accountable officer leading the organisation and its board.",
    ),
    (
        "system-clinical-lead",
        "Integrated care system clinical leader",
        "system",
        [],
        "Leads clinical strategy across an integrated care system, such as an ICB chief medical or nursing officer.",
    ),
    (
        "national-clinical-director",
        "National clinical director",
        "national",
        [],
        "Leads a clinical programme or profession for England at national level.",
    ),
]


def load_roles(apps, schema_editor):
    LeadershipRole = apps.get_model("pathways", "LeadershipRole")
    for slug, name, level, professions, description in ROLES:
        LeadershipRole.objects.update_or_create(
            slug=slug, defaults={"name": name, "level": level, "professions": professions, "description": description}
        )


def unload_roles(apps, schema_editor):
    apps.get_model("pathways", "LeadershipRole").objects.filter(slug__in=[r[0] for r in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("pathways", "0001_initial")]
    operations = [migrations.RunPython(load_roles, unload_roles)]
