"""Commands of the parties domain: the only code that writes its tables.

Each command is one transaction, checks the actor's permission (when an actor is given),
validates before it writes, records the change in the audit trail and publishes its
event(s). Bad input raises ValidationFailed with field-keyed errors and writes nothing.

Other domains plug in through three hook registries (see `hooks`), so this upstream
domain never imports them:
- `register_merge_handler(fn)`: fn(survivor, duplicate, actor) moves their rows that
  refer to the duplicate onto the survivor, inside the merge transaction;
- `register_erasure_handler(fn)`: fn(party, actor) anonymises their copies of a person's
  data inside the erase transaction (it may raise a DomainError to refuse the erasure);
- `register_personal_data_provider(key, fn)`: fn(party) -> JSON-able data for the GDPR
  export.
"""

from samspill.parties.queries import find_duplicates
from samspill.parties.services.common import DuplicateParty
from samspill.parties.services.details import (
    add_address,
    add_contact_point,
    link_contact,
    record_consent,
    remove_address,
    remove_contact_point,
    unlink_contact,
    update_address,
    update_contact_point,
    update_relation,
)
from samspill.parties.services.gdpr import erase_person, export_personal_data
from samspill.parties.services.hooks import (
    _erasure_handlers,
    _merge_handlers,
    _personal_data_providers,
    merge_handler_apps,
    register_erasure_handler,
    register_merge_handler,
    register_personal_data_provider,
)
from samspill.parties.services.merge import merge_parties
from samspill.parties.services.parties import (
    create_organization,
    create_person,
    create_tag,
    set_roles,
    set_tags,
    update_party,
)

__all__ = [
    "DuplicateParty",
    "_erasure_handlers",
    "_merge_handlers",
    "_personal_data_providers",
    "add_address",
    "add_contact_point",
    "create_organization",
    "create_person",
    "create_tag",
    "erase_person",
    "export_personal_data",
    "find_duplicates",
    "link_contact",
    "merge_handler_apps",
    "merge_parties",
    "record_consent",
    "register_erasure_handler",
    "register_merge_handler",
    "register_personal_data_provider",
    "remove_address",
    "remove_contact_point",
    "set_roles",
    "set_tags",
    "unlink_contact",
    "update_address",
    "update_contact_point",
    "update_party",
    "update_relation",
]
