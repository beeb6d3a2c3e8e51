"""``python -m groupdesk``."""

import sys

from groupdesk.app import main

sys.exit(main())
