"""Who a person in crisis is, where, and which crisis lines to show them first. No I/O.

What a member declared before admission (:class:`Contact`: where they are now, the region
that names, their phone, their emergency contact) and the policy's directory of crisis
lines ordered for them (:func:`resources_for`): those of their region and language first,
then the national ones (911, 9-8-8...).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from groupdesk.core.policy_values import CrisisResource
from groupdesk.core.protocol import Question
from groupdesk.core.session import checklist

_PROVINCES: dict[str, tuple[str, ...]] = {
    "CA-QC": ("quebec", "montreal", "laval", "gatineau", "sherbrooke", "trois-rivieres",
              "saguenay", "levis", "longueuil", "rimouski"),
    "CA-ON": ("ontario", "toronto", "ottawa", "mississauga", "hamilton"),
    "CA-BC": ("british columbia", "colombie-britannique", "vancouver", "victoria"),
    "CA-AB": ("alberta", "calgary", "edmonton"),
    "CA-SK": ("saskatchewan", "regina", "saskatoon"),
    "CA-MB": ("manitoba", "winnipeg"),
    "CA-NB": ("new brunswick", "nouveau-brunswick", "moncton", "fredericton"),
    "CA-NS": ("nova scotia", "nouvelle-ecosse", "halifax"),
    "CA-PE": ("prince edward island", "ile-du-prince-edouard", "charlottetown"),
    "CA-NL": ("newfoundland", "terre-neuve", "labrador"),
    "CA-YT": ("yukon", "whitehorse"),
    "CA-NT": ("northwest territories", "territoires du nord-ouest", "yellowknife"),
    "CA-NU": ("nunavut", "iqaluit"),
}  # fmt: skip
_CODE = re.compile(r"\b(QC|ON|BC|AB|SK|MB|NB|NS|PE|PEI|NL|YT|NT|NU)\b")


def _plain(text: str) -> str:
    """Lower case, without accents, dashes and spaces kept (Montréal -> montreal)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def region_of(location: str | None) -> str | None:
    """The region (``CA-QC``...) a declared location names: a province's code in capitals
    (``QC``, ``ON``), its name in English or French, or one of its main cities; None when
    the words name none (the panel then lists every line, national ones first)."""
    if not location or not location.strip():
        return None
    words = _plain(location)
    for region, names in _PROVINCES.items():
        if any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", words) for name in names):
            return region
    code = _CODE.search(location)  # capitals only: "on" and "ab" are words too
    if code is None:
        return None
    return "CA-PE" if code.group(1) == "PEI" else f"CA-{code.group(1)}"


def language_of(language: str | None) -> str:
    """A member's or the interface's language as the directory writes it (``en``,
    ``fr_CA``): any French is ``fr_CA``, anything else English."""
    return "fr_CA" if (language or "").lower().startswith("fr") else "en"


def resources_for(
    resources: Iterable[CrisisResource], region: str | None, language: str | None
) -> tuple[CrisisResource, ...]:
    """The directory ordered for one person: the lines of their region that answer in their
    language, then the national ones (911, 9-8-8...) in their language, then the lines of
    their region and the national ones in another language, then those of other regions.
    Unknown region: the national lines first, then the regional ones. The policy's order
    is kept within each rank."""
    lang = language_of(language)
    country = region.split("-")[0] if region else None

    def rank(resource: CrisisResource) -> int:
        speaks = lang in resource.languages
        if region is None:
            return (0 if resource.national else 1) + (0 if speaks else 2)
        if resource.region == region:
            return 0 if speaks else 2
        if resource.region == country:
            return 1 if speaks else 3
        return 4 if speaks else 5

    return tuple(sorted(resources, key=rank))


EMERGENCY_CONTACT = "emergency_contact"
"""The id of the checklist item that asks for someone to contact in an emergency."""


@dataclass(frozen=True)
class Contact:
    """What the member declared before admission, at hand in a crisis (None: not given):
    where they are now and the region it is in, their phone, their emergency contact."""

    location: str | None = None
    region: str | None = None
    phone: str | None = None
    emergency_contact: str | None = None

    @classmethod
    def of(cls, answers: Mapping[str, object], asked: Iterable[Question] = ()) -> Contact:
        """The contact in a member's ``answers`` to the room's questions (``asked``: the
        first phone and location items; without them, the default checklist's ids)."""
        asked = tuple(asked)
        location = checklist.declared(asked, answers, "location")
        return cls(
            location=location,
            region=region_of(location),
            phone=checklist.declared(asked, answers, "phone"),
            emergency_contact=checklist.declared((), answers, EMERGENCY_CONTACT),
        )
