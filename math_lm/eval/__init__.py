"""The LLEMMA evaluation suite: answer extraction and checking (`answers`), majority voting and
per-task sampling settings (`voting`), and a sandbox that runs model-written programs (`sandbox`)."""
