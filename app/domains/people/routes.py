"""The people domain's HTTP routes: an organization's patients, their caregivers and
subscriptions, its specialists and specialties, the person's own profiles and patient links,
and portal onboarding."""

from app.api.common import org_router, signed_in_router
from app.domains.people import me, onboarding, patients, specialists, subscriptions

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
        specialists.list_specialists,
        specialists.get_specialist,
        specialists.create_specialist,
        specialists.update_specialist,
        specialists.delete_specialist,
        specialists.restore_specialist,
        specialists.set_specialties,
        specialists.request_signature_upload,
        specialists.confirm_signature_upload,
        specialists.get_signature,
        specialists.remove_signature,
        specialists.list_specialties,
        specialists.create_specialty,
        specialists.update_specialty,
        specialists.delete_specialty,
        subscriptions.get_subscription,
        subscriptions.change_tier,
        subscriptions.end_subscription,
        subscriptions.grant_override,
        subscriptions.revoke_override,
    ),
    signed_in_router(
        me.list_my_profiles,
        me.create_my_profile,
        me.update_my_profile,
        me.list_my_patients,
        onboarding.onboard,
    ),
]
