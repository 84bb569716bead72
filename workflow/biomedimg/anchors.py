"""The one function that names an element's HTML id: the figure, the table, the claim, the
data-package resource. Ids and the links to them both come from here, so a link cannot miss."""


def anchor(name: str) -> str:
    """The id of the element showing ``name`` (a catalog name, claim id or resource name).

    Names are kept as written (underscores and all): Sphinx's own section ids use hyphens, so these
    never collide with them, and ``claims.html#<claim id>`` reads as the claim's id.
    """
    return name


def href(page: str, name: str) -> str:
    """A link from one page of an edition to the element showing ``name`` on ``page``."""
    return f"{page}.html#{anchor(name)}"
