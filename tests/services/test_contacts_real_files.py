"""Every real contact file of ``shared/fixtures/real`` imports with its names intact, or is
refused with a German message that names the row (see ``PROVENANCE.md`` for each file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.network import Person
from integrationsmanager.services.contacts_io import (
    ContactImportFailed,
    import_contacts,
    read_contacts,
)
from integrationsmanager.services.persons import get_person
from tests.conftest import REAL_FIXTURES

FOLDERS = ("outlook-csv", "google-csv", "thunderbird-csv", "vcard")

IMPORTED: dict[str, list[tuple[str, str]]] = {
    "outlook-en-horde-bug6311-multiline-notes.csv": [("John", "Smith")],
    "outlook2013-de-tine20.csv": [("Christian", "Baumann"), ("Cornelius", "Weiß")],
    "outlookcom-en-bbdb-test.csv": [("test name", ""), ("test name2", "")],
    "gmail-2008-horde-example.csv": [("John", "Doe"), ("Jeniffer", "Doe")],
    "google-contacts-legacy-bbdb-test.csv": [("test", "contact")],
    "google-contacts-legacy-roundcube.csv": [("Firstname Middle", "Lastname")],
    "thunderbird-roundcube-tb_plain.csv": [("Firstname", "Lastname")],
    "SYNTHETIC-cyrillic-2.1-cp1251-folkerkinzel.vcf": [("Віталій Володимирович", "Кличко")],
    "apple-addressbook-3.0-photo-ablabel-ezvcard.vcf": [("John Richter,James", "Doe")],
    "apple-iphone-3.0-photo-ezvcard.vcf": [("John Richter,James", "Doe")],
    "emclient-3.0-tine20.vcf": [("Vor", "Nach")],
    "evolution-3.0-johndoe-ezvcard.vcf": [("John Richter, James", "Doe")],
    "google-gmail-3.0-allfields-ezvcard.vcf": [("VCard", "Test")],
    "google-gmail-3.0-johndoe-ezvcard.vcf": [("John Richter, James", "Doe")],
    "ios-6.1.3-3.0-photo-android.vcf": [("Bob", "Smith")],
    "japanese-phone-2.1-shiftjis-qp-android.vcf": [("ロイド1", "安藤")],
    "nextcloud-contacts-4.2.0-4.0-multiple-TEXT-RECONSTRUCTED.vcf": [
        ("Jane", "Smith"),
        ("Christie Sheila", "Woods"),
        ("Reginald", "Richards"),
        ("Virginia", "Brennan"),
        ("Derrick", "Anders"),
        ("Julia Cara", "Burke"),
        ("Terrence Alex", "Field"),
    ],
    "outlook-2.1-johndoe-ezvcard.vcf": [("John Richter,James", "Doe")],
    "outlook-de-2.1-charset-windows1252-3-addresses-folkerkinzel.vcf": [("Rudi", "Wimmel")],
    "outlook-de-2.1-photo-businesscard-folkerkinzel.vcf": [("Max Anderer", "Mustermann")],
    "outlook-de-2.1-raw-cp1252-qp-label-folkerkinzel.vcf": [("Ralf", "Rastral")],
    "outlook2007-2.1-qp-softbreaks-ezvcard.vcf": [("Michael", "Angstadt")],
    "owncloud-contacts-0.3-3.0-greek-cyrillic-split-utf8-kcontacts.vcf": [
        ("", "123ㄓㄕㄖbcdeαβγδαβγδαβγδαβγδαβγδαβγδαβㄤㄓㄕㄖ")
    ],
    "thunderbird-cardbook-4.0-de-folkerkinzel.vcf": [
        ("Gerda", "Möhrke"),
        ("Max Horst", "Mustermann"),
    ],
    "thunderbird-mfffab-3.0-ezvcard.vcf": [("John", "Doe")],
    "unknown-2.1-utf8-umlaut-tine20.vcf": [("Hans", "Müller")],
}
"""File → (first name, last name) of each person it creates, in file order."""

REFUSED: dict[str, list[str]] = {
    "linkedin-outlook-format-bbdb-test.csv": [
        "Zeile 2, E-mail 2 Address: „2ndemailtest“ ist keine gültige E-Mail-Adresse",
        "Zeile 2, E-mail 3 Address: „3rdemail@test“ ist keine gültige E-Mail-Adresse",
        "Zeile 2, PLZ: zu lang (höchstens 10 Zeichen, eingegeben 17) – Spalte „Business Postal",
        "Zeile 3, E-mail Address: „testmeil@hotmail.com2“ ist keine gültige E-Mail-Adresse",
    ],
    "outlook-en-horde-bug6370-embedded-quotes.csv": [
        'Zeile 2: Weder Vor- noch Nachname angegeben (nur Straße „Big Tower\'", 1" Floor, '
        "123 Main Street“)."
    ],
    "outlook-en-horde-bug6372-multiline-address.csv": [
        "Zeile 2: Weder Vor- noch Nachname angegeben (nur Straße „123, 12th Floor, Main Street“)."
    ],
    "thunderbird-bbdb-test.csv": [
        "Zeile 2: Weder Vor- noch Nachname angegeben (nur E-Mail „justanemail@cox.net“)."
    ],
}
"""File → lines that must appear in the refusal (the files hold test data, not contacts)."""

ALL_FILES = sorted(
    (path for folder in FOLDERS for path in (REAL_FIXTURES / folder).iterdir()),
    key=lambda p: (p.parent.name, p.name),
)


def test_every_real_contact_file_has_an_expectation() -> None:
    assert {p.name for p in ALL_FILES} == set(IMPORTED) | set(REFUSED)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_real_file_imports_with_names_intact_or_is_refused_by_row(
    session: Session, path: Path
) -> None:
    if path.name in REFUSED:
        with pytest.raises(ContactImportFailed) as caught:
            import_contacts(session, path)
        message = str(caught.value)
        assert message.startswith("Import abgebrochen, es wurde nichts gespeichert.")
        for line in REFUSED[path.name]:
            assert line in message
        assert session.scalar(select(func.count(Person.id))) == 0
        return
    report = import_contacts(session, path)
    expected = IMPORTED[path.name]
    assert report.created == len(expected)
    assert report.duplicates == []
    people = session.execute(select(Person.first_name, Person.last_name).order_by(Person.id))
    assert [tuple(p) for p in people] == expected
    sources = session.scalars(select(Person.source).order_by(Person.id)).all()
    word = "Karte" if path.suffix == ".vcf" else "Zeile"
    assert sources[0] == f"Import aus {path.name}, {word} {1 if word == 'Karte' else 2}"


def person(session: Session, last_name: str) -> Person:
    person_id = session.scalar(select(Person.id).where(Person.last_name == last_name))
    assert person_id is not None
    found = get_person(session, person_id)
    assert found is not None
    return found


def real(folder: str, name: str) -> Path:
    return REAL_FIXTURES / folder / name


def test_german_outlook_2013_cp1252_short_rows_and_multiline_notes(session: Session) -> None:
    import_contacts(session, real("outlook-csv", "outlook2013-de-tine20.csv"))
    baumann = person(session, "Baumann")
    assert [e.address for e in baumann.emails] == ["c.baumann@unittest.de"]
    assert [(r.organisation.name, r.function) for r in baumann.roles] == [("unittest", "Vertrieb")]
    assert (baumann.street, baumann.postcode, baumann.city) == ("Pickhuben 2", "20457", "Hamburg")
    assert baumann.notes == ""  # Outlook's "Notizen" held only a line break
    weiss = person(session, "Weiß")
    assert [(p.number, p.label) for p in weiss.phones] == [
        ("040 6432131545", ""),
        ("0176 164321545", "Mobil"),
    ]
    # Both work at "unittest": one organisation, two roles.
    assert weiss.roles[0].organisation_id == baumann.roles[0].organisation_id


def test_english_outlook_multiline_notes_and_categories(session: Session) -> None:
    import_contacts(session, real("outlook-csv", "outlook-en-horde-bug6311-multiline-notes.csv"))
    smith = person(session, "Smith")
    assert smith.notes == "PHP\nPerl\nPython"
    assert [t.name for t in smith.tags] == ["Programming"]
    assert [(p.number, p.label) for p in smith.phones] == [
        ("(123) 555-2222", ""),
        ("(123) 555-3333", "Mobil"),
    ]


def test_google_csv_multi_values_groups_and_phone_types(session: Session) -> None:
    import_contacts(session, real("google-csv", "google-contacts-legacy-roundcube.csv"))
    lastname = person(session, "Lastname")
    assert [e.address for e in lastname.emails] == [
        "home@aaa.pl",
        "work@email.pl",
        "unknown@email.com",
        "other@email.com",
    ]
    # "Home Fax"/"Work Fax" and the pager are left out, "Mobile" is marked.
    assert [(p.number, p.label) for p in lastname.phones] == [
        ("mainphone", ""),
        ("homephone", ""),
        ("workphone", ""),
        ("mobile", "Mobil"),
    ]
    assert [t.name for t in lastname.tags] == ["Test"]  # not Google's "* My Contacts"
    assert lastname.notes == 'note"note'
    assert [(r.organisation.name, r.function) for r in lastname.roles] == [("company", "jobtitle")]


def test_gmail_2008_company_with_comma(session: Session) -> None:
    import_contacts(session, real("google-csv", "gmail-2008-horde-example.csv"))
    roles = {r.organisation.name for r in person(session, "Doe").roles}
    assert roles == {"Example, Corp."}


@pytest.mark.parametrize(
    ("name", "last_name", "street", "postcode", "city"),
    [
        (
            "outlook-de-2.1-raw-cp1252-qp-label-folkerkinzel.vcf",
            "Rastral",
            "Lämmerweg 12",
            "98765",
            "Kleindorf",
        ),
        (
            "outlook-de-2.1-charset-windows1252-3-addresses-folkerkinzel.vcf",
            "Wimmel",
            "Business-Straße 19",
            "76543",
            "Schaffhausen",
        ),
        ("SYNTHETIC-cyrillic-2.1-cp1251-folkerkinzel.vcf", "Кличко", "", "", "Київ"),
        (
            "japanese-phone-2.1-shiftjis-qp-android.vcf",
            "安藤",
            "東京都渋谷区桜丘町26-1セルリアンタワー6階",
            "150-8512",
            "",
        ),
        ("unknown-2.1-utf8-umlaut-tine20.vcf", "Müller", "", "90329", "Nürnberg"),
    ],
)
def test_vcard_charsets_decode_addresses(
    session: Session, name: str, last_name: str, street: str, postcode: str, city: str
) -> None:
    import_contacts(session, real("vcard", name))
    found = person(session, last_name)
    assert (found.street, found.postcode, found.city) == (street, postcode, city)


def test_vcard_fold_splitting_a_utf8_letter_keeps_the_russian_note(session: Session) -> None:
    import_contacts(
        session, real("vcard", "owncloud-contacts-0.3-3.0-greek-cyrillic-split-utf8-kcontacts.vcf")
    )
    (note,) = session.scalars(select(Person.notes))
    assert note.startswith("Длинный комментарий на русском языке, чтобы в результате")
    assert "\ufffd" not in note
    assert "более 70 символов." in note


def test_vcard_quoted_printable_note_with_soft_breaks(session: Session) -> None:
    import_contacts(session, real("vcard", "outlook2007-2.1-qp-softbreaks-ezvcard.vcf"))
    found = person(session, "Angstadt")
    assert [line.rstrip() for line in found.notes.splitlines()] == [
        "This is the NOTE field",
        "I assume it encodes this text inside a NOTE vCard type.",
        "But I'm not sure because there's text formatting going on here.",
        "It does not preserve the formatting",
    ]
    assert found.salutation == "Mr."
    assert [(r.organisation.name, r.function) for r in found.roles] == [
        ("TheCompany", "TheJobTitle")
    ]


def test_cardbook_4_0_invalid_birthday_and_word_phones(session: Session) -> None:
    import_contacts(session, real("vcard", "thunderbird-cardbook-4.0-de-folkerkinzel.vcf"))
    gerda = person(session, "Möhrke")
    assert [r.organisation.name for r in gerda.roles] == ["KiTa Öhrdingen"]
    max_ = person(session, "Mustermann")
    assert max_.title == "Dr."
    assert max_.street == "Geschäftsadresse 32"  # the work address
    assert max_.emails[0].address == "privat@freenet.de"  # TYPE=HOME, listed first
    assert "Mobil" in [p.label for p in max_.phones]
    assert not any("Fax" in p.number for p in max_.phones)


def test_google_vcard_keeps_bare_commas_and_joins_the_address(session: Session) -> None:
    path = real("vcard", "google-gmail-3.0-johndoe-ezvcard.vcf")
    table = read_contacts(path)
    row = dict(zip(table.columns, table.rows[0], strict=True))
    assert row["Name (vollständig)"] == "Mr. John Richter, James Doe Sr."
    import_contacts(session, path)
    assert person(session, "Doe").street == (
        "Crescent moon drive, 555-asd, Nice Area, Albaney, New York 12345, United States of America"
    )
