# Worked examples: arithmetic, binomial, geometric.
# Evaluate \sum_{k=1}^{48} (9k + 17).
arith_sum_26_9_48 <- function() {
  stopifnot(48*(2*26 + (48 - 1)*9) == 22800)
  invisible(TRUE)
}

# A fair coin is tossed 13 times. What is the probability of exactly 3 heads?
choose_13_3 <- function() {
  stopifnot(choose(13, 3) == 286)
  stopifnot(isTRUE(all.equal(dbinom(3, 13, 0.5), 286 / 2^13)))
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{7} 5 \cdot 5^k.
geom_sum_5_5_8 <- function() {
  stopifnot(5*(5^8 - 1) == 1953120)
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{5} 7 \cdot 3^k.
geom_sum_7_3_6 <- function() {
  stopifnot(7*(3^6 - 1) == 5096)
  invisible(TRUE)
}

# A fair coin is tossed 5 times. What is the probability of exactly 3 heads?
choose_5_3 <- function() {
  stopifnot(choose(5, 3) == 10)
  stopifnot(isTRUE(all.equal(dbinom(3, 5, 0.5), 10 / 2^5)))
  invisible(TRUE)
}

# Evaluate \sum_{k=1}^{29} (2k + 23).
arith_sum_25_2_29 <- function() {
  stopifnot(29*(2*25 + (29 - 1)*2) == 3074)
  invisible(TRUE)
}

# Evaluate \sum_{k=1}^{50} (12k + 22).
arith_sum_34_12_50 <- function() {
  stopifnot(50*(2*34 + (50 - 1)*12) == 32800)
  invisible(TRUE)
}

# Find the sum of the geometric series \sum_{k=0}^{3} 9 \cdot 5^k.
geom_sum_9_5_4 <- function() {
  stopifnot(9*(5^4 - 1) == 5616)
  invisible(TRUE)
}

# A fair coin is tossed 15 times. What is the probability of exactly 3 heads?
choose_15_3 <- function() {
  stopifnot(choose(15, 3) == 455)
  stopifnot(isTRUE(all.equal(dbinom(3, 15, 0.5), 455 / 2^15)))
  invisible(TRUE)
}

