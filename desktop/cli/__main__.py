"""`python -m desktop.cli`."""

import sys

from . import main

sys.exit(main())
