"""The people domain's HTTP routes: an organization's patients and their caregivers, and the
person's own profiles and patient links."""

from app.api.common import org_router, signed_in_router
from app.domains.people import me, patients

ROUTERS = [
    org_router(
        patients.list_patients,
        patients.get_patient,
        patients.create_patient,
        patients.update_patient,
        patients.delete_patient,
        patients.restore_patient,
        patients.list_caregivers,
        patients.add_caregiver,
        patients.remove_caregiver,
    ),
    signed_in_router(
        me.list_my_profiles, me.create_my_profile, me.update_my_profile, me.list_my_patients
    ),
]
