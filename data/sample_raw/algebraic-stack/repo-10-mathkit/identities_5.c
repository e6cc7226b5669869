#include <assert.h>
#include <math.h>
#include <gsl/gsl_sf_gamma.h>

int main(void) {
  /* A fair coin is tossed 14 times. What is the probability of exactly 3 heads? */
  assert(fabs(gsl_sf_choose(14, 3) - 364.0) < 0.5);
  /* A fair coin is tossed 10 times. What is the probability of exactly 5 heads? */
  assert(fabs(gsl_sf_choose(10, 5) - 252.0) < 0.5);
  /* A fair coin is tossed 14 times. What is the probability of exactly 8 heads? */
  assert(fabs(gsl_sf_choose(14, 8) - 3003.0) < 0.5);
  /* A fair coin is tossed 5 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(5, 2) - 10.0) < 0.5);
  /* A fair coin is tossed 13 times. What is the probability of exactly 11 heads? */
  assert(fabs(gsl_sf_choose(13, 11) - 78.0) < 0.5);
  /* A fair coin is tossed 5 times. What is the probability of exactly 4 heads? */
  assert(fabs(gsl_sf_choose(5, 4) - 5.0) < 0.5);
  /* A fair coin is tossed 4 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(4, 2) - 6.0) < 0.5);
  /* A fair coin is tossed 7 times. What is the probability of exactly 5 heads? */
  assert(fabs(gsl_sf_choose(7, 5) - 21.0) < 0.5);
  /* A fair coin is tossed 15 times. What is the probability of exactly 1 heads? */
  assert(fabs(gsl_sf_choose(15, 1) - 15.0) < 0.5);
  return 0;
}
