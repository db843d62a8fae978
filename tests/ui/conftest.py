"""Fixtures for the widget tests: remembered window state starts empty in every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from integrationsmanager.ui.widgets.settings import app_settings


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    app_settings().clear()
    yield
    app_settings().clear()
