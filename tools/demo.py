"""Run the CPU end-to-end demo (what `make demo` runs): see math_lm/demo.py."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from math_lm.demo import main  # noqa: E402

if __name__ == "__main__":
    main()
