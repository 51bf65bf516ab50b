"""Form fields shared by the apps (config/forms.py)."""

from django import forms

from config.forms import FixedChoiceField

COLOURS = [("", "Any colour"), ("red", "Red"), ("blue", "Blue")]


class Fixed(forms.Form):
    colour = FixedChoiceField(choices=COLOURS, required=False)


class Plain(forms.Form):
    colour = forms.ChoiceField(choices=COLOURS, required=False)


def test_a_fixed_choice_field_cleans_and_refuses_as_a_choice_field_does():
    for value in ["red", "", "green", "RED"]:
        fixed, plain = Fixed({"colour": value}), Plain({"colour": value})

        assert fixed.is_valid() == plain.is_valid()
        assert fixed.errors == plain.errors
        assert fixed.cleaned_data == plain.cleaned_data
    assert Fixed({"colour": "green"}).errors == {
        "colour": ["Select a valid choice. green is not one of the available choices."]
    }


def test_a_fixed_choice_field_renders_its_choices_on_every_form():
    first, second = Fixed({"colour": "blue"}), Fixed()

    assert str(first["colour"]) == str(Plain({"colour": "blue"})["colour"])
    assert '<option value="red">Red</option>' in str(second["colour"])


def test_each_form_still_has_its_own_field():
    """Only the choices are shared: a form may change its copy's other attributes without touching another form."""
    first, second = Fixed(), Fixed()
    first.fields["colour"].required = True
    first.fields["colour"].widget.attrs["class"] = "nhsuk-select--error"

    assert not second.fields["colour"].required
    assert "class" not in second.fields["colour"].widget.attrs
    assert Fixed.base_fields["colour"].choices == COLOURS
