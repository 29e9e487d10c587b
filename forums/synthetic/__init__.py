"""Demo data (``demo``) and synthetic editions (``edition``): data to try the portal with."""
