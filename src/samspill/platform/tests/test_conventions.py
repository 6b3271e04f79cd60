"""Meta-tests that keep the conventions of DESIGN.md true as the code grows."""

from django.apps import apps

from samspill.platform.permissions import registered_models

# Kernel bookkeeping tables that no user ever sees as records.
NOT_BUSINESS_RECORDS = {
    "platform.eventsubject",
    "platform.handledevent",
    "platform.idempotencyrecord",
}


def test_every_samspill_model_has_a_permission_registration():
    registered = registered_models()
    missing = [
        model._meta.label_lower
        for model in apps.get_models()
        if model.__module__.startswith("samspill.")
        and model._meta.label_lower not in registered
        and model._meta.label_lower not in NOT_BUSINESS_RECORDS
    ]
    assert missing == [], f"models without permissions.register_model(): {missing}"
