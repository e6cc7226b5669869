["alpha", "beta", "gamma"]
