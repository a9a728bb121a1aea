# Runs the PyPI package eark-validator (1.1.3) with no network: the CSIP vocabularies it fetches
# when it starts are answered from schemas/eark/vocabularies (DILCIS Board, CC BY 4.0), and any
# other address is refused. Usage: python eark_validate.py -s V2.1.0 -c -r PACKAGE_DIR_OR_ZIP
import os
import sys
import urllib.request

VOCABULARIES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schemas", "eark", "vocabularies")


def offline(url, *args, **kwargs):
    address = url if isinstance(url, str) else url.full_url
    if address.startswith("https://earkcsip.dilcis.eu/schema/"):
        return open(os.path.join(VOCABULARIES, address.rsplit("/", 1)[1]), "rb")
    raise OSError(f"no network here: {address}")


urllib.request.urlopen = offline
from eark_validator.cli.app import main  # noqa: E402

sys.exit(main())
