# Worked examples: arithmetic, binomial, geometric.
# Find the sum of the geometric series \sum_{k=0}^{10} 6 \cdot 2^k.
geom_sum_6_2_11 <- function() {
  stopifnot(6*(2^11 - 1) == 12282)
  invisible(TRUE)
}

# Evaluate \sum_{k=1}^{25} (14k + 20).
arith_sum_34_14_25 <- function() {
  stopifnot(25*(2*34 + (25 - 1)*14) == 10100)
  invisible(TRUE)
}

# Compute the sum of the first 17 terms of the arithmetic progression 27, 30, 33, \dots.
arith_sum_27_3_17 <- function() {
  stopifnot(17*(2*27 + (17 - 1)*3) == 1734)
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{4} 1 \cdot 5^k.
geom_sum_1_5_5 <- function() {
  stopifnot(1*(5^5 - 1) == 3124)
  invisible(TRUE)
}

# Compute the sum of the first 33 terms of the arithmetic progression 3, 12, 21, \dots.
arith_sum_3_9_33 <- function() {
  stopifnot(33*(2*3 + (33 - 1)*9) == 9702)
  invisible(TRUE)
}

# A fair coin is tossed 7 times. What is the probability of exactly 4 heads?
choose_7_4 <- function() {
  stopifnot(choose(7, 4) == 35)
  stopifnot(isTRUE(all.equal(dbinom(4, 7, 0.5), 35 / 2^7)))
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{3} 1 \cdot 2^k.
geom_sum_1_2_4 <- function() {
  stopifnot(1*(2^4 - 1) == 15)
  invisible(TRUE)
}

