"""The Litestar application: routes, the middleware order, the error envelope, OpenAPI."""

from __future__ import annotations

from litestar import Litestar, Request
from litestar.middleware import ASGIMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.api import health
from app.api.auth import AuthenticationMiddleware
from app.api.errors import exception_handlers, request_id_of
from app.api.idempotency import IdempotencyMiddleware
from app.api.resources import lifespan
from app.api.routes import (
    audit,
    billing,
    consents,
    console,
    console_billing,
    console_providers,
    domains,
    integrations,
    invitations,
    logo,
    me,
    members,
    orgs,
    public,
    roles,
    usage,
)
from app.config import Settings
from app.logs import request_id_var

ROUTES = [
    health.healthz,
    health.readyz,
    me.get_me,
    orgs.create_organization,
    orgs.get_organization,
    orgs.update_organization,
    members.list_members,
    members.update_member,
    members.remove_member,
    invitations.list_invitations,
    invitations.create_invitation,
    invitations.revoke_invitation,
    invitations.accept_invitation,
    domains.list_domains,
    domains.add_domain,
    domains.verify_domain,
    domains.set_primary_domain,
    domains.remove_domain,
    roles.list_permissions,
    roles.list_roles,
    roles.create_role,
    roles.update_role,
    roles.delete_role,
    audit.org_audit_log,
    audit.console_audit_log,
    console.list_humans,
    console.block_human,
    console.unblock_human,
    console.set_platform_role,
    console.list_organizations,
    public.resolve,
    billing.get_entitlements,
    billing.get_settings,
    billing.update_settings,
    billing.get_billing,
    billing.update_billing,
    billing.list_patient_tiers,
    billing.create_patient_tier,
    billing.update_patient_tier,
    console_billing.list_tiers,
    console_billing.publish_version,
    console_billing.list_subscriptions,
    console_billing.change_tier,
    console_billing.attach_addon,
    console_billing.migrate_subscription,
    console_billing.end_subscription,
    console_billing.grant_override,
    console_billing.revoke_override,
    console_billing.set_org_entitlement,
    consents.list_my_consents,
    consents.my_consent_history,
    consents.grant_consent,
    consents.withdraw_consent,
    consents.list_documents,
    consents.publish_org_document,
    consents.publish_platform_document,
    consents.list_org_consents,
    integrations.list_integrations,
    integrations.connect_integration,
    integrations.update_integration,
    integrations.remove_integration,
    logo.request_logo_upload,
    logo.confirm_logo_upload,
    logo.get_logo,
    logo.remove_logo,
    console_providers.list_service_providers,
    console_providers.create_service_provider,
    console_providers.update_service_provider,
    console_providers.remove_service_provider,
    console_providers.resolved_providers,
    usage.get_usage,
]


class RequestIdMiddleware(ASGIMiddleware):
    """Assigns the request id first, so every later layer (and the log) sees the same one,
    and echoes it in the X-Request-Id response header."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        request_id = request_id_of(Request(scope, receive))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        # Every line logged while serving the request carries its id (see app.logs).
        token = request_id_var.set(request_id)
        try:
            await next_app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)


async def _after_response(request: Request) -> None:
    """Cache invalidation runs after the response, i.e. after the request transaction committed."""
    org_ids = request.state.get("invalidate_orgs")
    if org_ids:
        await public.invalidate_orgs(
            request.app.state.resources.redis, org_ids, request.state.get("invalidate_keys")
        )


def create_app(settings: Settings | None = None) -> Litestar:
    app = Litestar(
        route_handlers=ROUTES,
        lifespan=[lifespan],
        middleware=[RequestIdMiddleware(), AuthenticationMiddleware(), IdempotencyMiddleware()],
        exception_handlers=exception_handlers,
        after_response=_after_response,
        logging_config=None,
        request_max_body_size=1024 * 1024,
        openapi_config=OpenAPIConfig(
            title="RestartiX Core API",
            version="1",
            path="/schema",
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
                }
            ),
            security=[{"bearer": []}],
        ),
    )
    app.state.settings = settings or Settings.from_env()
    return app
