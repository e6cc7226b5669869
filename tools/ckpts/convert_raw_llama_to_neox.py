"""Convert Meta's Llama / Code Llama release into a NeoX checkpoint; see math_lm/convert/cli.py."""
from math_lm.convert.cli import run_raw_llama_to_neox

if __name__ == "__main__":
    run_raw_llama_to_neox("convert_raw_llama_to_neox.py")
