"""`python -m workers`: the same as `restartix worker`."""

import sys

from workers.cli import main

sys.exit(main())
