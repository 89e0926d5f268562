"""``gpubroker rotate_provider_keys``: re-encrypt stored secrets under the current key.

Local keys from the environment: run with ``--print-new-key``, put the printed entry
first in ``GPUBROKER_VAULT_KEYS`` (keep the old ones after it), restart, run without
flags, then drop the old entries. Generated keyring (debug): ``--new-key`` does both
steps. HashiCorp Vault: ``--vault-rotate`` asks transit for a new key version first.
Moving from local keys to Vault: set ``VAULT_ADDR`` and keep the local keys; the rewrap
moves every value into Vault.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services.rotation import vault_rewrap_all
from accounts.services.vault import keyring_entry_new, keyring_file_add_primary, vault
from accounts.services.vault_transit import TransitCipher


class Command(BaseCommand):
    help = "Re-encrypt provider API keys and TOTP secrets under the current vault key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--print-new-key", action="store_true",
                            help="print a new kid:key entry for GPUBROKER_VAULT_KEYS and exit")
        parser.add_argument("--new-key", action="store_true",
                            help="add a new primary key to the generated keyring file first")
        parser.add_argument("--vault-rotate", action="store_true",
                            help="rotate the HashiCorp Vault transit key first")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["print_new_key"]:
            self.stdout.write(keyring_entry_new())
            return
        if options["new_key"]:
            try:
                kid = keyring_file_add_primary()
            except ImproperlyConfigured as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"new primary key {kid}")
        if options["vault_rotate"]:
            primary = vault().primary
            if not isinstance(primary, TransitCipher):
                raise CommandError("--vault-rotate needs VAULT_ADDR (HashiCorp Vault transit)")
            self.stdout.write(f"vault key version {primary.rotate_key()}")
        for kind, result in vault_rewrap_all().items():
            self.stdout.write(f"{kind}: {result.rewrapped} rewrapped of {result.checked}")
