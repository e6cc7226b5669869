"""Code Llama checkpoints (HF and Meta formats) <-> NeoX checkpoints of this project.

* `hf_to_neox.convert_hf_to_neox`: an HF Llama directory -> a NeoX checkpoint for tensor parallel N.
* `raw_llama_to_neox.convert_raw_llama_to_neox`: Meta's `consolidated.NN.pth` + `params.json` -> NeoX.
* `neox_to_hf.export`: any NeoX checkpoint this project saves -> safetensors + config + tokenizer.

Names, QKV packing and tensor-parallel splits come from `megatron.model.layout`; this package only
reads and writes files around it, one tensor at a time.
"""
from math_lm.convert.common import ConversionError

__all__ = ["ConversionError"]
