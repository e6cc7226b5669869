"""Math plugins for the llemma-neox core: Proof-Pile-2 data, mixture, NaN guard, conversion, evaluation."""
