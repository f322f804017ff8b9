"""Consumers that ship with the product, one module each."""
