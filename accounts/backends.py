"""Staff sign in with their email address and a password."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        email = (kwargs.get("email") or username or "").strip()
        if not email or not password:
            return None
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            # Spend the time a real check takes, so timing does not reveal which emails exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
