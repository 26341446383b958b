from django import template

from knowledge import selectors

register = template.Library()


@register.simple_tag
def expired_articles(user) -> int:
    """How many of ``user``'s departments' articles have expired (flagged in the navigation)."""
    if not user.is_authenticated or not user.department_ids():
        return 0
    return selectors.expired_for(user).count()
