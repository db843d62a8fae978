"""Integrationsmanager: the program of the Integrationsmanagement, Landkreis Altenburger Land."""

__version__ = "0.1.0"
APP_NAME = "Integrationsmanager"
DISTRICT = "Landkreis Altenburger Land"
