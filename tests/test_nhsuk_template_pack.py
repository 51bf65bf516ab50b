"""The nhsuk crispy-forms template pack renders Django forms as NHS.UK design-system components."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, ButtonHolder, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.middleware.csrf import get_token
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.html import Element, parse_html

from config.widgets import DateField, DateInput

ROLE_CHOICES = [("", "Select a role"), ("doctor", "Doctor"), ("nurse", "Nurse")]
CONTACT_CHOICES = [("email", "Email"), ("phone", "Phone")]
SPECIALTY_CHOICES = [("cardiology", "Cardiology"), ("oncology", "Oncology"), ("surgery", "Surgery")]


class ExampleForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        help_text="As it appears on your registration",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    nickname = forms.CharField(label="Preferred name", required=False)
    about = forms.CharField(label="About you", widget=forms.Textarea)
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES)
    contact = forms.ChoiceField(
        label="How should we contact you?", choices=CONTACT_CHOICES, widget=forms.RadioSelect, help_text="Pick one"
    )
    specialties = forms.MultipleChoiceField(
        label="Specialties", choices=SPECIALTY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(label="I agree to the terms", help_text="You must agree to continue")
    start_date = DateField(label="Start date", help_text="For example, 15 3 2024")


INVALID_DATA = {
    "full_name": "",
    "email": "not-an-email",
    "password": "",
    "about": "",
    "role": "",
    "contact": "",
    "start_date_day": "31",
    "start_date_month": "2",
    "start_date_year": "2024",
}

VALID_DATA = {
    "full_name": "Ada Lovelace",
    "email": "ada@example.nhs.uk",
    "password": "correct horse battery staple",
    "about": "Clinician",
    "role": "doctor",
    "contact": "email",
    "specialties": ["oncology"],
    "agree": "on",
    "start_date_day": "5",
    "start_date_month": "3",
    "start_date_year": "2024",
}


# --- helpers ---------------------------------------------------------------------------------------------------------


def elements(node):
    """Every element under node (depth first), the node itself included."""
    if isinstance(node, Element):
        if node.name:
            yield node
        for child in node.children:
            yield from elements(child)


def attrs(element):
    return dict(element.attributes)


def classes(element):
    return (attrs(element).get("class") or "").split()


def text(node):
    if isinstance(node, str):
        return node
    return " ".join(part for part in (text(child) for child in node.children) if part).strip()


def find_all(root, tag=None, css_class=None, **attributes):
    found = []
    for element in elements(root):
        if tag and element.name != tag:
            continue
        if css_class and css_class not in classes(element):
            continue
        if any(attrs(element).get(name.rstrip("_").replace("_", "-")) != value for name, value in attributes.items()):
            continue
        found.append(element)
    return found


def find(root, tag=None, css_class=None, **attributes):
    found = find_all(root, tag, css_class, **attributes)
    assert found, f"no <{tag or '*'} class={css_class!r} {attributes}> in the HTML"
    return found[0]


def by_id(root, element_id):
    matches = [element for element in elements(root) if attrs(element).get("id") == element_id]
    assert len(matches) == 1, f"expected exactly one element with id={element_id!r}, found {len(matches)}"
    return matches[0]


def form_group_for(root, field_name):
    """The outermost nhsuk-form-group that holds the control(s) named field_name."""
    for group in find_all(root, css_class="nhsuk-form-group"):
        if any(attrs(control).get("name", "").startswith(field_name) for control in elements(group)):
            return group
    raise AssertionError(f"no nhsuk-form-group for {field_name}")


def crispy_filter(form):
    return parse_html(Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form})))


def crispy_tag(form, **context):
    request = RequestFactory().get("/")
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": form, "csrf_token": get_token(request), **context})
    )
    return parse_html(html)


def invalid_form():
    form = ExampleForm(data=INVALID_DATA)
    assert not form.is_valid()
    return form


# --- each component ---------------------------------------------------------------------------------------------------


def test_text_inputs_use_nhs_input_markup():
    """Text, email and password boxes look like NHS.UK inputs, each under its own visible label."""
    html = crispy_filter(ExampleForm())
    for name, input_type in [("full_name", "text"), ("email", "email"), ("password", "password")]:
        control = find(html, "input", name=name)
        assert classes(control) == ["nhsuk-input"]
        assert attrs(control)["type"] == input_type
        group = form_group_for(html, name)
        assert classes(group) == ["nhsuk-form-group"]
        label = find(group, "label", css_class="nhsuk-label")
        assert attrs(label)["for"] == attrs(control)["id"]


def test_widget_autocomplete_attributes_pass_through():
    """Browsers and password managers can still autofill name, email and password."""
    html = crispy_filter(ExampleForm())
    assert attrs(find(html, "input", name="full_name"))["autocomplete"] == "name"
    assert attrs(find(html, "input", name="email"))["autocomplete"] == "email"
    assert attrs(find(html, "input", name="password"))["autocomplete"] == "current-password"


def test_help_text_is_an_nhs_hint_linked_to_the_input():
    """Help text shows as grey hint text that screen readers announce with the input."""
    html = crispy_filter(ExampleForm())
    control = find(html, "input", name="full_name")
    hint = find(html, "div", css_class="nhsuk-hint", id="id_full_name-hint")
    assert text(hint) == "As it appears on your registration"
    assert attrs(control)["aria-describedby"] == "id_full_name-hint"


def test_optional_fields_say_optional_and_required_fields_have_no_asterisk():
    """Only the optional question is marked, with "(optional)"; nothing shows an asterisk."""
    html = crispy_filter(ExampleForm())
    assert text(find(html, "label", for_="id_nickname")) == "Preferred name (optional)"
    assert text(find(html, "label", for_="id_full_name")) == "Full name"
    assert "*" not in str(html)


def test_textarea_and_select_use_nhs_classes():
    """The long answer box and the drop-down list look like NHS.UK components."""
    html = crispy_filter(ExampleForm())
    assert "nhsuk-textarea" in classes(find(html, "textarea", name="about"))
    select = find(html, "select", name="role")
    assert "nhsuk-select" in classes(select)
    assert [text(option) for option in find_all(select, "option")] == ["Select a role", "Doctor", "Nurse"]
    assert text(find(html, "label", for_="id_role")) == "Role"


def test_radios_are_a_fieldset_with_the_label_as_legend():
    """Radio buttons are grouped under a legend that asks the question."""
    html = crispy_filter(ExampleForm())
    group = form_group_for(html, "contact")
    fieldset = find(group, "fieldset", css_class="nhsuk-fieldset")
    assert text(find(fieldset, "legend", css_class="nhsuk-fieldset__legend")) == "How should we contact you?"
    assert attrs(fieldset)["aria-describedby"] == "id_contact-hint"
    radios = find(fieldset, "div", css_class="nhsuk-radios")
    assert attrs(radios)["data-module"] == "nhsuk-radios"
    items = find_all(radios, "div", css_class="nhsuk-radios__item")
    assert len(items) == 2
    for item, (value, label) in zip(items, CONTACT_CHOICES, strict=True):
        radio = find(item, "input", css_class="nhsuk-radios__input")
        assert attrs(radio)["type"] == "radio"
        assert attrs(radio)["value"] == value
        item_label = find(item, "label", css_class="nhsuk-radios__label")
        assert "nhsuk-label" in classes(item_label)
        assert attrs(item_label)["for"] == attrs(radio)["id"]
        assert text(item_label) == label


def test_checkbox_group_is_a_fieldset_of_nhs_checkboxes():
    """Tick boxes for several answers are grouped under a legend that asks the question."""
    html = crispy_filter(ExampleForm())
    group = form_group_for(html, "specialties")
    fieldset = find(group, "fieldset", css_class="nhsuk-fieldset")
    assert text(find(fieldset, "legend", css_class="nhsuk-fieldset__legend")) == "Specialties"
    checkboxes = find(fieldset, "div", css_class="nhsuk-checkboxes")
    items = find_all(checkboxes, "div", css_class="nhsuk-checkboxes__item")
    assert len(items) == 3
    for item in items:
        box = find(item, "input", css_class="nhsuk-checkboxes__input")
        assert attrs(box)["type"] == "checkbox"
        assert attrs(find(item, "label", css_class="nhsuk-checkboxes__label"))["for"] == attrs(box)["id"]


def test_single_boolean_is_one_nhs_checkbox():
    """A yes/no question is a single NHS.UK tick box with its label beside it."""
    html = crispy_filter(ExampleForm())
    group = form_group_for(html, "agree")
    checkboxes = find(group, "div", css_class="nhsuk-checkboxes")
    assert len(find_all(checkboxes, "div", css_class="nhsuk-checkboxes__item")) == 1
    box = find(checkboxes, "input", css_class="nhsuk-checkboxes__input")
    assert attrs(box)["id"] == "id_agree"
    assert text(find(checkboxes, "label", css_class="nhsuk-checkboxes__label", for_="id_agree")) == (
        "I agree to the terms"
    )
    assert attrs(box)["aria-describedby"] == "id_agree-hint"
    assert text(by_id(html, "id_agree-hint")) == "You must agree to continue"


def test_date_field_renders_as_nhs_date_input():
    """A date is asked as Day, Month and Year boxes inside a fieldset, with a numeric keypad on phones."""
    html = crispy_filter(ExampleForm())
    group = form_group_for(html, "start_date")
    fieldset = find(group, "fieldset", css_class="nhsuk-fieldset", role="group")
    assert text(find(fieldset, "legend", css_class="nhsuk-fieldset__legend")) == "Start date"
    assert attrs(fieldset)["aria-describedby"] == "id_start_date-hint"
    date_input = find(fieldset, "div", css_class="nhsuk-date-input")
    items = find_all(date_input, "div", css_class="nhsuk-date-input__item")
    assert len(items) == 3
    for item, (part, width) in zip(items, [("day", "2"), ("month", "2"), ("year", "4")], strict=True):
        control = find(item, "input")
        assert attrs(control)["name"] == f"start_date_{part}"
        assert attrs(control)["inputmode"] == "numeric"
        assert {"nhsuk-input", "nhsuk-date-input__input", f"nhsuk-input--width-{width}"} <= set(classes(control))
        label = find(item, "label", css_class="nhsuk-date-input__label")
        assert attrs(label)["for"] == attrs(control)["id"]
        assert text(label) == part.capitalize()


def test_every_control_has_a_label_and_ids_are_unique():
    """Every box a user can fill in has a label, and no two elements share an id."""
    for form in (ExampleForm(), invalid_form()):
        html = crispy_filter(form)
        ids = [attrs(element)["id"] for element in elements(html) if "id" in attrs(element)]
        assert len(ids) == len(set(ids))
        label_targets = {attrs(label).get("for") for label in find_all(html, "label")}
        for control in find_all(html, "input") + find_all(html, "select") + find_all(html, "textarea"):
            if attrs(control).get("type") != "hidden":
                assert attrs(control)["id"] in label_targets


# --- errors -----------------------------------------------------------------------------------------------------------


def test_invalid_field_shows_nhs_error_styling_and_message():
    """A field with a problem gets a red border and a red message that screen readers announce as "Error:"."""
    html = crispy_filter(invalid_form())
    group = form_group_for(html, "email")
    assert "nhsuk-form-group--error" in classes(group)
    message = find(group, "span", css_class="nhsuk-error-message")
    assert attrs(message)["id"] == "id_email-error"
    hidden = find(message, "span", css_class="nhsuk-u-visually-hidden")
    assert text(hidden) == "Error:"
    assert text(message) == "Error: Enter a valid email address."
    control = find(group, "input", name="email")
    assert "nhsuk-input--error" in classes(control)
    assert "nhsuk-textarea--error" in classes(find(html, "textarea", name="about"))
    assert "nhsuk-select--error" in classes(find(html, "select", name="role"))


def test_aria_describedby_points_at_hint_and_error_that_exist():
    """Screen readers hear the hint and then the error message when they reach the field."""
    form = invalid_form()
    html = crispy_filter(form)
    control = find(html, "input", name="full_name")
    assert attrs(control)["aria-describedby"] == "id_full_name-hint id_full_name-error"
    for element in elements(html):
        for referenced in (attrs(element).get("aria-describedby") or "").split():
            by_id(html, referenced)
    fieldset = find(form_group_for(html, "contact"), "fieldset")
    assert attrs(fieldset)["aria-describedby"] == "id_contact-hint id_contact-error"


def test_valid_fields_in_an_invalid_form_are_not_marked_as_errors():
    """Only the questions with problems turn red; the optional one left blank does not."""
    html = crispy_filter(invalid_form())
    group = form_group_for(html, "nickname")
    assert "nhsuk-form-group--error" not in classes(group)
    assert not find_all(group, css_class="nhsuk-error-message")


def test_radio_checkbox_and_date_errors_sit_inside_their_fieldset():
    """Errors on grouped questions appear under the legend, and the whole group is marked as in error."""
    html = crispy_filter(invalid_form())
    for name in ("contact", "specialties", "start_date", "agree"):
        group = form_group_for(html, name)
        assert "nhsuk-form-group--error" in classes(group), name
        assert find_all(group, "span", css_class="nhsuk-error-message"), name
    date_group = form_group_for(html, "start_date")
    assert text(find(date_group, "span", css_class="nhsuk-error-message")) == "Error: Start date must be a real date"
    for part in ("day", "month", "year"):
        assert "nhsuk-input--error" in classes(find(date_group, "input", name=f"start_date_{part}"))


def test_date_error_highlights_only_the_missing_part():
    """If only the year is missing, only the Year box turns red and the values typed stay in the boxes."""
    form = ExampleForm(data={**VALID_DATA, "start_date_year": ""})
    assert not form.is_valid()
    html = crispy_filter(form)
    group = form_group_for(html, "start_date")
    assert "nhsuk-input--error" in classes(find(group, "input", name="start_date_year"))
    assert "nhsuk-input--error" not in classes(find(group, "input", name="start_date_day"))
    assert attrs(find(group, "input", name="start_date_day"))["value"] == "5"
    assert attrs(find(group, "input", name="start_date_month"))["value"] == "3"


def test_non_field_errors_show_at_the_top_of_the_form():
    """A problem with the whole form (not one field) is shown above the first question."""

    class SignInForm(forms.Form):
        email = forms.EmailField(label="Email address")

        def clean(self):
            raise forms.ValidationError("Enter a correct email address and password")

    form = SignInForm(data={"email": "a@example.com"})
    assert not form.is_valid()
    html = crispy_filter(form)
    first = next(element for element in elements(html) if element.name in ("span", "input"))
    assert "nhsuk-error-message" in classes(first)
    assert text(first) == "Error: Enter a correct email address and password"


# --- the {% crispy %} tag ---------------------------------------------------------------------------------------------


def test_crispy_tag_renders_form_tag_csrf_and_nhs_submit_button():
    """With a FormHelper the whole form, its security token and a green NHS.UK button are rendered."""
    form = ExampleForm()
    form.helper = FormHelper()
    form.helper.form_action = "/apply/"
    form.helper.add_input(Submit("submit", "Continue"))
    html = crispy_tag(form)
    form_element = find(html, "form")
    assert attrs(form_element)["method"] == "post"
    assert attrs(form_element)["action"] == "/apply/"
    assert "novalidate" in attrs(form_element)
    csrf = find(form_element, "input", name="csrfmiddlewaretoken")
    assert attrs(csrf)["type"] == "hidden"
    assert attrs(csrf)["value"]
    button = find(form_element, "button", css_class="nhsuk-button")
    assert attrs(button)["type"] == "submit"
    assert attrs(button)["data-module"] == "nhsuk-button"
    assert text(button) == "Continue"
    assert "btn" not in classes(button)
    assert find(form_element, "input", css_class="nhsuk-input", name="full_name")


def test_crispy_tag_without_helper_and_without_form_tag():
    """The tag also works on a plain form, and can leave out the <form> element when the page supplies it."""
    html = crispy_tag(ExampleForm())
    assert find(html, "form")
    assert find(html, "input", name="csrfmiddlewaretoken")

    form = ExampleForm()
    form.helper = FormHelper()
    form.helper.form_tag = False
    html = crispy_tag(form)
    assert not find_all(html, "form")
    assert find(html, "select", css_class="nhsuk-select", name="role")


def test_crispy_layout_objects_render_nhs_markup():
    """Layouts group questions under a fieldset legend, keep custom HTML and put buttons in an NHS button group."""
    form = ExampleForm(data=INVALID_DATA)
    form.helper = FormHelper()
    form.helper.layout = Layout(
        Fieldset("Your details", "full_name", Field("email", css_class="nhsuk-u-width-two-thirds")),
        Div("role", css_class="app-role", css_id="role-wrapper"),
        HTML('<p class="nhsuk-body">{{ greeting }}</p>'),
        ButtonHolder(Submit("save", "Save and continue")),
    )
    html = crispy_tag(form, greeting="Nearly there")
    fieldset = find(html, "fieldset", css_class="nhsuk-fieldset")
    assert text(find(fieldset, "legend", css_class="nhsuk-fieldset__legend")) == "Your details"
    email = find(fieldset, "input", name="email")
    assert set(classes(email)) == {"nhsuk-input", "nhsuk-input--error", "nhsuk-u-width-two-thirds"}
    assert "nhsuk-form-group--error" in classes(form_group_for(fieldset, "full_name"))
    assert find(html, "div", css_class="app-role", id="role-wrapper")
    assert text(find(html, "p", css_class="nhsuk-body")) == "Nearly there"
    button = find(find(html, "div", css_class="nhsuk-button-group"), "button", css_class="nhsuk-button")
    assert (attrs(button)["name"], attrs(button)["value"]) == ("save", "Save and continue")
    assert not find_all(html, "textarea")


# --- error summary ----------------------------------------------------------------------------------------------------


def test_error_summary_links_to_each_invalid_field():
    """The "There is a problem" box lists each error and clicking one jumps to that question's first box."""
    form = invalid_form()
    summary = parse_html(render_to_string("nhsuk/error_summary.html", {"form": form}))
    assert classes(summary) == ["nhsuk-error-summary"]
    assert attrs(summary)["tabindex"] == "-1"
    assert find(summary, "div", role="alert")
    assert text(find(summary, "h2", css_class="nhsuk-error-summary__heading")) == "There is a problem"
    links = {text(link): attrs(link)["href"] for link in find_all(summary, "a")}
    assert links["Enter a valid email address."] == "#id_email"
    assert links["Start date must be a real date"] == "#id_start_date_day"
    hrefs = [attrs(link)["href"] for link in find_all(summary, "a")]
    assert "#id_contact_0" in hrefs
    assert "#id_specialties_0" in hrefs
    assert "#id_agree" in hrefs

    page = crispy_filter(form)
    for href in hrefs:
        by_id(page, href.removeprefix("#"))


def test_error_summary_lists_non_field_errors_without_a_link():
    """A whole-form problem appears in the summary as plain text."""

    class PairForm(forms.Form):
        code = forms.CharField(label="Code")

        def clean(self):
            raise forms.ValidationError("These details do not match")

    form = PairForm(data={"code": "x"})
    assert not form.is_valid()
    summary = parse_html(render_to_string("nhsuk/error_summary.html", {"form": form}))
    item = find(summary, "li")
    assert text(item) == "These details do not match"
    assert not find_all(item, "a")


def test_error_summary_renders_nothing_for_a_valid_or_unsubmitted_form():
    """No error box appears before the form is sent or once everything is right."""
    valid = ExampleForm(data=VALID_DATA)
    assert valid.is_valid(), valid.errors
    assert render_to_string("nhsuk/error_summary.html", {"form": valid}).strip() == ""
    assert render_to_string("nhsuk/error_summary.html", {"form": ExampleForm()}).strip() == ""


# --- the date field ---------------------------------------------------------------------------------------------------


class DateForm(forms.Form):
    start_date = DateField(label="Start date")
    end_date = DateField(label="End date", required=False)


def date_form(day="", month="", year="", **extra):
    return DateForm(data={"start_date_day": day, "start_date_month": month, "start_date_year": year, **extra})


def test_date_round_trips_to_a_python_date():
    """Typing 5, 3 and 2024 saves 5 March 2024, and a saved date shows again in the three boxes."""
    form = date_form("5", "3", "2024")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start_date"] == datetime.date(2024, 3, 5)
    assert form.cleaned_data["end_date"] is None

    html = crispy_filter(DateForm(initial={"start_date": datetime.date(2024, 3, 5)}))
    values = [attrs(find(html, "input", name=f"start_date_{part}"))["value"] for part in ("day", "month", "year")]
    assert values == ["5", "3", "2024"]


def test_date_accepts_spaces_leading_zeros_and_month_names():
    """People can type " 05 ", "03" or "March" and still get the date they meant."""
    for month in ("03", "3", "March", "mar"):
        form = date_form(" 05 ", month, "2024")
        assert form.is_valid(), form.errors
        assert form.cleaned_data["start_date"] == datetime.date(2024, 3, 5)


def test_impossible_date_gives_a_real_date_error():
    """31 February is refused with "must be a real date"."""
    form = date_form("31", "2", "2024")
    assert not form.is_valid()
    assert form.errors["start_date"] == ["Start date must be a real date"]


def test_missing_parts_are_named_in_the_error():
    """Leaving out the year (or the day and month) says exactly what is missing."""
    assert date_form("5", "3", "").errors["start_date"] == ["Start date must include a year"]
    assert date_form("", "", "2024").errors["start_date"] == ["Start date must include a day and month"]


def test_empty_required_date_and_bad_year_messages():
    """A blank required date asks to enter one; a 2-digit year asks for 4 numbers; letters are not a real date."""
    assert date_form().errors["start_date"] == ["Enter a date"]
    assert date_form("5", "3", "24").errors["start_date"] == ["Start date must include a year with 4 numbers"]
    assert date_form("5", "x", "2024").errors["start_date"] == ["Start date must be a real date"]


def test_date_messages_can_be_customised():
    """Teams can word the messages for their question, e.g. "Enter your date of birth"."""

    class BirthForm(forms.Form):
        dob = DateField(
            label="Date of birth",
            error_messages={"required": "Enter your date of birth", "invalid": "%(label)s must be a real date!"},
            widget=DateInput(attrs={"autocomplete": "bday"}),
        )

    assert BirthForm(data={}).errors["dob"] == ["Enter your date of birth"]
    assert BirthForm(data={"dob_day": "30", "dob_month": "2", "dob_year": "2000"}).errors["dob"] == [
        "Date of birth must be a real date!"
    ]
    html = crispy_filter(BirthForm())
    assert [attrs(find(html, "input", name=f"dob_{part}"))["autocomplete"] for part in ("day", "month", "year")] == [
        "bday-day",
        "bday-month",
        "bday-year",
    ]
