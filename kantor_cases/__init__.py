"""Kantor Cases: the desk software of an immigration, employment and labor law office."""

__version__ = "0.1.0"
