"""xiaoan (校安): the data product of a district's school-safety principal-in-chief system."""

__version__ = "0.1.0"
