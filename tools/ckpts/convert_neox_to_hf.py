"""Export a NeoX checkpoint as an HF Llama model with its tokenizer; see math_lm/convert/cli.py."""
from math_lm.convert.cli import run_neox_to_hf

if __name__ == "__main__":
    run_neox_to_hf("convert_neox_to_hf.py")
