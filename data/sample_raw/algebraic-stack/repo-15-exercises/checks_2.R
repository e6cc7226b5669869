# Worked examples: arithmetic, binomial, geometric.
# Find the sum of the geometric series \sum_{k=0}^{4} 2 \cdot 3^k.
geom_sum_2_3_5 <- function() {
  stopifnot(2*(3^5 - 1) == 484)
  invisible(TRUE)
}

# A fair coin is tossed 8 times. What is the probability of exactly 7 heads?
choose_8_7 <- function() {
  stopifnot(choose(8, 7) == 8)
  stopifnot(isTRUE(all.equal(dbinom(7, 8, 0.5), 8 / 2^8)))
  invisible(TRUE)
}

# A fair coin is tossed 12 times. What is the probability of exactly 5 heads?
choose_12_5 <- function() {
  stopifnot(choose(12, 5) == 792)
  stopifnot(isTRUE(all.equal(dbinom(5, 12, 0.5), 792 / 2^12)))
  invisible(TRUE)
}

# A fair coin is tossed 4 times. What is the probability of exactly 2 heads?
choose_4_2 <- function() {
  stopifnot(choose(4, 2) == 6)
  stopifnot(isTRUE(all.equal(dbinom(2, 4, 0.5), 6 / 2^4)))
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{7} 5 \cdot 5^k.
geom_sum_5_5_8 <- function() {
  stopifnot(5*(5^8 - 1) == 1953120)
  invisible(TRUE)
}

# A fair coin is tossed 15 times. What is the probability of exactly 13 heads?
choose_15_13 <- function() {
  stopifnot(choose(15, 13) == 105)
  stopifnot(isTRUE(all.equal(dbinom(13, 15, 0.5), 105 / 2^15)))
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{6} 1 \cdot 4^k.
geom_sum_1_4_7 <- function() {
  stopifnot(1*(4^7 - 1) == 16383)
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{8} 9 \cdot 5^k.
geom_sum_9_5_9 <- function() {
  stopifnot(9*(5^9 - 1) == 17578116)
  invisible(TRUE)
}

# Evaluate \sum_{k=1}^{59} (15k - 4).
arith_sum_11_15_59 <- function() {
  stopifnot(59*(2*11 + (59 - 1)*15) == 52628)
  invisible(TRUE)
}

# A fair coin is tossed 8 times. What is the probability of exactly 3 heads?
choose_8_3 <- function() {
  stopifnot(choose(8, 3) == 56)
  stopifnot(isTRUE(all.equal(dbinom(3, 8, 0.5), 56 / 2^8)))
  invisible(TRUE)
}

# Compute the sum of the first 47 terms of the arithmetic progression 26, 29, 32, \dots.
arith_sum_26_3_47 <- function() {
  stopifnot(47*(2*26 + (47 - 1)*3) == 8930)
  invisible(TRUE)
}

# A fair coin is tossed 8 times. What is the probability of exactly 7 heads?
choose_8_7 <- function() {
  stopifnot(choose(8, 7) == 8)
  stopifnot(isTRUE(all.equal(dbinom(7, 8, 0.5), 8 / 2^8)))
  invisible(TRUE)
}

