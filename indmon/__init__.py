"""indmon: monthly loads of a county's utility, tax and statistics extracts into a warehouse."""

__version__ = "0.1.0"
