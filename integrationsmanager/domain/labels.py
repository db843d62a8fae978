"""German labels of the network records' fields: one source for forms, messages and history.

The forms name a field in their error messages, and the audit trail (in ``storage``) names the
same field in a record's history; both read these tables so the two never drift apart.
"""

from __future__ import annotations

ORGANISATION_FIELD_LABELS = {
    "name": "Name",
    "kind": "Art",
    "street": "Straße",
    "postcode": "PLZ",
    "city": "Ort",
    "municipality": "Gemeinde",
    "phone": "Telefon",
    "email": "E-Mail",
    "website": "Webseite",
    "register_number": "Registernummer",
    "iban": "IBAN",
    "guidelines": "Leitlinien",
    "tags": "Schlagwörter",
    "notes": "Notizen",
}

PERSON_FIELD_LABELS = {
    "salutation": "Anrede",
    "title": "Titel",
    "first_name": "Vorname",
    "last_name": "Nachname",
    "street": "Straße",
    "postcode": "PLZ",
    "city": "Ort",
    "municipality": "Gemeinde",
    "languages": "Sprachen",
    "legal_basis": "Rechtsgrundlage",
    "purpose": "Zweck der Speicherung",
    "consent_purpose": "Zweck der Einwilligung",
    "consent_how": "Art der Einwilligung",
    "source": "Herkunft der Daten",
}
"""One-line fields; the consent dates are labelled in :data:`CONSENT_DATE_LABELS`."""
CONSENT_DATE_LABELS = {
    "consent_given_on": "Einwilligung am",
    "consent_withdrawn_on": "Widerrufen am",
}
