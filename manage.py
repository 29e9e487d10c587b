#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ciep.settings")
    # Commands run for development unless told otherwise (DJANGO_DEBUG=0); the served
    # application (ciep.wsgi) has no such default and refuses to start without a secret key.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
