"""Types the forms route modules share, and the FHIR R4 export of templates and forms."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

Purpose = Literal["intake", "questionnaire", "consent", "post_session", "clinical_note"]
Status = Literal["draft", "in_progress", "completed", "signed", "cancelled"]
ItemKey = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
# Answers by item key; each value is checked in SQL against the item's type and rules.
Answers = Annotated[dict[ItemKey, Any], msgspec.Meta(max_length=500)]


class Form(msgspec.Struct):
    id: UUID
    organization_id: UUID
    form_template_id: UUID
    form_template_version_id: UUID
    patient_id: UUID
    appointment_id: UUID | None
    amends_form_id: UUID | None
    status: Status
    answers: dict[str, Any]
    warnings: list[dict[str, Any]]
    filler_kind: Literal["patient", "caregiver", "staff"] | None
    completed_at: datetime | None
    signed_by: UUID | None
    signed_at: datetime | None
    signature_file_id: UUID | None
    signature_sha256: str | None
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime


class TemplateVersion(msgspec.Struct):
    id: UUID
    form_template_id: UUID
    version: int
    purpose: Purpose
    name: str
    translations: dict[str, Any]
    consent_purpose: str | None
    consent_document_id: UUID | None
    consent_document_version: int | None
    definition: dict[str, Any]
    pdf_template_id: UUID | None
    published_at: datetime


_FHIR_TYPES = {
    "display": "display",
    "text": "string",
    "long_text": "text",
    "number": "decimal",
    "integer": "integer",
    "scale": "integer",
    "boolean": "boolean",
    "date": "date",
    "datetime": "dateTime",
    "single_choice": "choice",
    "multi_choice": "choice",
    "file": "attachment",
    "signature": "attachment",
}
_FHIR_OPERATORS = {
    "equals": "=",
    "not_equals": "!=",
    "greater_than": ">",
    "less_than": "<",
    "exists": "exists",
}
_ANSWER_KEYS = {
    "boolean": "valueBoolean",
    "decimal": "valueDecimal",
    "integer": "valueInteger",
    "date": "valueDate",
    "dateTime": "valueDateTime",
    "string": "valueString",
    "text": "valueString",
    "choice": "valueCoding",
    "attachment": "valueAttachment",
}


def _items(version: TemplateVersion) -> list[dict[str, Any]]:
    return [i for s in version.definition.get("sections", []) for i in s.get("items", [])]


def _answer_value(kind: str, value: Any) -> dict[str, Any]:
    if kind == "choice":
        return {"valueCoding": {"code": value}}
    if kind == "attachment":
        return {"valueAttachment": {"url": f"urn:uuid:{value}"}}
    return {_ANSWER_KEYS[kind]: value}


def _enable_when(item: dict[str, Any]) -> dict[str, Any]:
    out: list[dict[str, Any]] = []
    for c in item["enable_when"]["conditions"]:
        values = c["value"] if c["operator"] == "in" else [c["value"]]
        op = "=" if c["operator"] == "in" else _FHIR_OPERATORS[c["operator"]]
        for v in values:
            if op == "exists" or isinstance(v, bool):
                answer = {"answerBoolean": v}
            elif isinstance(v, int):
                answer = {"answerInteger": v}
            elif isinstance(v, float):
                answer = {"answerDecimal": v}
            else:
                answer = {"answerCoding": {"code": v}}
            out.append({"question": c["item"], "operator": op, **answer})
    # FHIR has no "in": it is "any" over one equals per value.
    any_ = item["enable_when"].get("behavior") == "any" or (
        len(out) > 1 and any(c["operator"] == "in" for c in item["enable_when"]["conditions"])
    )
    return {
        "enableWhen": out,
        **({"enableBehavior": "any" if any_ else "all"} if len(out) > 1 else {}),
    }


def questionnaire(version: TemplateVersion, base_url: str) -> dict[str, Any]:
    """The version as a FHIR R4 Questionnaire (one group per section)."""
    groups = []
    for section in version.definition.get("sections", []):
        items = []
        for item in section.get("items", []):
            kind = _FHIR_TYPES[item["type"]]
            entry: dict[str, Any] = {
                "linkId": item["key"],
                "text": item.get("text") or item.get("label") or item["key"],
                "type": kind,
            }
            if kind != "display":
                entry["required"] = bool(item.get("required"))
            if item["type"] == "multi_choice":
                entry["repeats"] = True
            if item.get("options"):
                entry["answerOption"] = [
                    {"valueCoding": {"code": o["value"], "display": o.get("label", o["value"])}}
                    for o in item["options"]
                ]
            if "enable_when" in item:
                entry.update(_enable_when(item))
            items.append(entry)
        groups.append(
            {
                "linkId": section["key"],
                "text": section.get("title") or section["key"],
                "type": "group",
                "item": items,
            }
        )
    return {
        "resourceType": "Questionnaire",
        "id": str(version.id),
        "url": f"{base_url}/form-template-versions/{version.id}",
        "version": str(version.version),
        "name": "".join(w.capitalize() for w in version.name.split() if w.isalnum()) or "Form",
        "title": version.name,
        "status": "active",
        "date": version.published_at.isoformat(),
        "item": groups,
    }


def questionnaire_response(form: Form, version: TemplateVersion, base_url: str) -> dict[str, Any]:
    """A form as a FHIR R4 QuestionnaireResponse (answered items only, grouped by section)."""
    groups = []
    for section in version.definition.get("sections", []):
        items = []
        for item in section.get("items", []):
            if item["key"] not in form.answers:
                continue
            kind = _FHIR_TYPES[item["type"]]
            value = form.answers[item["key"]]
            values = value if isinstance(value, list) else [value]
            items.append(
                {"linkId": item["key"], "answer": [_answer_value(kind, v) for v in values]}
            )
        if items:
            groups.append({"linkId": section["key"], "item": items})
    status = {
        "signed": "completed",
        "completed": "completed",
        "cancelled": "stopped",
        "draft": "in-progress",
        "in_progress": "in-progress",
    }[form.status]
    out: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(form.id),
        "questionnaire": f"{base_url}/form-template-versions/{version.id}",
        "status": status,
        "subject": {"reference": f"Patient/{form.patient_id}"},
        "item": groups,
    }
    if form.completed_at is not None:
        out["authored"] = (form.signed_at or form.completed_at).isoformat()
    if form.signed_by is not None:
        out["author"] = {
            "reference": f"RelatedPerson/{form.signed_by}",
            "display": form.filler_kind,
        }
    return out
