"""`python -m math_lm.eval.formal`: see `math_lm.eval.formal.cli`."""

import sys

from math_lm.eval.formal.cli import main

sys.exit(main())
