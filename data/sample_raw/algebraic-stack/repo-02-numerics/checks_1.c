#include <assert.h>
#include <math.h>
#include <gsl/gsl_sf_gamma.h>

int main(void) {
  /* A fair coin is tossed 10 times. What is the probability of exactly 6 heads? */
  assert(fabs(gsl_sf_choose(10, 6) - 210.0) < 0.5);
  /* A fair coin is tossed 10 times. What is the probability of exactly 6 heads? */
  assert(fabs(gsl_sf_choose(10, 6) - 210.0) < 0.5);
  /* A fair coin is tossed 5 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(5, 2) - 10.0) < 0.5);
  /* A fair coin is tossed 12 times. What is the probability of exactly 1 heads? */
  assert(fabs(gsl_sf_choose(12, 1) - 12.0) < 0.5);
  /* A fair coin is tossed 10 times. What is the probability of exactly 9 heads? */
  assert(fabs(gsl_sf_choose(10, 9) - 10.0) < 0.5);
  /* A fair coin is tossed 6 times. What is the probability of exactly 3 heads? */
  assert(fabs(gsl_sf_choose(6, 3) - 20.0) < 0.5);
  /* A fair coin is tossed 6 times. What is the probability of exactly 4 heads? */
  assert(fabs(gsl_sf_choose(6, 4) - 15.0) < 0.5);
  return 0;
}
