import pytest
from django.core.exceptions import ValidationError

from helpdesk.models import Contact
from helpdesk.services.contacts import contact_find_or_create, normalise_phone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0470 12 34 56", "+32470123456"),
        ("+32 470/12.34.56", "+32470123456"),
        ("0032470123456", "+32470123456"),
        ("+31 6 12345678", "+31612345678"),
    ],
)
def test_it_normalises_phone_numbers_to_e164(raw, e164):
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize("raw", ["12", "not a number", "+32 12"])
def test_it_rejects_what_is_not_a_phone_number(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)


def test_it_finds_a_contact_again_by_email_whatever_the_case():
    first = contact_find_or_create(email="Amina@Example.org", name="Amina")
    again = contact_find_or_create(email="amina@example.org ")
    assert again == first
    assert Contact.objects.count() == 1


def test_it_finds_a_contact_again_by_phone_and_fills_in_what_was_missing():
    first = contact_find_or_create(phone="0470 12 34 56")
    again = contact_find_or_create(phone="+32470123456", name="Yonas", email="yonas@example.org")
    assert again == first
    again.refresh_from_db()
    assert (again.name, again.email) == ("Yonas", "yonas@example.org")


def test_it_never_takes_an_address_that_belongs_to_someone_else():
    contact_find_or_create(email="shared@example.org")
    by_phone = contact_find_or_create(phone="0470123456")
    contact_find_or_create(phone="0470123456", email="shared@example.org")
    by_phone.refresh_from_db()
    assert by_phone.email == ""


def test_an_anonymous_caller_stays_anonymous():
    assert contact_find_or_create() is None
    assert Contact.objects.count() == 0


def test_it_rejects_a_malformed_email():
    with pytest.raises(ValidationError):
        contact_find_or_create(email="not an address")
