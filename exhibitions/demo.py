"""Demo data of the exhibition hall."""


def seed(demo) -> None:
    return None
