"""Human-readable error messages in the client's language; error codes are never translated."""

from __future__ import annotations

SUPPORTED = ("en", "ro")

MESSAGES: dict[str, dict[str, str]] = {
    "validation_failed": {
        "en": "The request is not valid.",
        "ro": "Cererea nu este validă.",
    },
    "malformed_json": {
        "en": "The request body is not valid JSON.",
        "ro": "Corpul cererii nu este JSON valid.",
    },
    "json_too_deep": {
        "en": "The request body nests more than 64 levels deep.",
        "ro": "Corpul cererii are mai mult de 64 de niveluri imbricate.",
    },
    "email_not_verified": {
        "en": "Verify your email address with your sign-in provider, then sign in again.",
        "ro": "Confirmați adresa de email la furnizorul de autentificare, apoi reveniți.",
    },
    "unauthenticated": {
        "en": "Sign in to continue.",
        "ro": "Autentificați-vă pentru a continua.",
    },
    "invalid_token": {
        "en": "The access token is not valid.",
        "ro": "Tokenul de acces nu este valid.",
    },
    "token_expired": {
        "en": "The access token has expired.",
        "ro": "Tokenul de acces a expirat.",
    },
    "human_blocked": {
        "en": "This account is blocked.",
        "ro": "Acest cont este blocat.",
    },
    "identity_conflict": {
        "en": "This email belongs to another sign-in identity.",
        "ro": "Acest email aparține altei identități de autentificare.",
    },
    "storage_unavailable": {
        "en": "File storage is unavailable; try again later.",
        "ro": "Stocarea fișierelor nu este disponibilă; încercați din nou mai târziu.",
    },
    "upload_rejected": {
        "en": "The uploaded file was refused and deleted.",
        "ro": "Fișierul încărcat a fost refuzat și șters.",
    },
    "logo_not_set": {
        "en": "The organization has no logo.",
        "ro": "Organizația nu are logo.",
    },
    "permission_denied": {
        "en": "You do not have permission to do this.",
        "ro": "Nu aveți permisiunea de a face acest lucru.",
    },
    "not_found": {
        "en": "Not found.",
        "ro": "Nu a fost găsit.",
    },
    "organization_not_found": {
        "en": "Organization not found.",
        "ro": "Organizația nu a fost găsită.",
    },
    "method_not_allowed": {
        "en": "This method is not allowed here.",
        "ro": "Această metodă nu este permisă aici.",
    },
    "conflict": {
        "en": "This conflicts with existing data.",
        "ro": "Aceasta intră în conflict cu datele existente.",
    },
    "constraint_violated": {
        "en": "The data breaks a rule of this resource.",
        "ro": "Datele încalcă o regulă a acestei resurse.",
    },
    "reference_not_found": {
        "en": "A referenced resource does not exist.",
        "ro": "O resursă la care se face referire nu există.",
    },
    "value_too_long": {
        "en": "A value is too long.",
        "ro": "O valoare este prea lungă.",
    },
    "invalid_value": {
        "en": "A value is not valid.",
        "ro": "O valoare nu este validă.",
    },
    "payload_too_large": {
        "en": "The request body is too large.",
        "ro": "Corpul cererii este prea mare.",
    },
    "unsupported_media_type": {
        "en": "Send the request body as JSON (`Content-Type: application/json`).",
        "ro": "Trimiteți corpul cererii ca JSON (`Content-Type: application/json`).",
    },
    "member_not_found": {
        "en": "No such member in this organization.",
        "ro": "Acest membru nu există în organizație.",
    },
    "role_not_found": {
        "en": "No such role in this organization.",
        "ro": "Acest rol nu există în organizație.",
    },
    "last_owner": {
        "en": "An organization keeps at least one active owner.",
        "ro": "O organizație păstrează cel puțin un proprietar activ.",
    },
    "rate_limited": {
        "en": "Too many requests; try again later.",
        "ro": "Prea multe cereri; încercați mai târziu.",
    },
    "internal_error": {
        "en": "Something went wrong on our side.",
        "ro": "A apărut o eroare la noi.",
    },
    "service_unavailable": {
        "en": "The service is temporarily unavailable.",
        "ro": "Serviciul este temporar indisponibil.",
    },
    "invalid_cursor": {
        "en": "The pagination cursor is not valid.",
        "ro": "Cursorul de paginare nu este valid.",
    },
    "invalid_sort": {
        "en": "The sort order is not supported.",
        "ro": "Ordinea de sortare nu este acceptată.",
    },
    "invitation_invalid": {
        "en": "This invitation is not valid any more.",
        "ro": "Această invitație nu mai este validă.",
    },
    "domain_not_verified": {
        "en": "The verification record was not found for this domain.",
        "ro": "Înregistrarea de verificare nu a fost găsită pentru acest domeniu.",
    },
}


def language_of(accept_language: str | None) -> str:
    """The first supported language the client accepts, by q-value; English otherwise."""
    if not accept_language:
        return "en"
    choices = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        choices.append((-quality, position, tag.strip().lower().split("-")[0]))
    for _q, _p, lang in sorted(choices):
        if lang in SUPPORTED:
            return lang
    return "en"


def message(code: str, lang: str, fallback: str) -> str:
    """The translated message for a code, or the fallback (English, from the raiser)."""
    return MESSAGES.get(code, {}).get(lang) or fallback
