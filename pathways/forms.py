"""Filter forms for the pathway and opportunity pages. They travel in the URL (GET), so they work without JavaScript.

A value the form does not know (an old bookmark, a hand-edited URL) never breaks the page: `filters_from` drops it and
says which filter it cleared.
"""

from django import forms

from pathways.models import LeadershipRole, OpportunityKind
from regulators.models import Profession


class PathwayFilterForm(forms.Form):
    search = forms.CharField(
        label="Search pathways",
        required=False,
        max_length=100,
        help_text="For example, clinical director or nursing",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    profession = forms.ChoiceField(
        label="Profession", required=False, choices=[("", "Any profession"), *Profession.choices]
    )
    role = forms.ModelChoiceField(
        label="Target role",
        required=False,
        queryset=LeadershipRole.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Any role",
    )


class OpportunityFilterForm(forms.Form):
    open = forms.BooleanField(label="Open for applications now", required=False)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any kind"), *OpportunityKind.choices])
    eligible = forms.BooleanField(label="Only opportunities I am eligible for", required=False)


def filters_from(form_class: type[forms.Form], data) -> tuple[forms.Form, list[str]]:
    """Bind the filters to the query string, clearing any filter whose value is unknown. Returns the (valid) form and
    the labels of the filters that were cleared."""
    form = form_class(data)
    if form.is_valid():
        return form, []
    cleared = [str(form.fields[name].label) for name in form.errors if name in form.fields]
    kept = data.copy()
    for name in form.errors:
        kept.pop(name, None)
    form = form_class(kept)
    form.is_valid()
    return form, cleared
