"""vCard files: 2.1, 3.0 and 4.0 in (several cards per file), 3.0 in UTF-8 out.

vobject parses clean vCard 3.0 well but stumbles over what real files contain, so each card
is cleaned at the byte level first and only then handed to vobject:

- line breaks may be CRLF, LF, CR or Apple's CR CR LF; empty lines are dropped;
- folded lines are joined *before* decoding, so a fold that splits a UTF-8 character (the
  ownCloud bug) does no harm; a continuation starts with a space or a TAB (Outlook), and in
  2.1 the whitespace belongs to the value; a line that is no property at all (a base64 block
  without indentation, an unindented continuation) continues the line before;
- quoted-printable values (2.1, Outlook) are joined across their soft line breaks (``=`` at
  the end of a line) and decoded;
- each value is decoded with its ``CHARSET=`` (windows-1252, Windows-1251, SHIFT_JIS, UTF-8 …);
  a value without one (raw 8-bit 2.1, as Outlook writes ``L\\xe4mmerweg``) is tried as UTF-8,
  then with the charset another property of the same card names, then as Windows-1252;
- only the properties the office uses are kept (N, FN, EMAIL, TEL, ORG, TITLE, ROLE, ADR,
  NOTE, CATEGORIES, KIND and our X- fields), so photos, keys, Outlook's business-card XML,
  dates (valid or not, e.g. ``BDAY:19723101``) and group labels (``ITEM1.X-ABLABEL``) never
  reach the parser; a group prefix (``item1.EMAIL``) is dropped and the property kept;
- 2.1 values are re-escaped in 3.0 syntax, parameters are reduced to ``TYPE``.

Export writes vCard 3.0 (UTF-8, CRLF, folded by vobject on character boundaries). Our own
fields are X- properties: ``X-MUNICIPALITY`` (Gemeinde) and ``X-LANGUAGES`` (Sprachen).
An organisation is a card with ``ORG`` and ``FN`` = its name, an empty ``N``, marked
``X-KIND:org`` (vCard 4.0's ``KIND``, as an extension that 3.0 readers may ignore) and
``X-ABShowAs:COMPANY`` (how Apple and iOS contacts mark a company card).
"""

from __future__ import annotations

import binascii
import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import vobject
from vobject.base import Component, VObjectError

from integrationsmanager.domain.errors import UserError
from integrationsmanager.services.contact_formats.table import (
    CARD_WORD,
    FIELDS,
    ContactImportFailed,
    ContactTable,
)

X_MUNICIPALITY = "X-MUNICIPALITY"
X_LANGUAGES = "X-LANGUAGES"
X_KIND = "X-KIND"
X_SHOW_AS = "X-ABSHOWAS"

KEPT = frozenset(
    {
        "VERSION",
        "N",
        "FN",
        "EMAIL",
        "TEL",
        "ORG",
        "TITLE",
        "ROLE",
        "ADR",
        "NOTE",
        "CATEGORIES",
        "KIND",
        X_KIND,
        X_SHOW_AS,
        X_MUNICIPALITY,
        X_LANGUAGES,
    }
)
"""Properties read from a card; everything else is dropped before parsing."""

_STRUCTURED = frozenset({"N", "ADR", "ORG"})
_LISTS = frozenset({"CATEGORIES"})
_SKIPPED_PHONES = frozenset({"FAX", "PAGER"})
_LINE_BREAK = re.compile(rb"\r*\n|\r")
_PROPERTY = re.compile(rb"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)?[;:]")
_BEGIN = re.compile(rb"BEGIN[ \t]*:[ \t]*VCARD", re.IGNORECASE)
_END = re.compile(rb"END[ \t]*:[ \t]*VCARD", re.IGNORECASE)
_VERSION = re.compile(rb"VERSION[ \t]*:[ \t]*2\.1", re.IGNORECASE)
_SNIFF = re.compile(rb"^[ \t]*BEGIN[ \t]*:[ \t]*VCARD", re.IGNORECASE | re.MULTILINE)
_UNESCAPED_SEMICOLON = re.compile(r"(?<!\\);")
_BARE_COMMA = re.compile(r"\\.|,")
_QUOTED_PRINTABLE = "QUOTED-PRINTABLE"
_ORGANISATION_KINDS = frozenset({"org", "organization", "company"})

COLUMNS = [
    FIELDS[name]
    for name in (
        "salutation",
        "first_name",
        "last_name",
        "full_name",
        "email",
        "email2",
        "phone",
        "mobile",
        "organisation",
        "function",
        "street",
        "postcode",
        "city",
        "municipality",
        "languages",
        "tags",
        "notes",
    )
]
"""The columns of a table read from vCards: the labels of the fields they fill."""
_FIELD_OF_LABEL = {label: name for name, label in FIELDS.items()}


def looks_like_vcard(raw: bytes) -> bool:
    """Whether the file starts (after blank lines or a BOM) with ``BEGIN:VCARD``."""
    head = raw[:4096].removeprefix(b"\xef\xbb\xbf").lstrip()
    return _SNIFF.match(head) is not None


# --- reading ---------------------------------------------------------------------------------


@dataclass
class _Property:
    name: str
    params: list[tuple[str, str | None]]
    value: bytes


def read_vcards(raw: bytes, file_name: str) -> ContactTable:
    """One row per card of a vCard file; any unreadable card is an error naming its number."""
    cards = list(_split_cards(_LINE_BREAK.split(raw.removeprefix(b"\xef\xbb\xbf"))))
    if not cards:
        raise UserError(f"Die Datei „{file_name}“ enthält keine vCard (BEGIN:VCARD fehlt).")
    parsed = [_properties(lines) for lines in cards]
    file_charset = next(filter(None, map(_charset_hint, parsed)), None)
    rows: list[list[str]] = []
    kinds: list[str] = []
    problems: list[str] = []
    for number, (lines, properties) in enumerate(zip(cards, parsed, strict=True), start=1):
        charset = _charset_hint(properties) or file_charset
        text = _clean_card(properties, charset, version_21=any(map(_VERSION.match, lines)))
        try:
            component = _parse(text)
        except (VObjectError, ValueError) as err:
            problems.append(f"{CARD_WORD} {number}: Die vCard ist nicht lesbar ({err}).")
            continue
        values, kind = _card_values(component)
        rows.append([values.get(_FIELD_OF_LABEL[column], "") for column in COLUMNS])
        kinds.append(kind)
    if problems:
        raise ContactImportFailed(problems)
    return ContactTable(
        columns=list(COLUMNS),
        rows=rows,
        mapping={label: _FIELD_OF_LABEL[label] for label in COLUMNS},
        source_row_numbers=list(range(1, len(rows) + 1)),
        file_name=file_name,
        row_word=CARD_WORD,
        kinds=kinds,
    )


def _split_cards(lines: list[bytes]) -> Iterator[list[bytes]]:
    """The physical lines between each BEGIN:VCARD and its END:VCARD (nested cards dropped)."""
    card: list[bytes] | None = None
    depth = 0
    for line in lines:
        stripped = line.strip()
        if _BEGIN.fullmatch(stripped):
            depth += 1
            if depth == 1:
                card = []
            continue
        if _END.fullmatch(stripped) and depth:
            depth -= 1
            if depth == 0 and card is not None:
                yield card
                card = None
            continue
        if depth == 1 and card is not None:
            card.append(line)
    if card is not None:
        yield card  # a last card without END:VCARD


def _properties(lines: list[bytes]) -> list[_Property]:
    """The card's logical lines, unfolded at the byte level, as properties."""
    version_21 = any(map(_VERSION.match, lines))
    logical: list[bytearray] = []
    quoted_printable = False
    for line in lines:
        if quoted_printable and logical and logical[-1].endswith(b"="):
            del logical[-1][-1:]
            logical[-1] += line
        elif line[:1] in (b" ", b"\t") and logical:
            logical[-1] += line if version_21 else line[1:]
        elif not line:
            continue
        elif _PROPERTY.match(line) is None and logical:
            logical[-1] += line
        else:
            logical.append(bytearray(line))
            quoted_printable = _is_quoted_printable(line)
    return [prop for raw in logical if (prop := _parse_line(bytes(raw))) is not None]


def _split_at_colon(line: bytes) -> tuple[bytes, bytes] | None:
    """Name and parameters before the first colon outside double quotes, and the value."""
    quoted = False
    for index, byte in enumerate(line):
        if byte == 0x22:  # "
            quoted = not quoted
        elif byte == 0x3A and not quoted:  # :
            return line[:index], line[index + 1 :]
    return None


def _is_quoted_printable(line: bytes) -> bool:
    parts = _split_at_colon(line)
    head = parts[0] if parts is not None else line
    return _QUOTED_PRINTABLE.encode() in head.upper()


def _parse_line(line: bytes) -> _Property | None:
    parts = _split_at_colon(line)
    if parts is None:
        return None
    head, value = parts
    name, *raw_params = head.decode("latin-1").split(";")
    name = name.rpartition(".")[2].strip().upper()
    params: list[tuple[str, str | None]] = []
    for raw in raw_params:
        key, equals, param_value = raw.partition("=")
        key = key.strip().upper()
        if key:
            params.append((key, param_value.strip().strip('"') if equals else None))
    return _Property(name, params, value)


def _param(prop: _Property, key: str) -> str | None:
    return next((value for k, value in prop.params if k == key and value), None)


def _charset_hint(properties: list[_Property]) -> str | None:
    """The first charset a property names that is neither UTF-8 nor ASCII, if known."""
    for prop in properties:
        charset = _param(prop, "CHARSET")
        if charset and _codec(charset) not in (None, "utf-8", "ascii"):
            return charset
    return None


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):  # unknown, or not even a name ("utf\x008")
        return None


def _decode(value: bytes, charset: str | None, card_charset: str | None) -> str:
    """Text of a value: its CHARSET, else UTF-8, the card's charset, Windows-1252."""
    for candidate in (charset, "utf-8", card_charset, "cp1252"):
        if candidate and _codec(candidate):
            try:
                return value.decode(candidate)
            except UnicodeDecodeError:
                continue
    return value.decode("latin-1")


def _clean_card(properties: list[_Property], card_charset: str | None, *, version_21: bool) -> str:
    """The kept properties as a vCard 3.0 text that vobject reads."""
    lines = ["BEGIN:VCARD", "VERSION:3.0"]
    for prop in properties:
        if prop.name not in KEPT or prop.name == "VERSION":
            continue
        value = prop.value
        encoding = (_param(prop, "ENCODING") or "").upper()
        bare = {key for key, v in prop.params if v is None}
        if encoding == _QUOTED_PRINTABLE or _QUOTED_PRINTABLE in bare:
            value = binascii.a2b_qp(value)
        elif encoding in ("B", "BASE64") or "BASE64" in bare:
            continue
        text = _decode(value, _param(prop, "CHARSET"), card_charset)
        text = _escape_21(text, prop.name) if version_21 else _escape_commas(text, prop.name)
        text = re.sub(r"\r\n|\r|\n", r"\\n", text)
        types = _types(prop)
        params = f";TYPE={','.join(types)}" if types else ""
        lines.append(f"{prop.name}{params}:{text}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def _types(prop: _Property) -> list[str]:
    """TYPE values of a property: 3.0 ``TYPE=A,B``, 2.1 bare ``;WORK;PREF``, 4.0 ``PREF=1``."""
    found: list[str] = []
    for key, value in prop.params:
        if key == "TYPE" and value:
            found.extend(v.strip().strip('"').upper() for v in value.split(","))
        elif key == "PREF" or (value is None and key != _QUOTED_PRINTABLE):
            found.append(key)
    return [t for t in dict.fromkeys(found) if re.fullmatch(r"[A-Z0-9-]+", t)]


def _escape_21(text: str, name: str) -> str:
    """A 2.1 value (only ``\\;`` escaped, inside structured values) in 3.0 syntax."""

    def escape(part: str) -> str:
        escaped = part.replace("\\", "\\\\").replace(";", "\\;")
        return escaped if name in _LISTS else escaped.replace(",", "\\,")

    if name in _STRUCTURED:
        parts = _UNESCAPED_SEMICOLON.split(text)
        return ";".join(escape(p.replace("\\;", ";")) for p in parts)
    return escape(text)


def _escape_commas(text: str, name: str) -> str:
    """Escape the commas a 3.0/4.0 writer left bare (Google: ``FN:Richter, James``).

    vobject reads a bare comma as a list separator and keeps only the first item of a text
    property, so "Richter, James" would lose "James"; only CATEGORIES is a real list.
    """
    if name in _LISTS:
        return text
    return _BARE_COMMA.sub(lambda m: "\\," if m.group() == "," else m.group(), text)


def _parse(text: str) -> Component:
    """The card parsed by vobject (its values are text: nothing it could warn about)."""
    return vobject.readOne(text, ignoreUnreadable=False)


def _text(value: object) -> str:
    """A vobject value as one text; a list of parts (given and additional names) joined."""
    if isinstance(value, list | tuple):
        return " ".join(p for p in map(_text, value) if p)
    return str(value or "").strip()


def _type_set(prop: Component) -> set[str]:
    return {str(t).upper() for t in prop.params.get("TYPE", [])}


def _card_values(card: Component) -> tuple[dict[str, str], str]:
    """Field → text of one parsed card, and its kind ("person" or "organisation")."""
    contents: dict[str, list[Component]] = card.contents
    values: dict[str, str] = {}

    def first(name: str) -> str:
        return next((t for p in contents.get(name, []) if (t := _text(p.value))), "")

    if names := contents.get("n"):
        n = names[0].value
        values["last_name"] = _text(n.family)
        values["first_name"] = _text([n.given, n.additional])
        values["salutation"] = _text(n.prefix)
    values["full_name"] = first("fn")

    emails = sorted(contents.get("email", []), key=lambda p: "PREF" not in _type_set(p))
    addresses = [_text(p.value).removeprefix("mailto:") for p in emails]
    addresses = [a for a in addresses if a]
    values["email"] = addresses[0] if addresses else ""
    values["email2"] = "; ".join(addresses[1:])
    phones: list[str] = []
    mobiles: list[str] = []
    for prop in contents.get("tel", []):
        number = _text(prop.value).removeprefix("tel:")
        types = _type_set(prop)
        if number and not types & _SKIPPED_PHONES:
            (mobiles if "CELL" in types else phones).append(number)
    values["phone"] = "; ".join(phones)
    values["mobile"] = "; ".join(mobiles)

    for prop in contents.get("org", []):
        parts = prop.value if isinstance(prop.value, list) else [prop.value]
        if organisation := next((t for t in map(_text, parts) if t), ""):
            values["organisation"] = organisation
            break
    values["function"] = first("title") or first("role")
    values.update(_address(contents.get("adr", [])))
    values["municipality"] = first(X_MUNICIPALITY.lower())
    values["languages"] = first(X_LANGUAGES.lower())
    values["tags"] = ", ".join(
        t for p in contents.get("categories", []) for t in map(_text, _as_list(p.value)) if t
    )
    values["notes"] = "\n".join(t for p in contents.get("note", []) if (t := _text(p.value)))
    kind = first("kind") or first(X_KIND.lower()) or first(X_SHOW_AS.lower())
    return values, "organisation" if kind.casefold() in _ORGANISATION_KINDS else "person"


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _address(addresses: list[Component]) -> dict[str, str]:
    """Street, postcode and city of the preferred, else the work, else the first address.

    The street may span lines (Google puts the whole address there); the import joins them.
    """

    def rank(prop: Component) -> int:
        types = _type_set(prop)
        return 0 if "PREF" in types else 1 if "WORK" in types else 2

    for prop in sorted(addresses, key=rank):
        adr = prop.value
        street = _text(adr.street) or _text(adr.extended)
        postcode = _text(adr.code)
        city = _text(adr.city)
        if street or postcode or city:
            return {"street": street, "postcode": postcode, "city": city}
    return {}


# --- writing ---------------------------------------------------------------------------------


@dataclass
class Card:
    """What one exported card says; empty fields are left out."""

    full_name: str
    family: str = ""
    given: str = ""
    prefix: str = ""
    organisation: str = ""
    function: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    mobiles: list[str] = field(default_factory=list)
    street: str = ""
    postcode: str = ""
    city: str = ""
    municipality: str = ""
    languages: str = ""
    website: str = ""
    categories: list[str] = field(default_factory=list)
    note: str = ""
    is_organisation: bool = False


def write_vcards(cards: list[Card]) -> str:
    """The cards as one vCard 3.0 text with CRLF line ends."""
    return "".join(_component(card).serialize() for card in cards)


def _component(card: Card) -> Component:
    component = vobject.vCard()
    component.add("n").value = vobject.vcard.Name(
        family=card.family, given=card.given, prefix=card.prefix
    )
    component.add("fn").value = card.full_name
    if card.is_organisation:
        component.add(X_KIND.lower()).value = "org"
        component.add(X_SHOW_AS.lower()).value = "COMPANY"
    if card.organisation:
        component.add("org").value = [card.organisation]
    if card.function:
        component.add("title").value = card.function
    for position, address in enumerate(card.emails):
        prop = component.add("email")
        prop.value = address
        prop.type_paramlist = ["INTERNET", "PREF"] if position == 0 else ["INTERNET"]
    for numbers, kind in ((card.phones, "VOICE"), (card.mobiles, "CELL")):
        for number in numbers:
            prop = component.add("tel")
            prop.value = number
            prop.type_paramlist = [kind]
    if card.street or card.postcode or card.city:
        prop = component.add("adr")
        prop.value = vobject.vcard.Address(street=card.street, code=card.postcode, city=card.city)
        prop.type_paramlist = ["WORK"]
    if card.website:
        component.add("url").value = card.website
    for name, text in ((X_MUNICIPALITY, card.municipality), (X_LANGUAGES, card.languages)):
        if text:
            component.add(name.lower()).value = text
    if card.categories:
        component.add("categories").value = card.categories
    if card.note:
        component.add("note").value = card.note
    return component
