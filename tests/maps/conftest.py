import pytest


@pytest.fixture
def mapped_city(city):
    """The demo city with its district outlines (as ``manage.py seed_demo`` leaves it)."""
    from maps import selectors
    from maps.demo import maps_demo_seed

    maps_demo_seed()
    selectors.boundaries_forget()
    yield
    selectors.boundaries_forget()


@pytest.fixture
def open311_key(city) -> str:
    from django.core.cache import cache

    from open311.services import api_key_create

    cache.clear()
    return api_key_create(name="maps", rate_limit_per_minute=10**6)[1]
