"""The metering domain's HTTP routes."""

from app.api.common import org_router
from app.domains.metering import usage

ROUTERS = [org_router(usage.get_usage)]
