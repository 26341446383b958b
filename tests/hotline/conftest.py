from tests.knowledge.conftest import kb_city, operator  # noqa: F401 - shared fixtures
