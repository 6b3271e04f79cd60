"""Samspill: one business platform for the front and the back office."""
