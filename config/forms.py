"""Form fields shared by the apps."""

from django import forms


class FixedChoiceField(forms.ChoiceField):
    """A ChoiceField whose choices are the same on every form: each new form shares them instead of copying them.

    Django deep-copies every field into each form it makes, choices included. For the drill-down's five fields that
    copying took most of the time to read the address (0.4 ms on the reference machine, as long as `/healthz`).
    Set the choices where the field is declared, never on one form's copy.
    """

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)  # ChoiceField's own would copy the choices too
