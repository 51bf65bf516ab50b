from django import forms

from config.widgets import DateField


class EligiblePopulationForm(forms.Form):
    file = forms.FileField(
        label="Register counts (CSV file)",
        help_text="A CSV file saved as UTF-8 with the header profession,region,attribute,group,count: see the format "
        "below.",
        # An empty file gets the same report as any other bad file (population.parsing).
        allow_empty_file=True,
        error_messages={"required": "Select a CSV file", "invalid": "Select a CSV file"},
    )
    source = forms.CharField(
        label="Where the counts come from",
        help_text="In words, as people would cite it. For example, NMC register data, 31 March 2026.",
        max_length=200,
        error_messages={
            "required": "Enter where the counts come from",
            "max_length": "Where the counts come from must be 200 characters or fewer",
        },
    )
    as_of = DateField(
        label="Date the counts describe",
        help_text="The register's date, for example 31 3 2026.",
        error_messages={"required": "Enter the date the counts describe"},
    )
