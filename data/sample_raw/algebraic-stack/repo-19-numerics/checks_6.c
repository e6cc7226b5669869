#include <assert.h>
#include <math.h>
#include <gsl/gsl_sf_gamma.h>

int main(void) {
  /* A fair coin is tossed 16 times. What is the probability of exactly 5 heads? */
  assert(fabs(gsl_sf_choose(16, 5) - 4368.0) < 0.5);
  /* A fair coin is tossed 15 times. What is the probability of exactly 8 heads? */
  assert(fabs(gsl_sf_choose(15, 8) - 6435.0) < 0.5);
  /* A fair coin is tossed 13 times. What is the probability of exactly 10 heads? */
  assert(fabs(gsl_sf_choose(13, 10) - 286.0) < 0.5);
  /* A fair coin is tossed 4 times. What is the probability of exactly 1 heads? */
  assert(fabs(gsl_sf_choose(4, 1) - 4.0) < 0.5);
  /* A fair coin is tossed 7 times. What is the probability of exactly 6 heads? */
  assert(fabs(gsl_sf_choose(7, 6) - 7.0) < 0.5);
  /* A fair coin is tossed 9 times. What is the probability of exactly 3 heads? */
  assert(fabs(gsl_sf_choose(9, 3) - 84.0) < 0.5);
  /* A fair coin is tossed 14 times. What is the probability of exactly 3 heads? */
  assert(fabs(gsl_sf_choose(14, 3) - 364.0) < 0.5);
  /* A fair coin is tossed 11 times. What is the probability of exactly 10 heads? */
  assert(fabs(gsl_sf_choose(11, 10) - 11.0) < 0.5);
  /* A fair coin is tossed 7 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(7, 2) - 21.0) < 0.5);
  /* A fair coin is tossed 10 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(10, 2) - 45.0) < 0.5);
  /* A fair coin is tossed 13 times. What is the probability of exactly 3 heads? */
  assert(fabs(gsl_sf_choose(13, 3) - 286.0) < 0.5);
  return 0;
}
