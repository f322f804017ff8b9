"""The catalog's HTTP routes: services, service plans and their versions, products, a
patient's plans and their sessions, the person's own plans, and the public services list."""

from litestar import Router

from app.api.common import org_router, signed_in_router
from app.domains.catalog import (
    attachments,
    enrollments,
    inclusions,
    me,
    plans,
    products,
    public,
    services,
)

ROUTERS = [
    org_router(
        services.list_services,
        services.get_service,
        services.create_service,
        services.update_service,
        services.delete_service,
        services.restore_service,
        attachments.request_attachment_upload,
        attachments.confirm_attachment_upload,
        attachments.list_attachments,
        attachments.remove_attachment,
        inclusions.list_service_specialists,
        inclusions.set_service_specialists,
        inclusions.list_tier_inclusions,
        inclusions.set_tier_inclusions,
        plans.list_plans,
        plans.get_plan,
        plans.create_plan,
        plans.update_plan,
        plans.delete_plan,
        plans.list_versions,
        plans.get_version,
        plans.publish_version,
        products.list_products,
        products.get_product,
        products.create_product,
        products.update_product,
        products.delete_product,
        enrollments.list_enrollments,
        enrollments.get_enrollment,
        enrollments.enroll,
        enrollments.revoke,
        enrollments.consume,
        enrollments.list_consumptions,
    ),
    signed_in_router(me.list_my_plans),
    Router(path="/", route_handlers=[public.public_services]),
]
