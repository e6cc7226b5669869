"""Run the CPU end-to-end demo (what `make demo` runs): see math_lm/demo.py (`--help` says what it does)."""
from math_lm.demo import main

if __name__ == "__main__":
    main()
