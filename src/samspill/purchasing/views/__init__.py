"""Purchasing pages: purchase orders (orders) and replenishment (replenishment)."""
