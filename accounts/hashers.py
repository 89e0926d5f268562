"""Argon2id with the OWASP Password Storage Cheat Sheet's parameters.

OWASP: "Argon2id with a minimum configuration of 19 MiB of memory, an iteration count of
2, and 1 degree of parallelism". Django's default (100 MiB, p=8) costs five times the
memory per concurrent login for no gain against offline attack at these settings.
Same ``algorithm`` name as Django's hasher, so older argon2 hashes are verified and then
upgraded on the next login.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
