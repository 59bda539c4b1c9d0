import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Explanations are asserted in English whatever the project's default language becomes."""
    with translation.override("en"):
        yield
