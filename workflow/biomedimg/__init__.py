"""Companion package for the biomedical imaging review."""
