"""The top bar's menu: what the signed-in account's role may do, rendered once per kind.

Asked of the access policy, never of a role string; the rendered menu is kept by
core.page_frame for every account that may do the same.
"""

from markupsafe import Markup

from auth import policy
from core.page_frame import fragment


def main_menu(user) -> Markup:
    return fragment(
        "frame/_menu.html",
        administer=policy.may_administer(user).allowed,
        teach=policy.may_teach(user).allowed,
        follow_own_progress=policy.may_follow_own_progress(user).allowed,
        approve=policy.may_approve_certificates(user).allowed,
    )
