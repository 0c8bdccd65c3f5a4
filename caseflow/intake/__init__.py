"""Receiving a complaint from any channel: the one intake operation every channel calls."""
