"""GPT-NeoX's name for convert_raw_llama_to_neox.py (same command, NeoX's flags accepted); see math_lm/convert/cli.py."""
from math_lm.convert.cli import run_raw_llama_to_neox

if __name__ == "__main__":
    run_raw_llama_to_neox("convert_raw_llama_weights_to_neox.py")
