# Worked examples: arithmetic, binomial, geometric.
# Find the sum of the geometric series \sum_{k=0}^{6} 8 \cdot 4^k.
geom_sum_8_4_7 <- function() {
  stopifnot(8*(4^7 - 1) == 131064)
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{5} 3 \cdot 5^k.
geom_sum_3_5_6 <- function() {
  stopifnot(3*(5^6 - 1) == 46872)
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{5} 5 \cdot 2^k.
geom_sum_5_2_6 <- function() {
  stopifnot(5*(2^6 - 1) == 315)
  invisible(TRUE)
}

# Compute the sum of the first 17 terms of the arithmetic progression 31, 41, 51, \dots.
arith_sum_31_10_17 <- function() {
  stopifnot(17*(2*31 + (17 - 1)*10) == 3774)
  invisible(TRUE)
}

# A fair coin is tossed 14 times. What is the probability of exactly 12 heads?
choose_14_12 <- function() {
  stopifnot(choose(14, 12) == 91)
  stopifnot(isTRUE(all.equal(dbinom(12, 14, 0.5), 91 / 2^14)))
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{3} 6 \cdot 2^k.
geom_sum_6_2_4 <- function() {
  stopifnot(6*(2^4 - 1) == 90)
  invisible(TRUE)
}

