"""Thin views of the channel pages."""

from __future__ import annotations
