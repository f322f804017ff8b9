"""The published contract a frontend generates its client from: stable operation ids and
schema names, error codes as enums with typed details, the headers, 415 for non-JSON bodies."""

from __future__ import annotations

import json
import re
from functools import cache

import pytest
from litestar.routes import HTTPRoute

from app.api.contract import ROOT, document
from app.api.main import create_app
from tests.api_client import Api
from tests.api_world import clinic, error_code

# Every operation id, pinned: renaming one breaks generated clients, so it must show up here.
OPERATION_IDS = {
    "audit_log_list": "GET /v1/orgs/{org_id}/audit-log",
    "billing_profile_get": "GET /v1/orgs/{org_id}/billing",
    "billing_profile_update": "PUT /v1/orgs/{org_id}/billing",
    "consent_documents_list": "GET /v1/consent-documents",
    "consent_documents_publish": "POST /v1/orgs/{org_id}/consent-documents",
    "consents_list": "GET /v1/orgs/{org_id}/consents",
    "console_addons_attach": "POST /v1/console/orgs/{org_id}/addons",
    "console_audit_log_list": "GET /v1/console/audit-log",
    "console_consent_documents_publish": "POST /v1/console/consent-documents",
    "console_entitlements_set": "PUT /v1/console/orgs/{org_id}/entitlements/{code}",
    "break_glass_list": "GET /v1/orgs/{org_id}/break-glass",
    "console_break_glass_close": "POST /v1/console/break-glass/{grant_id}/close",
    "console_break_glass_list": "GET /v1/console/break-glass",
    "console_break_glass_open": "POST /v1/console/break-glass",
    "console_humans_block": "POST /v1/console/humans/{principal_id}/block",
    "console_humans_list": "GET /v1/console/humans",
    "console_humans_set_platform_role": "PUT /v1/console/humans/{principal_id}/platform-role",
    "console_humans_unblock": "POST /v1/console/humans/{principal_id}/unblock",
    "console_organizations_list": "GET /v1/console/orgs",
    "console_overrides_grant": "POST /v1/console/orgs/{org_id}/overrides",
    "console_overrides_revoke": "DELETE /v1/console/overrides/{override_id}",
    "console_resolved_providers_list": "GET /v1/console/orgs/{org_id}/providers",
    "console_service_providers_create": "POST /v1/console/service-providers",
    "console_service_providers_list": "GET /v1/console/service-providers",
    "console_service_providers_remove": "DELETE /v1/console/service-providers/{provider_id}",
    "console_service_providers_update": "PATCH /v1/console/service-providers/{provider_id}",
    "console_subscriptions_change_tier": "PUT /v1/console/orgs/{org_id}/subscription",
    "console_subscriptions_end": "DELETE /v1/console/subscriptions/{subscription_id}",
    "console_subscriptions_list": "GET /v1/console/orgs/{org_id}/subscriptions",
    "console_subscriptions_migrate": "POST /v1/console/subscriptions/{subscription_id}/migrate",
    "console_tier_versions_publish": "POST /v1/console/tiers/{tier}/versions",
    "console_tiers_list": "GET /v1/console/tiers",
    "domains_add": "POST /v1/orgs/{org_id}/domains",
    "domains_list": "GET /v1/orgs/{org_id}/domains",
    "domains_remove": "DELETE /v1/orgs/{org_id}/domains/{domain_id}",
    "domains_set_primary": "POST /v1/orgs/{org_id}/domains/{domain_id}/primary",
    "domains_verify": "POST /v1/orgs/{org_id}/domains/{domain_id}/verify",
    "entitlements_get": "GET /v1/orgs/{org_id}/entitlements",
    "health_get": "GET /healthz",
    "integrations_connect": "POST /v1/orgs/{org_id}/integrations",
    "integrations_list": "GET /v1/orgs/{org_id}/integrations",
    "integrations_remove": "DELETE /v1/orgs/{org_id}/integrations/{integration_id}",
    "integrations_update": "PATCH /v1/orgs/{org_id}/integrations/{integration_id}",
    "invitations_accept": "POST /v1/invitations/accept",
    "invitations_create": "POST /v1/orgs/{org_id}/invitations",
    "invitations_list": "GET /v1/orgs/{org_id}/invitations",
    "invitations_revoke": "DELETE /v1/orgs/{org_id}/invitations/{invitation_id}",
    "logo_get": "GET /v1/orgs/{org_id}/logo",
    "logo_remove": "DELETE /v1/orgs/{org_id}/logo",
    "logo_upload_confirm": "POST /v1/orgs/{org_id}/logo/{file_id}/confirm",
    "logo_upload_request": "POST /v1/orgs/{org_id}/logo",
    "me_get": "GET /v1/me",
    "members_list": "GET /v1/orgs/{org_id}/members",
    "members_remove": "DELETE /v1/orgs/{org_id}/members/{membership_id}",
    "members_update": "PATCH /v1/orgs/{org_id}/members/{membership_id}",
    "my_consents_grant": "POST /v1/me/consents",
    "my_consents_history": "GET /v1/me/consents/history",
    "my_consents_list": "GET /v1/me/consents",
    "my_consents_withdraw": "POST /v1/me/consents/withdraw",
    "my_patients_list": "GET /v1/me/patients",
    "my_profiles_create": "POST /v1/me/profiles",
    "my_profiles_list": "GET /v1/me/profiles",
    "my_profiles_update": "PATCH /v1/me/profiles/{profile_id}",
    "organizations_create": "POST /v1/orgs",
    "organizations_get": "GET /v1/orgs/{org_id}",
    "organizations_resolve": "GET /v1/public/resolve",
    "organizations_update": "PATCH /v1/orgs/{org_id}",
    "patient_caregivers_add": "POST /v1/orgs/{org_id}/patients/{patient_id}/caregivers",
    "patient_caregivers_list": "GET /v1/orgs/{org_id}/patients/{patient_id}/caregivers",
    "patient_caregivers_remove": (
        "DELETE /v1/orgs/{org_id}/patients/{patient_id}/caregivers/{caregiver_id}"
    ),
    "patient_tier_inclusions_list": "GET /v1/orgs/{org_id}/patient-tiers/{tier_id}/inclusions",
    "patient_tier_inclusions_set": "PUT /v1/orgs/{org_id}/patient-tiers/{tier_id}/inclusions",
    "patient_tiers_create": "POST /v1/orgs/{org_id}/patient-tiers",
    "patient_tiers_list": "GET /v1/orgs/{org_id}/patient-tiers",
    "patient_tiers_update": "PATCH /v1/orgs/{org_id}/patient-tiers/{tier_id}",
    "patients_create": "POST /v1/orgs/{org_id}/patients",
    "patients_delete": "DELETE /v1/orgs/{org_id}/patients/{patient_id}",
    "patients_get": "GET /v1/orgs/{org_id}/patients/{patient_id}",
    "patients_list": "GET /v1/orgs/{org_id}/patients",
    "patients_restore": "POST /v1/orgs/{org_id}/patients/{patient_id}/restore",
    "patients_update": "PATCH /v1/orgs/{org_id}/patients/{patient_id}",
    "specialist_signature_get": "GET /v1/orgs/{org_id}/specialists/{specialist_id}/signature",
    "specialist_signature_remove": (
        "DELETE /v1/orgs/{org_id}/specialists/{specialist_id}/signature"
    ),
    "specialist_signature_upload_confirm": (
        "POST /v1/orgs/{org_id}/specialists/{specialist_id}/signature/{file_id}/confirm"
    ),
    "specialist_signature_upload_request": (
        "POST /v1/orgs/{org_id}/specialists/{specialist_id}/signature"
    ),
    "specialist_specialties_set": "PUT /v1/orgs/{org_id}/specialists/{specialist_id}/specialties",
    "specialists_create": "POST /v1/orgs/{org_id}/specialists",
    "specialists_delete": "DELETE /v1/orgs/{org_id}/specialists/{specialist_id}",
    "specialists_get": "GET /v1/orgs/{org_id}/specialists/{specialist_id}",
    "specialists_list": "GET /v1/orgs/{org_id}/specialists",
    "specialists_restore": "POST /v1/orgs/{org_id}/specialists/{specialist_id}/restore",
    "specialists_update": "PATCH /v1/orgs/{org_id}/specialists/{specialist_id}",
    "specialties_create": "POST /v1/orgs/{org_id}/specialties",
    "specialties_delete": "DELETE /v1/orgs/{org_id}/specialties/{specialty_id}",
    "specialties_list": "GET /v1/orgs/{org_id}/specialties",
    "specialties_update": "PATCH /v1/orgs/{org_id}/specialties/{specialty_id}",
    "patient_subscription_get": "GET /v1/orgs/{org_id}/patients/{patient_id}/subscription",
    "patient_subscription_change": "PUT /v1/orgs/{org_id}/patients/{patient_id}/subscription",
    "patient_subscription_end": "DELETE /v1/orgs/{org_id}/patients/{patient_id}/subscription",
    "patient_subscription_overrides_grant": (
        "POST /v1/orgs/{org_id}/patients/{patient_id}/subscription/overrides"
    ),
    "patient_subscription_overrides_revoke": (
        "DELETE /v1/orgs/{org_id}/patients/{patient_id}/subscription/overrides/{override_id}"
    ),
    "portal_onboard": "POST /v1/portal/onboard",
    "permissions_list": "GET /v1/permissions",
    "webhooks_attempts": "GET /v1/orgs/{org_id}/webhooks/{webhook_id}/attempts",
    "webhooks_create": "POST /v1/orgs/{org_id}/webhooks",
    "webhooks_delete": "DELETE /v1/orgs/{org_id}/webhooks/{webhook_id}",
    "webhooks_get": "GET /v1/orgs/{org_id}/webhooks/{webhook_id}",
    "webhooks_list": "GET /v1/orgs/{org_id}/webhooks",
    "webhooks_replay_message": (
        "POST /v1/orgs/{org_id}/webhooks/{webhook_id}/messages/{message_id}/replay"
    ),
    "webhooks_replay_since": "POST /v1/orgs/{org_id}/webhooks/{webhook_id}/replay",
    "webhooks_rotate_secret": "POST /v1/orgs/{org_id}/webhooks/{webhook_id}/rotate-secret",
    "webhooks_test": "POST /v1/orgs/{org_id}/webhooks/{webhook_id}/test",
    "webhooks_update": "PATCH /v1/orgs/{org_id}/webhooks/{webhook_id}",
    "readiness_get": "GET /readyz",
    "roles_create": "POST /v1/orgs/{org_id}/roles",
    "roles_delete": "DELETE /v1/orgs/{org_id}/roles/{role_id}",
    "roles_list": "GET /v1/orgs/{org_id}/roles",
    "roles_update": "PATCH /v1/orgs/{org_id}/roles/{role_id}",
    "settings_get": "GET /v1/orgs/{org_id}/settings",
    "settings_update": "PATCH /v1/orgs/{org_id}/settings",
    "usage_get": "GET /v1/orgs/{org_id}/usage",
    "services_list": "GET /v1/orgs/{org_id}/services",
    "services_get": "GET /v1/orgs/{org_id}/services/{service_id}",
    "services_create": "POST /v1/orgs/{org_id}/services",
    "services_update": "PATCH /v1/orgs/{org_id}/services/{service_id}",
    "services_delete": "DELETE /v1/orgs/{org_id}/services/{service_id}",
    "services_restore": "POST /v1/orgs/{org_id}/services/{service_id}/restore",
    "service_attachment_upload_request": "POST /v1/orgs/{org_id}/services/{service_id}/attachments",
    "service_attachment_upload_confirm": (
        "POST /v1/orgs/{org_id}/services/{service_id}/attachments/{file_id}/confirm"
    ),
    "service_attachments_list": "GET /v1/orgs/{org_id}/services/{service_id}/attachments",
    "service_attachment_remove": (
        "DELETE /v1/orgs/{org_id}/services/{service_id}/attachments/{file_id}"
    ),
    "service_specialists_list": "GET /v1/orgs/{org_id}/services/{service_id}/specialists",
    "service_specialists_set": "PUT /v1/orgs/{org_id}/services/{service_id}/specialists",
    "service_plans_list": "GET /v1/orgs/{org_id}/service-plans",
    "service_plans_get": "GET /v1/orgs/{org_id}/service-plans/{plan_id}",
    "service_plans_create": "POST /v1/orgs/{org_id}/service-plans",
    "service_plans_update": "PATCH /v1/orgs/{org_id}/service-plans/{plan_id}",
    "service_plans_delete": "DELETE /v1/orgs/{org_id}/service-plans/{plan_id}",
    "service_plan_versions_list": "GET /v1/orgs/{org_id}/service-plans/{plan_id}/versions",
    "service_plan_versions_get": "GET /v1/orgs/{org_id}/service-plans/{plan_id}/versions/{version}",
    "service_plan_versions_publish": "POST /v1/orgs/{org_id}/service-plans/{plan_id}/versions",
    "products_list": "GET /v1/orgs/{org_id}/products",
    "products_get": "GET /v1/orgs/{org_id}/products/{product_id}",
    "products_create": "POST /v1/orgs/{org_id}/products",
    "products_update": "PATCH /v1/orgs/{org_id}/products/{product_id}",
    "products_delete": "DELETE /v1/orgs/{org_id}/products/{product_id}",
    "patient_plans_list": "GET /v1/orgs/{org_id}/patients/{patient_id}/plans",
    "patient_plans_get": "GET /v1/orgs/{org_id}/patients/{patient_id}/plans/{enrollment_id}",
    "patient_plans_enroll": "POST /v1/orgs/{org_id}/patients/{patient_id}/plans",
    "patient_plans_revoke": (
        "POST /v1/orgs/{org_id}/patients/{patient_id}/plans/{enrollment_id}/revoke"
    ),
    "patient_plans_consume": (
        "POST /v1/orgs/{org_id}/patients/{patient_id}/plans/{enrollment_id}/consumptions"
    ),
    "patient_plans_consumptions": (
        "GET /v1/orgs/{org_id}/patients/{patient_id}/plans/{enrollment_id}/consumptions"
    ),
    "my_plans_list": "GET /v1/me/plans",
    "public_services_list": "GET /v1/public/orgs/{slug}/services",
    "custom_fields_list": "GET /v1/orgs/{org_id}/custom-fields",
    "custom_fields_get": "GET /v1/orgs/{org_id}/custom-fields/{field_id}",
    "custom_fields_create": "POST /v1/orgs/{org_id}/custom-fields",
    "custom_fields_update": "PATCH /v1/orgs/{org_id}/custom-fields/{field_id}",
    "custom_fields_delete": "DELETE /v1/orgs/{org_id}/custom-fields/{field_id}",
    "custom_fields_versions": "GET /v1/orgs/{org_id}/custom-fields/{field_id}/versions",
    "patient_fields_get": "GET /v1/orgs/{org_id}/patients/{patient_id}/fields",
    "patient_fields_set": "PATCH /v1/orgs/{org_id}/patients/{patient_id}/fields",
    "form_templates_list": "GET /v1/orgs/{org_id}/form-templates",
    "form_templates_get": "GET /v1/orgs/{org_id}/form-templates/{template_id}",
    "form_templates_create": "POST /v1/orgs/{org_id}/form-templates",
    "form_templates_update": "PATCH /v1/orgs/{org_id}/form-templates/{template_id}",
    "form_templates_publish": "POST /v1/orgs/{org_id}/form-templates/{template_id}/publish",
    "form_templates_preview": (
        "POST /v1/orgs/{org_id}/form-templates/{template_id}/preview-validate"
    ),
    "form_templates_versions": "GET /v1/orgs/{org_id}/form-templates/{template_id}/versions",
    "form_template_versions_fhir": (
        "GET /v1/orgs/{org_id}/form-template-versions/{version_id}/fhir"
    ),
    "forms_list": "GET /v1/orgs/{org_id}/forms",
    "forms_get": "GET /v1/orgs/{org_id}/forms/{form_id}",
    "forms_create": "POST /v1/orgs/{org_id}/forms",
    "forms_save": "PATCH /v1/orgs/{org_id}/forms/{form_id}",
    "forms_complete": "POST /v1/orgs/{org_id}/forms/{form_id}/complete",
    "forms_sign": "POST /v1/orgs/{org_id}/forms/{form_id}/sign",
    "forms_cancel": "POST /v1/orgs/{org_id}/forms/{form_id}/cancel",
    "forms_amend": "POST /v1/orgs/{org_id}/forms/{form_id}/amend",
    "forms_fhir": "GET /v1/orgs/{org_id}/forms/{form_id}/fhir",
    "forms_file_upload_request": "POST /v1/orgs/{org_id}/forms/{form_id}/files",
    "forms_file_upload_confirm": ("POST /v1/orgs/{org_id}/forms/{form_id}/files/{file_id}/confirm"),
    "forms_file_get": "GET /v1/orgs/{org_id}/forms/{form_id}/files/{file_id}",
    "service_forms_list": "GET /v1/orgs/{org_id}/services/{service_id}/forms",
    "service_forms_set": "POST /v1/orgs/{org_id}/services/{service_id}/forms",
    "service_forms_remove": (
        "DELETE /v1/orgs/{org_id}/services/{service_id}/forms/{service_form_id}"
    ),
    "my_forms_list": "GET /v1/me/forms",
    "my_forms_get": "GET /v1/me/forms/{form_id}",
    "my_forms_save": "PATCH /v1/me/forms/{form_id}",
    "my_forms_complete": "POST /v1/me/forms/{form_id}/complete",
    "my_forms_sign": "POST /v1/me/forms/{form_id}/sign",
    "my_forms_file_upload_request": "POST /v1/me/forms/{form_id}/files",
    "my_forms_file_upload_confirm": "POST /v1/me/forms/{form_id}/files/{file_id}/confirm",
    "my_forms_file_get": "GET /v1/me/forms/{form_id}/files/{file_id}",
    "weekly_hours_list": "GET /v1/orgs/{org_id}/specialists/{specialist_id}/weekly-hours",
    "weekly_hours_add": "POST /v1/orgs/{org_id}/specialists/{specialist_id}/weekly-hours",
    "weekly_hours_delete": "DELETE /v1/orgs/{org_id}/weekly-hours/{hours_id}",
    "overrides_list": "GET /v1/orgs/{org_id}/specialists/{specialist_id}/overrides",
    "override_set": ("PUT /v1/orgs/{org_id}/specialists/{specialist_id}/overrides/{override_date}"),
    "override_delete": "DELETE /v1/orgs/{org_id}/overrides/{override_id}",
    "closures_list": "GET /v1/orgs/{org_id}/closures",
    "closure_add": "POST /v1/orgs/{org_id}/closures",
    "closure_delete": "DELETE /v1/orgs/{org_id}/closures/{closure_id}",
    "calendars_list": "GET /v1/orgs/{org_id}/calendars",
    "calendars_get": "GET /v1/orgs/{org_id}/calendars/{calendar_id}",
    "calendars_create": "POST /v1/orgs/{org_id}/calendars",
    "calendars_update": "PATCH /v1/orgs/{org_id}/calendars/{calendar_id}",
    "calendars_delete": "DELETE /v1/orgs/{org_id}/calendars/{calendar_id}",
    "calendar_specialists_list": "GET /v1/orgs/{org_id}/calendars/{calendar_id}/specialists",
    "calendar_specialists_set": (
        "PUT /v1/orgs/{org_id}/calendars/{calendar_id}/specialists/{specialist_id}"
    ),
    "calendar_specialists_remove": (
        "DELETE /v1/orgs/{org_id}/calendars/{calendar_id}/specialists/{specialist_id}"
    ),
    "calendar_forms_list": "GET /v1/orgs/{org_id}/calendars/{calendar_id}/forms",
    "calendar_forms_set": "POST /v1/orgs/{org_id}/calendars/{calendar_id}/forms",
    "calendar_forms_remove": (
        "DELETE /v1/orgs/{org_id}/calendars/{calendar_id}/forms/{calendar_form_id}"
    ),
    "calendars_availability": "GET /v1/orgs/{org_id}/calendars/{calendar_id}/availability",
    "appointments_list": "GET /v1/orgs/{org_id}/appointments",
    "appointments_get": "GET /v1/orgs/{org_id}/appointments/{appointment_id}",
    "appointments_book": "POST /v1/orgs/{org_id}/appointments",
    "appointments_transition": "POST /v1/orgs/{org_id}/appointments/{appointment_id}/transition",
    "appointments_reschedule": "POST /v1/orgs/{org_id}/appointments/{appointment_id}/reschedule",
    "appointments_cancel": "POST /v1/orgs/{org_id}/appointments/{appointment_id}/cancel",
    "calendars_requirements": "GET /v1/orgs/{org_id}/calendars/{calendar_id}/requirements",
    "my_appointments_list": "GET /v1/me/appointments",
    "my_appointments_book": "POST /v1/me/appointments",
    "my_appointments_cancel": "POST /v1/me/appointments/{appointment_id}/cancel",
    "appointment_series_book": "POST /v1/orgs/{org_id}/appointment-series",
    "appointment_series_get": "GET /v1/orgs/{org_id}/appointment-series/{series_id}",
    "appointment_series_cancel": "POST /v1/orgs/{org_id}/appointment-series/{series_id}/cancel",
    "calendar_feed_create": "POST /v1/orgs/{org_id}/specialists/{specialist_id}/calendar.ics",
    "calendar_feed_get": "GET /v1/orgs/{org_id}/specialists/{specialist_id}/calendar.ics",
    "calendar_feed_revoke": "DELETE /v1/orgs/{org_id}/specialists/{specialist_id}/calendar.ics",
    "public_calendar_feed": "GET /v1/public/calendar-feeds/{feed}",
    "appointment_file_upload_request": "POST /v1/orgs/{org_id}/appointments/{appointment_id}/files",
    "appointment_file_upload_confirm": (
        "POST /v1/orgs/{org_id}/appointments/{appointment_id}/files/{file_id}/confirm"
    ),
    "appointment_files_list": "GET /v1/orgs/{org_id}/appointments/{appointment_id}/files",
    "appointment_file_get": "GET /v1/orgs/{org_id}/appointments/{appointment_id}/files/{file_id}",
    "appointment_file_remove": (
        "DELETE /v1/orgs/{org_id}/appointments/{appointment_id}/files/{file_id}"
    ),
    "appointment_review_get": "GET /v1/orgs/{org_id}/appointments/{appointment_id}/review",
    "appointment_reviews_list": "GET /v1/orgs/{org_id}/reviews",
    "my_appointment_file_upload_request": "POST /v1/me/appointments/{appointment_id}/files",
    "my_appointment_file_upload_confirm": (
        "POST /v1/me/appointments/{appointment_id}/files/{file_id}/confirm"
    ),
    "my_appointment_files_list": "GET /v1/me/appointments/{appointment_id}/files",
    "my_appointment_file_get": "GET /v1/me/appointments/{appointment_id}/files/{file_id}",
    "my_appointment_review_create": "POST /v1/me/appointments/{appointment_id}/review",
    "my_appointment_review_get": "GET /v1/me/appointments/{appointment_id}/review",
    "appointments_video_join": "GET /v1/orgs/{org_id}/appointments/{appointment_id}/video",
    "my_appointments_video_join": "GET /v1/me/appointments/{appointment_id}/video",
    "my_calendar_requirements": "GET /v1/me/calendars/{calendar_id}/requirements",
    "public_availability": "GET /v1/public/calendars/{calendar_id}/availability",
    "public_holds_place": "POST /v1/public/calendars/{calendar_id}/holds",
    "public_holds_release": "DELETE /v1/public/calendars/{calendar_id}/holds",
    "public_availability_stream": "GET /v1/public/calendars/{calendar_id}/availability/stream",
    "appointments_confirm": "POST /v1/orgs/{org_id}/appointments/{appointment_id}/confirm",
    "public_bookings_create": "POST /v1/public/bookings",
}


@cache
def _document() -> dict:
    return document(create_app())


def _operations():
    for path, item in _document()["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield method.upper(), path, operation


def test_operation_ids_are_pinned_resource_verb_and_declared_on_each_route() -> None:
    served = {op["operationId"]: f"{method} {path}" for method, path, op in _operations()}
    assert len(served) == len(list(_operations())), "operation ids must be unique"
    assert served == OPERATION_IDS
    # Declared on the route (`operation_id=`), never derived from a path that may change.
    for route in create_app().routes:
        if isinstance(route, HTTPRoute) and not route.path.startswith("/schema"):
            for handler in route.route_handlers:
                if handler.http_methods != {"OPTIONS"}:
                    assert isinstance(handler.operation_id, str), route.path


def test_schema_names_carry_no_module_path() -> None:
    names = list(_document()["components"]["schemas"])
    assert all(name.isidentifier() and "_" not in name for name in names), names
    assert {"MemberPage", "AuditEntryPage", "HumanPage"} <= set(names)
    assert "ErrorEnvelope" in names


def test_every_error_response_lists_its_codes_and_a_real_example() -> None:
    for method, path, op in _operations():
        for status, response in op["responses"].items():
            if int(status) < 400 or path == "/readyz":
                continue
            media = response["content"]["application/json"]
            error = media["schema"]["allOf"][1]["properties"]["error"]["properties"]
            codes = error["code"]["enum"]
            assert codes, (method, path, status)
            assert media["example"]["error"]["code"] in codes, (method, path, status)
            assert "X-Request-Id" in response["headers"]
        statuses = set(op["responses"])
        assert "405" in statuses, (method, path)
        if method == "GET":
            assert not {"409", "413", "415"} & statuses, (method, path)
        if "requestBody" in op:
            assert {"413", "415"} <= statuses, (method, path)
        if "400" in statuses:
            assert op.get("parameters") or "requestBody" in op or method == "POST", (method, path)


def test_error_details_have_a_schema_per_kind() -> None:
    ops = {op["operationId"]: op for _, _, op in _operations()}
    payment = ops["invitations_create"]["responses"]["402"]["content"]["application/json"]
    error = payment["schema"]["allOf"][1]["properties"]["error"]["properties"]
    assert error["details"]["discriminator"]["propertyName"] == "kind"
    assert set(error["details"]["discriminator"]["mapping"]) == {"limit", "tier_entitlement"}
    assert set(error["code"]["enum"]) == {"limit_exceeded", "tier_entitlement_unavailable"}
    validation = ops["members_list"]["responses"]["400"]["content"]["application/json"]
    codes = validation["schema"]["allOf"][1]["properties"]["error"]["properties"]["code"]["enum"]
    assert {"validation_failed", "invalid_cursor", "invalid_sort"} <= set(codes)
    assert "malformed_json" not in codes  # no body on a GET
    update = ops["members_update"]["responses"]
    conflict = update["409"]["content"]["application/json"]["schema"]["allOf"][1]
    assert "last_owner" in conflict["properties"]["error"]["properties"]["code"]["enum"]
    assert "organizations_slug_key" in json.dumps(ops["organizations_create"]["responses"]["409"])
    schemas = _document()["components"]["schemas"]
    assert schemas["LimitDetails"]["properties"]["kind"]["const"] == "limit"
    assert "FieldError" in json.dumps(schemas["ValidationDetails"])


def test_headers_are_declared() -> None:
    ops = {op["operationId"]: op for _, _, op in _operations()}
    for method, path, op in _operations():
        names = {p["name"] for p in op.get("parameters", []) if p["in"] == "header"}
        assert ("Idempotency-Key" in names) == (method == "POST"), (method, path)
    created = ops["invitations_create"]["responses"]["201"]["headers"]
    assert {"X-Request-Id", "Idempotent-Replayed"} <= set(created)
    assert "Retry-After" in ops["invitations_accept"]["responses"]["429"]["headers"]
    assert "Retry-After" in ops["invitations_create"]["responses"]["409"]["headers"]
    headers = _document()["components"]["headers"]
    assert headers["X-Request-Id"]["required"] is True


def test_formats_and_enums() -> None:
    schemas = _document()["components"]["schemas"]
    member = schemas["Member"]["properties"]
    assert member["id"]["format"] == "uuid"
    assert "enum" in json.dumps(member["status"]) or "$ref" in json.dumps(member["status"])
    assert schemas["ResolvedOrganization"]["properties"]["id"]["format"] == "uuid"
    assert schemas["Health"]["properties"]["status"]["const"] == "ok"
    assert schemas["Readiness"]["properties"]["status"]["enum"] == ["ok", "unavailable"]
    assert schemas["TierVersion"]["properties"]["monthly_price_cents"]["format"] == "int64"
    assert "date-time" in json.dumps(schemas["AuditEntry"]["properties"]["created_at"])


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", None, "text/json"]
)
def test_a_body_that_is_not_json_is_415(api: Api, content_type: str | None) -> None:
    a = clinic(api, "clinic-a", roles=("owner",))
    headers = {"Content-Type": content_type} if content_type else {}
    response = api.patch(a.url(), as_=a.owner, content=b'{"name": "Renamed"}', headers=headers)
    if content_type is None:
        # httpx sends no Content-Type for raw bytes.
        assert "content-type" not in response.request.headers
    assert response.status_code == 415, response.text
    assert error_code(response) == "unsupported_media_type"
    assert response.headers["x-request-id"]
    assert api.get(a.url(), as_=a.owner).json()["name"] == "Clinic A"
    fine = api.patch(
        a.url(),
        as_=a.owner,
        content=b'{"name": "Renamed"}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert fine.status_code == 200, fine.text


def test_the_served_document_is_the_finished_one(api: Api) -> None:
    served = api.get("/schema/openapi.json").json()
    assert {op["operationId"] for path in served["paths"].values() for op in path.values()} == (
        set(OPERATION_IDS)
    )
    assert "ValidationDetails" in served["components"]["schemas"]


def test_every_code_the_python_raises_is_in_the_document() -> None:
    """A new `ApiError(status, "code", ...)` anywhere in app/ must reach the enums."""
    documented: dict[str, set[str]] = {}
    for _, path, op in _operations():
        for status, response in op["responses"].items():
            if int(status) >= 400 and path != "/readyz":
                schema = response["content"]["application/json"]["schema"]["allOf"][1]
                codes = schema["properties"]["error"]["properties"]["code"]["enum"]
                documented.setdefault(status, set()).update(codes)
    raised = re.compile(r"ApiError\(\s*(\d{3}),\s*\"([a-z][a-z0-9_]*)\"")
    missing = [
        (status, code, str(source.relative_to(ROOT)))
        for source in sorted((ROOT / "app").rglob("*.py"))
        for status, code in raised.findall(source.read_text())
        if code not in documented.get(status, set())
    ]
    assert not missing, missing
