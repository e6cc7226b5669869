"""Coq sentence splitting and the tactic-only rule (no prover needed)."""

import pytest

from math_lm.formal.script import ScriptError, sentences, validate_proof, validate_tactic


def test_sentences_respect_comments_strings_bullets_and_qualified_names():
    text = 'intros x. (* a comment. Qed. (* nested. *) *) rewrite Nat.add_comm.\n- idtac "a. Qed. b".\n{ lia. }\nQed.'
    assert [s.text for s in sentences(text)] == [
        "intros x", "rewrite Nat.add_comm", "-", 'idtac "a. Qed. b"', "{", "lia", "}", "Qed"]
    assert [s.line for s in sentences("intros.\n\nlia.\n")] == [1, 3]


def test_plain_tactic_proofs_pass():
    assert validate_proof("intros x h.\nsplit; nra.\nQed.") == ["intros x h", "split; nra"]
    proof = "assert (h : 0 <= 1) by lra.\n- lia.\n+ { field. }\n2: { ring. }\nall: auto.\n(* done *) Qed."
    assert validate_proof(proof)[0] == "assert (h : 0 <= 1) by lra"
    assert validate_proof("[> lia | lra ].\nQed.") == ["[> lia | lra ]"]


@pytest.mark.parametrize("proof, reason", [
    ("lia.\nAdmitted.", "must end with `Qed.`"),
    ("lia.", "must end with `Qed.`"),
    ("admit.\nQed.", "'admit' is not allowed"),
    ("split; [lia | admit].\nQed.", "'admit' is not allowed"),
    ("give_up.\nQed.", "'give_up' is not allowed"),
    ("Abort.\nTheorem t : True. Proof. exact I.\nQed.", "'Abort'"),
    ("lia. Qed.\nTheorem other : True.\nProof. exact I.\nQed.", "'Qed'"),
    ("Definition two := 2.\nlia.\nQed.", "'Definition'"),
    ("Axiom cheat : False.\nQed.", "'Axiom'"),
    ("Unset Guard Checking.\nlia.\nQed.", "'Unset'"),
    ("Local Unset Universe Checking.\nlia.\nQed.", "'Local'"),
    ("Set Printing All.\nlia.\nQed.", "'Set'"),
    ("#[bypass_check(guard)] Fixpoint f (n : nat) : nat := f n.\nQed.", "'#[bypass"),
    ('Load "/etc/passwd".\nQed.', "'Load'"),
    ('Redirect "out" Print Assumptions t.\nQed.', "'Redirect'"),
    ('Declare ML Module "coq-core.plugins.ltac".\nQed.', "'Declare'"),
    ("Require Import Classical.\nQed.", "'Require'"),
    ("Ltac done := lia.\ndone.\nQed.", "'Ltac'"),
    ("Fail idtac.\nQed.", "'Fail'"),
    ("Time lia.\nQed.", "'Time'"),
    ("- Admitted.\nQed.", "'Admitted'"),
    ("{ Abort. }\nQed.", "'Abort'"),
    ("all: Abort.\nQed.", "'Abort'"),
    ("lia.\n} Admitted.\nQed.", "'Admitted'"),
    ("lia. (* unterminated\nQed.", "unterminated comment"),
    ('idtac "open string.\nQed.', "unterminated string"),
    ("lia.\x0cAdmitted.\nQed.", "control character"),
    ("Proof.\nlia.\nQed.", "'Proof'"),
    ("fix f 1.\nexact f.\nQed.", "'fix' is not allowed"),
    ("exact ((fix f (n : nat) : False := f n) 0).\nQed.", "'fix' is not allowed"),
    ("exact ltac:(cofix c; exact c).\nQed.", "'cofix' is not allowed"),
    ("pose (g := 1); abstract (refine (fix f n := _)).\nQed.", "'fix' is not allowed"),
])
def test_every_kind_of_vernacular_in_a_proof_is_refused(proof, reason):
    with pytest.raises(ScriptError, match=reason.replace("[", r"\[").replace("(", r"\(")):
        validate_proof(proof)


def test_a_step_is_exactly_one_tactic():
    assert validate_tactic("lia") == "lia."
    assert validate_tactic("  destruct (Rcase_abs _); lra.  ") == "destruct (Rcase_abs _); lra."
    for bad in ("lia. Qed.", "Qed.", "lia. lra.", "admit.", "Abort."):
        with pytest.raises(ScriptError):
            validate_tactic(bad)


def test_fixpoint_words_pass_only_when_asked_and_not_inside_names_or_strings():
    assert validate_proof("exact ((fix f (n : nat) : nat := n) 0).\nQed.", refuse_fixpoints=False)
    assert validate_proof('apply fixed_point_thm; idtac "fix".\nQed.') == ['apply fixed_point_thm; idtac "fix"']


def test_sentences_know_where_they_end_in_the_original_text():
    text = "Require Import Reals. (* a. comment *)\nOpen Scope R_scope.\nTheorem t : 1 = 1.\nProof.\n"
    ends = [s.end for s in sentences(text)]
    assert [text[:end].rstrip()[-6:] for end in ends] == ["Reals.", "scope.", "1 = 1.", "Proof."]
