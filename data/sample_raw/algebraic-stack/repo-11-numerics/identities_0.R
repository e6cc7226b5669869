# Worked examples: arithmetic, binomial, geometric.
# Find the sum of the geometric series \sum_{k=0}^{7} 1 \cdot 5^k.
geom_sum_1_5_8 <- function() {
  stopifnot(1*(5^8 - 1) == 390624)
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{8} 2 \cdot 4^k.
geom_sum_2_4_9 <- function() {
  stopifnot(2*(4^9 - 1) == 524286)
  invisible(TRUE)
}

# Evaluate \sum_{k=1}^{13} (10k + 19).
arith_sum_29_10_13 <- function() {
  stopifnot(13*(2*29 + (13 - 1)*10) == 2314)
  invisible(TRUE)
}

# A fair coin is tossed 14 times. What is the probability of exactly 12 heads?
choose_14_12 <- function() {
  stopifnot(choose(14, 12) == 91)
  stopifnot(isTRUE(all.equal(dbinom(12, 14, 0.5), 91 / 2^14)))
  invisible(TRUE)
}

# Compute the sum of the first 33 terms of the arithmetic progression 13, 20, 27, \dots.
arith_sum_13_7_33 <- function() {
  stopifnot(33*(2*13 + (33 - 1)*7) == 8250)
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{10} 3 \cdot 3^k.
geom_sum_3_3_11 <- function() {
  stopifnot(3*(3^11 - 1) == 531438)
  invisible(TRUE)
}

# A fair coin is tossed 9 times. What is the probability of exactly 6 heads?
choose_9_6 <- function() {
  stopifnot(choose(9, 6) == 84)
  stopifnot(isTRUE(all.equal(dbinom(6, 9, 0.5), 84 / 2^9)))
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{9} 6 \cdot 2^k.
geom_sum_6_2_10 <- function() {
  stopifnot(6*(2^10 - 1) == 6138)
  invisible(TRUE)
}

