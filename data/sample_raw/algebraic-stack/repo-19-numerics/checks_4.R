# Worked examples: arithmetic, binomial, geometric.
# Find the sum of the geometric series \sum_{k=0}^{7} 9 \cdot 4^k.
geom_sum_9_4_8 <- function() {
  stopifnot(9*(4^8 - 1) == 589815)
  invisible(TRUE)
}

# Evaluate \sum_{k=1}^{50} (4k + 0).
arith_sum_4_4_50 <- function() {
  stopifnot(50*(2*4 + (50 - 1)*4) == 10200)
  invisible(TRUE)
}

# A fair coin is tossed 15 times. What is the probability of exactly 11 heads?
choose_15_11 <- function() {
  stopifnot(choose(15, 11) == 1365)
  stopifnot(isTRUE(all.equal(dbinom(11, 15, 0.5), 1365 / 2^15)))
  invisible(TRUE)
}

# Evaluate \sum_{k=1}^{21} (2k + 28).
arith_sum_30_2_21 <- function() {
  stopifnot(21*(2*30 + (21 - 1)*2) == 2100)
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{9} 8 \cdot 3^k.
geom_sum_8_3_10 <- function() {
  stopifnot(8*(3^10 - 1) == 472384)
  invisible(TRUE)
}

# A fair coin is tossed 8 times. What is the probability of exactly 6 heads?
choose_8_6 <- function() {
  stopifnot(choose(8, 6) == 28)
  stopifnot(isTRUE(all.equal(dbinom(6, 8, 0.5), 28 / 2^8)))
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{5} 3 \cdot 5^k.
geom_sum_3_5_6 <- function() {
  stopifnot(3*(5^6 - 1) == 46872)
  invisible(TRUE)
}

