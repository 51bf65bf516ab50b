"""Whether each leadership role needs a licence to practise (for regulators other than the GMC: registration).

The reasons are in docs/architecture.md ("Licence-aware readiness"). A role is marked when the person in it must be
a practising, registered clinician of a profession: the statutory medical and nursing board posts, the responsible
officer (usually the medical director), the chief pharmacist (the accountable pharmacist for medicines), the
chief AHP and the clinical leads and directors who keep a clinical job. Roles open to non-clinicians (chief executive,
chief operating officer) and the chief clinical information officer (a clinician by custom, not by any rule) are not.
Editors change these in the admin site.
"""

from django.db import migrations, models

NEEDS_LICENCE = {
    "clinical-lead": "Leads a team while still practising: keeps the licence or registration of their profession.",
    "clinical-director": "Usually keeps a clinical job alongside the directorate, so keeps their licence or "
    "registration.",
    "associate-medical-director": "A medical leadership role: held by a licensed doctor, often with clinical work.",
    "medical-director": "A board post that must be held by a licensed doctor; usually also the responsible officer, "
    "who must have been licensed for five years.",
    "chief-nurse": "The board's nursing voice: must be a registered nurse (or midwife) on the NMC register.",
    "chief-ahp": "Represents the allied health professions: must stay registered with the HCPC.",
    "chief-pharmacist": "Accountable for the safe use of medicines: must be a registered pharmacist with the GPhC.",
    "system-clinical-lead": "An integrated care board's medical or nursing lead must be a registered doctor or nurse.",
    "national-clinical-director": "Appointed as a practising clinician to lead a clinical programme: keeps their "
    "licence or registration.",
}


def set_licence_needs(apps, schema_editor):
    LeadershipRole = apps.get_model("pathways", "LeadershipRole")
    for slug, note in NEEDS_LICENCE.items():
        LeadershipRole.objects.filter(slug=slug).update(needs_licence=True, licence_note=note)


def unset_licence_needs(apps, schema_editor):
    apps.get_model("pathways", "LeadershipRole").objects.update(needs_licence=False, licence_note="")


class Migration(migrations.Migration):
    dependencies = [("pathways", "0005_pathway_search")]

    operations = [
        migrations.AddField(
            model_name="leadershiprole",
            name="needs_licence",
            field=models.BooleanField(
                default=False,
                help_text="Tick when the person in this role must hold a licence to practise or be registered with "
                "their regulator (a medical director, a chief nurse); leave it for roles open to non-clinicians.",
                verbose_name="needs a licence to practise",
            ),
        ),
        migrations.AddField(
            model_name="leadershiprole",
            name="licence_note",
            field=models.CharField(
                blank=True,
                help_text="A short reason, shown beside the flag, for example “The responsible officer must be a "
                "licensed doctor.”",
                max_length=300,
                verbose_name="why (licence to practise)",
            ),
        ),
        migrations.RunPython(set_licence_needs, unset_licence_needs),
    ]
