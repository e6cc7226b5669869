#include <assert.h>
#include <math.h>
#include <gsl/gsl_sf_gamma.h>

int main(void) {
  /* A fair coin is tossed 5 times. What is the probability of exactly 4 heads? */
  assert(fabs(gsl_sf_choose(5, 4) - 5.0) < 0.5);
  /* A fair coin is tossed 12 times. What is the probability of exactly 5 heads? */
  assert(fabs(gsl_sf_choose(12, 5) - 792.0) < 0.5);
  /* A fair coin is tossed 7 times. What is the probability of exactly 5 heads? */
  assert(fabs(gsl_sf_choose(7, 5) - 21.0) < 0.5);
  /* A fair coin is tossed 8 times. What is the probability of exactly 5 heads? */
  assert(fabs(gsl_sf_choose(8, 5) - 56.0) < 0.5);
  /* A fair coin is tossed 11 times. What is the probability of exactly 1 heads? */
  assert(fabs(gsl_sf_choose(11, 1) - 11.0) < 0.5);
  /* A fair coin is tossed 4 times. What is the probability of exactly 3 heads? */
  assert(fabs(gsl_sf_choose(4, 3) - 4.0) < 0.5);
  /* A fair coin is tossed 10 times. What is the probability of exactly 9 heads? */
  assert(fabs(gsl_sf_choose(10, 9) - 10.0) < 0.5);
  /* A fair coin is tossed 13 times. What is the probability of exactly 1 heads? */
  assert(fabs(gsl_sf_choose(13, 1) - 13.0) < 0.5);
  /* A fair coin is tossed 6 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(6, 2) - 15.0) < 0.5);
  /* A fair coin is tossed 14 times. What is the probability of exactly 10 heads? */
  assert(fabs(gsl_sf_choose(14, 10) - 1001.0) < 0.5);
  /* A fair coin is tossed 5 times. What is the probability of exactly 4 heads? */
  assert(fabs(gsl_sf_choose(5, 4) - 5.0) < 0.5);
  /* A fair coin is tossed 13 times. What is the probability of exactly 6 heads? */
  assert(fabs(gsl_sf_choose(13, 6) - 1716.0) < 0.5);
  return 0;
}
