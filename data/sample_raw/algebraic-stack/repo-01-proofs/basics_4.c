#include <assert.h>
#include <math.h>
#include <gsl/gsl_sf_gamma.h>

int main(void) {
  /* A fair coin is tossed 16 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(16, 2) - 120.0) < 0.5);
  /* A fair coin is tossed 8 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(8, 2) - 28.0) < 0.5);
  /* A fair coin is tossed 11 times. What is the probability of exactly 10 heads? */
  assert(fabs(gsl_sf_choose(11, 10) - 11.0) < 0.5);
  /* A fair coin is tossed 4 times. What is the probability of exactly 1 heads? */
  assert(fabs(gsl_sf_choose(4, 1) - 4.0) < 0.5);
  /* A fair coin is tossed 16 times. What is the probability of exactly 7 heads? */
  assert(fabs(gsl_sf_choose(16, 7) - 11440.0) < 0.5);
  /* A fair coin is tossed 15 times. What is the probability of exactly 9 heads? */
  assert(fabs(gsl_sf_choose(15, 9) - 5005.0) < 0.5);
  /* A fair coin is tossed 10 times. What is the probability of exactly 7 heads? */
  assert(fabs(gsl_sf_choose(10, 7) - 120.0) < 0.5);
  return 0;
}
