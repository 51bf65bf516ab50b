"""Form fields shared by the apps."""

from django import forms


class FixedChoiceField(forms.ChoiceField):
    """A ChoiceField whose choices are the same on every form: each new form shares them instead of copying them.

    Django deep-copies every field into each form it makes, choices included. For the drill-down's five fields that
    copying took most of the time to read the address (0.4 ms on the reference machine, as long as `/healthz`).
    The choices list is the same object on every form: replace a form's choices if need be, never change the list
    in place.
    """

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)  # ChoiceField's own would copy the choices too
