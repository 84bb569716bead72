"""The site: the two editions rendered, built with Sphinx and checked, and the PDF edition."""
