"""`python -m math_lm.eval`: see `math_lm.eval.cli`."""

import sys

from math_lm.eval.cli import main

sys.exit(main())
