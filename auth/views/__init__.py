"""The pages of the auth package; each module registers its routes on `auth.bp`."""

from auth.views import accounts, audit  # noqa: F401
