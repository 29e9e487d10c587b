"""Demo data of Online Recruitment (filled in below)."""


def seed(demo) -> None:
    return None
