import pytest
from django.db import connection

from accounts.models import User
from tests.accounts.conftest import PASSWORD


@pytest.mark.django_db
def test_user_table_holds_argon2id_hashes_with_owasp_parameters(user: User) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT password FROM {User._meta.db_table}")
        (stored,) = cursor.fetchone()
    assert "$argon2id$" in stored
    assert "m=19456,t=2,p=1" in stored
    assert PASSWORD not in stored
