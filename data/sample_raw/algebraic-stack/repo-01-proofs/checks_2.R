# Worked examples: arithmetic, binomial, geometric.
# Compute the sum of the first 60 terms of the arithmetic progression 31, 40, 49, \dots.
arith_sum_31_9_60 <- function() {
  stopifnot(60*(2*31 + (60 - 1)*9) == 35580)
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{4} 4 \cdot 5^k.
geom_sum_4_5_5 <- function() {
  stopifnot(4*(5^5 - 1) == 12496)
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{8} 6 \cdot 3^k.
geom_sum_6_3_9 <- function() {
  stopifnot(6*(3^9 - 1) == 118092)
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{6} 5 \cdot 2^k.
geom_sum_5_2_7 <- function() {
  stopifnot(5*(2^7 - 1) == 635)
  invisible(TRUE)
}

# A fair coin is tossed 15 times. What is the probability of exactly 12 heads?
choose_15_12 <- function() {
  stopifnot(choose(15, 12) == 455)
  stopifnot(isTRUE(all.equal(dbinom(12, 15, 0.5), 455 / 2^15)))
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{7} 4 \cdot 3^k.
geom_sum_4_3_8 <- function() {
  stopifnot(4*(3^8 - 1) == 26240)
  invisible(TRUE)
}

# Compute the sum of the first 56 terms of the arithmetic progression 22, 31, 40, \dots.
arith_sum_22_9_56 <- function() {
  stopifnot(56*(2*22 + (56 - 1)*9) == 30184)
  invisible(TRUE)
}

# A fair coin is tossed 13 times. What is the probability of exactly 3 heads?
choose_13_3 <- function() {
  stopifnot(choose(13, 3) == 286)
  stopifnot(isTRUE(all.equal(dbinom(3, 13, 0.5), 286 / 2^13)))
  invisible(TRUE)
}

