#include <assert.h>
#include <math.h>
#include <gsl/gsl_sf_gamma.h>

int main(void) {
  /* A fair coin is tossed 16 times. What is the probability of exactly 7 heads? */
  assert(fabs(gsl_sf_choose(16, 7) - 11440.0) < 0.5);
  /* A fair coin is tossed 16 times. What is the probability of exactly 15 heads? */
  assert(fabs(gsl_sf_choose(16, 15) - 16.0) < 0.5);
  /* A fair coin is tossed 4 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(4, 2) - 6.0) < 0.5);
  /* A fair coin is tossed 14 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(14, 2) - 91.0) < 0.5);
  /* A fair coin is tossed 13 times. What is the probability of exactly 5 heads? */
  assert(fabs(gsl_sf_choose(13, 5) - 1287.0) < 0.5);
  /* A fair coin is tossed 5 times. What is the probability of exactly 4 heads? */
  assert(fabs(gsl_sf_choose(5, 4) - 5.0) < 0.5);
  /* A fair coin is tossed 12 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(12, 2) - 66.0) < 0.5);
  /* A fair coin is tossed 12 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(12, 2) - 66.0) < 0.5);
  return 0;
}
