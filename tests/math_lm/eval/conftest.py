import pytest


@pytest.fixture(scope="session", autouse=True)
def answer_checking_workers():
    """Start the SymPy workers once, so that no test's first comparison waits for them within its time limit
    (on a loaded machine that start can take longer than the 5 s limit)."""
    from math_lm.eval.answers import start_workers

    start_workers()
