# Worked examples: arithmetic, binomial, geometric.
# A fair coin is tossed 8 times. What is the probability of exactly 4 heads?
choose_8_4 <- function() {
  stopifnot(choose(8, 4) == 70)
  stopifnot(isTRUE(all.equal(dbinom(4, 8, 0.5), 70 / 2^8)))
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{5} 1 \cdot 3^k.
geom_sum_1_3_6 <- function() {
  stopifnot(1*(3^6 - 1) == 728)
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{8} 9 \cdot 4^k.
geom_sum_9_4_9 <- function() {
  stopifnot(9*(4^9 - 1) == 2359287)
  invisible(TRUE)
}

# Evaluate \sum_{k=1}^{54} (3k + 7).
arith_sum_10_3_54 <- function() {
  stopifnot(54*(2*10 + (54 - 1)*3) == 9666)
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{4} 9 \cdot 2^k.
geom_sum_9_2_5 <- function() {
  stopifnot(9*(2^5 - 1) == 279)
  invisible(TRUE)
}

# Compute the sum of the first 42 terms of the arithmetic progression 13, 20, 27, \dots.
arith_sum_13_7_42 <- function() {
  stopifnot(42*(2*13 + (42 - 1)*7) == 13146)
  invisible(TRUE)
}

# A fair coin is tossed 9 times. What is the probability of exactly 7 heads?
choose_9_7 <- function() {
  stopifnot(choose(9, 7) == 36)
  stopifnot(isTRUE(all.equal(dbinom(7, 9, 0.5), 36 / 2^9)))
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{4} 7 \cdot 3^k.
geom_sum_7_3_5 <- function() {
  stopifnot(7*(3^5 - 1) == 1694)
  invisible(TRUE)
}

