#include <assert.h>
#include <math.h>
#include <gsl/gsl_sf_gamma.h>

int main(void) {
  /* A fair coin is tossed 7 times. What is the probability of exactly 6 heads? */
  assert(fabs(gsl_sf_choose(7, 6) - 7.0) < 0.5);
  /* A fair coin is tossed 10 times. What is the probability of exactly 7 heads? */
  assert(fabs(gsl_sf_choose(10, 7) - 120.0) < 0.5);
  /* A fair coin is tossed 10 times. What is the probability of exactly 5 heads? */
  assert(fabs(gsl_sf_choose(10, 5) - 252.0) < 0.5);
  /* A fair coin is tossed 12 times. What is the probability of exactly 11 heads? */
  assert(fabs(gsl_sf_choose(12, 11) - 12.0) < 0.5);
  /* A fair coin is tossed 4 times. What is the probability of exactly 3 heads? */
  assert(fabs(gsl_sf_choose(4, 3) - 4.0) < 0.5);
  /* A fair coin is tossed 15 times. What is the probability of exactly 13 heads? */
  assert(fabs(gsl_sf_choose(15, 13) - 105.0) < 0.5);
  /* A fair coin is tossed 15 times. What is the probability of exactly 3 heads? */
  assert(fabs(gsl_sf_choose(15, 3) - 455.0) < 0.5);
  /* A fair coin is tossed 6 times. What is the probability of exactly 2 heads? */
  assert(fabs(gsl_sf_choose(6, 2) - 15.0) < 0.5);
  return 0;
}
