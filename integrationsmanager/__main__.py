"""Allows ``python -m integrationsmanager``."""

from integrationsmanager.cli import main

raise SystemExit(main())
