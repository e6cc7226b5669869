#include <assert.h>
#include <math.h>
#include <gsl/gsl_sf_gamma.h>

int main(void) {
  /* A fair coin is tossed 11 times. What is the probability of exactly 5 heads? */
  assert(fabs(gsl_sf_choose(11, 5) - 462.0) < 0.5);
  /* A fair coin is tossed 13 times. What is the probability of exactly 8 heads? */
  assert(fabs(gsl_sf_choose(13, 8) - 1287.0) < 0.5);
  /* A fair coin is tossed 10 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(10, 2) - 45.0) < 0.5);
  /* A fair coin is tossed 9 times. What is the probability of exactly 7 heads? */
  assert(fabs(gsl_sf_choose(9, 7) - 36.0) < 0.5);
  /* A fair coin is tossed 11 times. What is the probability of exactly 7 heads? */
  assert(fabs(gsl_sf_choose(11, 7) - 330.0) < 0.5);
  /* A fair coin is tossed 7 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(7, 2) - 21.0) < 0.5);
  /* A fair coin is tossed 4 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(4, 2) - 6.0) < 0.5);
  return 0;
}
