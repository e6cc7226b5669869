"""Which prover backend a name selects. The prover interface (`prover`) knows no backend; this
registry is the one place that maps a `--prover` name to one, so that a Lean or Isabelle backend
is added here without touching the interface or the tasks."""

from __future__ import annotations

from math_lm.formal.prover import Prover, ProverLimits, ProverUnavailable

UNBUILT_BACKENDS = ("lean", "lean4", "isabelle")
"""Named by users, not built: no toolchain for them can be installed from this project's package sources."""


def get_prover(name: str, limits: ProverLimits | None = None, **options: object) -> Prover:
    """The prover called `name`: only "coq" is built (Lean 4 and Isabelle are not installable here).
    `options` go to the backend (coq: `fresh_coqc`, `pool_size`)."""
    if name == "coq":
        from math_lm.formal.coq import CoqProver

        return CoqProver(limits or ProverLimits(), **options)  # type: ignore[arg-type]
    if name in UNBUILT_BACKENDS:
        raise ProverUnavailable(
            f"--prover {name}: not built; no {name} toolchain can be installed from this project's package "
            "sources, so no backend could be tested (see README, Formal theorem proving)")
    raise ValueError(f"--prover {name}: unknown prover (known: coq)")
