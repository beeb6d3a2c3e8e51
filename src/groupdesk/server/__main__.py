"""``python -m groupdesk.server``: the same as ``groupdesk-server``."""

import sys

from groupdesk.server.cli import main

sys.exit(main())
