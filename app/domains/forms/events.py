"""The events the forms domain publishes: ids, statuses and flags only, never an answer (a
consumer that needs the values reads the form under RLS). A signed consent form also
publishes `consent.granted` (declared by the consent domain, with `form_id` set)."""

from __future__ import annotations

import uuid
from typing import ClassVar, Literal

from app.domains.events.payload import Payload

TemplatePurpose = Literal["intake", "questionnaire", "consent", "post_session", "clinical_note"]
FillerKind = Literal["patient", "caregiver", "staff"]


class FormTemplatePublished(Payload):
    """A template's draft was frozen into a new immutable version."""

    TYPE: ClassVar[str] = "form_template.published"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "form_template_id": "forms.form_templates.id",
        "form_template_version_id": "forms.form_template_versions.id",
        "version": "forms.form_template_versions.version",
        "purpose": "forms.form_templates.purpose",
    }
    form_template_id: uuid.UUID
    form_template_version_id: uuid.UUID
    version: int
    purpose: TemplatePurpose


class FormCreated(Payload):
    """A patient was asked to fill a form (a correction names the form it amends)."""

    TYPE: ClassVar[str] = "form.created"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "form_id": "forms.forms.id",
        "form_template_id": "forms.forms.form_template_id",
        "form_template_version_id": "forms.forms.form_template_version_id",
        "patient_id": "forms.forms.patient_id",
        "appointment_id": "forms.forms.appointment_id",
        "amends_form_id": "forms.forms.amends_form_id",
    }
    form_id: uuid.UUID
    form_template_id: uuid.UUID
    form_template_version_id: uuid.UUID
    patient_id: uuid.UUID
    appointment_id: uuid.UUID | None
    amends_form_id: uuid.UUID | None


class FormCompleted(Payload):
    """A form passed validation and was completed; mapped answers reached the patient's fields."""

    TYPE: ClassVar[str] = "form.completed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "form_id": "forms.forms.id",
        "patient_id": "forms.forms.patient_id",
        "form_template_version_id": "forms.forms.form_template_version_id",
        "filler_kind": "forms.forms.filler_kind",
    }
    form_id: uuid.UUID
    patient_id: uuid.UUID
    form_template_version_id: uuid.UUID
    filler_kind: FillerKind


class FormSigned(Payload):
    """A completed form was signed and is frozen from now on."""

    TYPE: ClassVar[str] = "form.signed"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "form_id": "forms.forms.id",
        "patient_id": "forms.forms.patient_id",
        "form_template_version_id": "forms.forms.form_template_version_id",
        "signer_id": "forms.forms.signed_by",
        "purpose": "forms.form_template_versions.purpose",
    }
    form_id: uuid.UUID
    patient_id: uuid.UUID
    form_template_version_id: uuid.UUID
    signer_id: uuid.UUID
    purpose: TemplatePurpose


class FormCancelled(Payload):
    """A form that was not signed was cancelled."""

    TYPE: ClassVar[str] = "form.cancelled"
    VERSION: ClassVar[int] = 1
    CARRIES: ClassVar[dict[str, str]] = {
        "form_id": "forms.forms.id",
        "patient_id": "forms.forms.patient_id",
        "previous_status": "forms.forms.status",
    }
    form_id: uuid.UUID
    patient_id: uuid.UUID
    previous_status: Literal["draft", "in_progress", "completed"]
