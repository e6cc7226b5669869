"""Convert an HF Llama / Code Llama directory into a NeoX checkpoint; see math_lm/convert/cli.py."""
from math_lm.convert.cli import run_hf_to_neox

if __name__ == "__main__":
    run_hf_to_neox("convert_hf_to_neox.py")
