"""`python -m math_lm.formal`: see `math_lm.formal.cli`."""

import sys

from math_lm.formal.cli import main

sys.exit(main())
