#include <assert.h>
#include <math.h>
#include <gsl/gsl_sf_gamma.h>

int main(void) {
  /* A fair coin is tossed 7 times. What is the probability of exactly 4 heads? */
  assert(fabs(gsl_sf_choose(7, 4) - 35.0) < 0.5);
  /* A fair coin is tossed 5 times. What is the probability of exactly 4 heads? */
  assert(fabs(gsl_sf_choose(5, 4) - 5.0) < 0.5);
  /* A fair coin is tossed 10 times. What is the probability of exactly 7 heads? */
  assert(fabs(gsl_sf_choose(10, 7) - 120.0) < 0.5);
  /* A fair coin is tossed 12 times. What is the probability of exactly 4 heads? */
  assert(fabs(gsl_sf_choose(12, 4) - 495.0) < 0.5);
  /* A fair coin is tossed 15 times. What is the probability of exactly 13 heads? */
  assert(fabs(gsl_sf_choose(15, 13) - 105.0) < 0.5);
  /* A fair coin is tossed 9 times. What is the probability of exactly 6 heads? */
  assert(fabs(gsl_sf_choose(9, 6) - 84.0) < 0.5);
  /* A fair coin is tossed 9 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(9, 2) - 36.0) < 0.5);
  return 0;
}
