"""A test needing a missing service skips on a laptop and fails under CI=true."""

import pytest

from tests import conftest


class Item:
    def __init__(self, *markers: str) -> None:
        self.markers = set(markers)

    def get_closest_marker(self, name: str) -> object | None:
        return object() if name in self.markers else None


@pytest.fixture
def redis_missing(monkeypatch):
    monkeypatch.setattr(conftest, "_service_problem", lambda marker: f"{marker} is unreachable")


def test_a_missing_service_skips_with_the_reason_on_a_laptop(monkeypatch, redis_missing):
    monkeypatch.setattr(conftest, "CI", False)
    with pytest.raises(pytest.skip.Exception, match="redis is unreachable"):
        conftest.pytest_runtest_setup(Item("redis"))


def test_a_missing_service_fails_under_ci(monkeypatch, redis_missing):
    monkeypatch.setattr(conftest, "CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI=true and this test redis is unreachable"):
        conftest.pytest_runtest_setup(Item("redis"))


def test_unmarked_tests_are_left_alone(monkeypatch, redis_missing):
    monkeypatch.setattr(conftest, "CI", True)
    conftest.pytest_runtest_setup(Item())


def test_an_unreachable_redis_is_reported(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    conftest._redis_problem.cache_clear()
    try:
        assert "unreachable" in (conftest._redis_problem() or "")
    finally:
        conftest._redis_problem.cache_clear()


def test_a_missing_chromium_is_reported(monkeypatch):
    monkeypatch.setattr(conftest, "CHROMIUM", "/nonexistent/chromium")
    assert "Chromium not found" in (conftest._service_problem("browser") or "")
