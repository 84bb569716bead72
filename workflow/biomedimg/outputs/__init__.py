"""The outputs: tables, figures, claims, the data package, downloads and their provenance."""
