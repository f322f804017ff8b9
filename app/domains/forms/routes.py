"""The forms domain's HTTP routes: custom fields and a patient's values, form templates and
their versions, forms of the organization's patients and their files, and the person's own
forms and their files."""

from app.api.common import org_router, signed_in_router
from app.domains.forms import fields, files, instances, me, templates

ROUTERS = [
    org_router(
        fields.list_fields,
        fields.get_field,
        fields.create_field,
        fields.update_field,
        fields.delete_field,
        fields.list_field_versions,
        fields.get_patient_fields,
        fields.set_patient_fields,
        templates.list_templates,
        templates.get_template,
        templates.create_template,
        templates.update_template,
        templates.publish_template,
        templates.preview_template,
        templates.list_versions,
        templates.version_fhir,
        templates.list_service_forms,
        templates.set_service_form,
        templates.remove_service_form,
        instances.list_forms,
        instances.get_form,
        instances.create_form,
        instances.save_form,
        instances.complete_form,
        instances.sign_form,
        instances.cancel_form,
        instances.amend_form,
        instances.form_fhir,
        files.request_form_upload,
        files.confirm_form_upload,
        files.get_form_file,
    ),
    signed_in_router(
        me.list_my_forms,
        me.get_my_form,
        me.save_my_form,
        me.complete_my_form,
        me.sign_my_form,
        files.request_my_form_upload,
        files.confirm_my_form_upload,
        files.get_my_form_file,
    ),
]
