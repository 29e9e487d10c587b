"""Demo data of Project Cooperation."""


def seed(demo) -> None:
    """Filled in below."""
