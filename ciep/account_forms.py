"""The portal's versions of allauth's account forms (``ACCOUNT_FORMS``).

Kept apart from ``ciep.forms``: allauth imports that module for its sign-up form while it is
itself being imported, so a module that imports allauth's forms cannot be it.
"""

from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form. Its one error, that the address or the password is wrong, is
    about both fields: each is marked invalid and described by it, so a screen reader says it
    on the field it is in."""

    errors_describe_fields = True
