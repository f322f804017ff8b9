"""The person's side: /v1/me/forms, the forms they (and those they care for with sign_forms)
must fill and sign, in every organization where they are a patient."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from app.api.scope import Db
from app.db.queries import catalogue
from app.domains.forms.common import Form, TemplateVersion
from app.domains.forms.instances import (
    CompleteForm,
    SavedForm,
    SaveForm,
    SignForm,
    complete,
    load_form,
    save,
    sign,
)

Q = catalogue("forms")


class MyForm(msgspec.Struct):
    form: Form
    template: TemplateVersion


@get("/v1/me/forms", operation_id="my_forms_list", tags=["me"])
async def list_my_forms(
    db: NamedDependency[Db], include_done: FromQuery[bool] = False
) -> list[Form]:
    """Your forms and those of the people you care for, newest first; by default only those
    still to fill or sign."""
    return await db.rows(Q.my_forms, Form, include_done=include_done)


@get("/v1/me/forms/{form_id:uuid}", operation_id="my_forms_get", tags=["me"])
async def get_my_form(db: NamedDependency[Db], form_id: FromPath[UUID]) -> MyForm:
    """One of your forms with the template version to render."""
    form = await load_form(db, form_id)
    template = await db.row(
        Q.template_version_by_id, TemplateVersion, id=form.form_template_version_id
    )
    assert template is not None  # readable wherever the form is
    return MyForm(form=form, template=template)


@patch("/v1/me/forms/{form_id:uuid}", operation_id="my_forms_save", tags=["me"])
async def save_my_form(
    db: NamedDependency[Db], form_id: FromPath[UUID], data: JSONBody[SaveForm]
) -> SavedForm:
    """Save answers; the warnings say what completion still needs."""
    return await save(db, form_id, data)


@post(
    "/v1/me/forms/{form_id:uuid}/complete",
    operation_id="my_forms_complete",
    tags=["me"],
    status_code=200,
)
async def complete_my_form(
    db: NamedDependency[Db], form_id: FromPath[UUID], data: JSONBody[CompleteForm]
) -> Form:
    """Validate and complete; errors name each item."""
    return await complete(db, form_id, data)


@post(
    "/v1/me/forms/{form_id:uuid}/sign", operation_id="my_forms_sign", tags=["me"], status_code=200
)
async def sign_my_form(
    db: NamedDependency[Db], form_id: FromPath[UUID], data: JSONBody[SignForm]
) -> Form:
    """Sign a completed form (yours, or as a caregiver with sign_forms)."""
    return await sign(db, form_id, data)
