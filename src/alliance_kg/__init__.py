"""alliance-kg: a knowledge graph of the Japan-U.S. alliance from its primary texts."""

__version__ = "0.1.0"
